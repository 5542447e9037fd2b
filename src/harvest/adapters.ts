// The reader for each source type.
import type { HarvestType } from '../store/sources.js';
import type { HarvestAdapter } from './adapter.js';
import { dcatAdapter } from './dcat.js';
import { ldesAdapter } from './ldes.js';
import { ckanAdapter } from './ckan.js';
import { cswAdapter } from './csw.js';

export class UnsupportedSourceTypeError extends Error {
  constructor(type: string) {
    super(`Source type "${type}" cannot be harvested by this version.`);
    this.name = 'UnsupportedSourceTypeError';
  }
}

export function adapterFor(type: HarvestType): HarvestAdapter {
  switch (type) {
    case 'dcat':
      return dcatAdapter();
    case 'ldes':
      return ldesAdapter();
    case 'ckan':
      return ckanAdapter();
    case 'csw':
      return cswAdapter();
    default:
      throw new UnsupportedSourceTypeError(type);
  }
}
