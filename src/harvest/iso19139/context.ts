// What every part of the mapping of one record needs to know: where triples go, the profile, the
// metadata language and locales, and which resource the record describes.
import type { BlankNode, NamedNode } from '../../rdf/terms.js';
import type { GraphBuilder } from './graph.js';
import type { XmlElement } from './xml.js';

export type Profile = 'core' | 'extended';

/** What the record describes, from gmd:hierarchyLevel; every other scope code is read as a dataset. */
export type ResourceType = 'dataset' | 'series' | 'service';

export interface MappingContext {
  readonly g: GraphBuilder;
  /** The gmd:MD_Metadata element. */
  readonly md: XmlElement;
  readonly profile: Profile;
  readonly extended: boolean;
  /** BCP 47 tag of the metadata language, '' when the record does not say. */
  readonly lang: string;
  /** PT_Locale id → BCP 47 tag. */
  readonly locales: ReadonlyMap<string, string>;
  /** The PT_Locale id preferred where one text must be chosen among translations. */
  readonly preferredLocale: string | undefined;
  readonly resourceType: ResourceType;
  readonly resource: NamedNode | BlankNode;
  /** The resource's IRI, when it has one. */
  readonly resourceIri: NamedNode | undefined;
}
