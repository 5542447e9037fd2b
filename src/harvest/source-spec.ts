// Checks a harvest source's settings before it is stored, with messages that say which setting is wrong.
import { profileIds } from '../validation/profiles.js';
import { HARVEST_TYPES, type SourceSpec } from '../store/sources.js';
import { checkSchedule } from './queue.js';

export const SOURCE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export class SourceSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'SourceSpecError';
  }
}

export function checkSourceSpec(spec: Partial<SourceSpec>, partial = false): void {
  const problems: string[] = [];
  if (!partial || spec.id !== undefined) if (!spec.id || !SOURCE_ID.test(spec.id)) problems.push('id: lowercase letters, digits, - and _, at most 64, starting with a letter or digit');
  if (!partial || spec.type !== undefined) if (!HARVEST_TYPES.includes(spec.type as never)) problems.push(`type: one of ${HARVEST_TYPES.join(', ')}`);
  if (!partial || spec.url !== undefined) {
    try {
      const u = new URL(spec.url ?? '');
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push('url: http or https');
      if (u.username || u.password) problems.push('url: no credentials in the URL; set credentials instead');
    } catch {
      problems.push(`url: not a URL: "${spec.url ?? ''}"`);
    }
  }
  if (spec.catalogId !== undefined && !SOURCE_ID.test(spec.catalogId)) problems.push('catalogId: lowercase letters, digits, - and _');
  if (spec.schedule) {
    try {
      checkSchedule(spec.schedule);
    } catch (e) {
      problems.push(`schedule: ${(e as Error).message}`);
    }
  }
  if (spec.profile && spec.profile !== 'none' && !profileIds().includes(spec.profile)) problems.push(`profile: one of ${profileIds().join(', ')} or none`);
  if (spec.validationPolicy !== undefined && !['accept-with-report', 'reject'].includes(spec.validationPolicy)) problems.push('validationPolicy: accept-with-report or reject');
  if (spec.deletionPolicy !== undefined && !['withdraw-missing', 'keep-missing'].includes(spec.deletionPolicy)) problems.push('deletionPolicy: withdraw-missing or keep-missing');
  if (spec.maxWithdrawShare !== undefined && !(spec.maxWithdrawShare >= 0 && spec.maxWithdrawShare <= 1)) problems.push('maxWithdrawShare: a share from 0 to 1');
  if (problems.length > 0) throw new SourceSpecError(problems);
}
