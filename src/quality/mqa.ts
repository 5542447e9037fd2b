// A metadata quality score comparable with data.europa.eu's Metadata Quality Assessment (MQA): the
// same five dimensions, indicators and points (405 in all), the same bands, the best distribution
// counting for the distribution indicators, and the interoperability check "passes the profile's
// shapes" taken from our own validator. Every indicator says what it found and what would earn its
// points, in Dutch and English.
//
// Link checks (accessURL and downloadURL answering 2xx) need the link checker; until a record's links
// have been checked those two indicators are "not checked" and earn nothing, as MQA scores an
// unreachable link.
import type { JsonNode, JsonValue } from '../dcat/json.js';
import { iriOf, isNode, list } from '../dcat/values.js';
import { FILE_TYPE, IANA, MACHINE_READABLE, NON_PROPRIETARY, formatCode } from './formats.js';

export type Dimension = 'findability' | 'accessibility' | 'interoperability' | 'reusability' | 'contextuality';
export type Band = 'bad' | 'sufficient' | 'good' | 'excellent';

export const DIMENSION_MAX: Record<Dimension, number> = { findability: 100, accessibility: 100, interoperability: 110, reusability: 75, contextuality: 20 };
export const MAX_POINTS = 405;

export interface Indicator {
  id: string;
  dimension: Dimension;
  points: number;
  max: number;
  /** true: earned; false: missing; null: not checked (links not yet checked). */
  met: boolean | null;
  /** What earns the points, when they were not earned. */
  advice?: { nl: string; en: string };
}

export interface QualityScore {
  total: number;
  band: Band;
  dimensions: Record<Dimension, { points: number; max: number }>;
  indicators: Indicator[];
}

/** The band of a record for the search facet: its score with the validation verdict it was stored
 * with and, once checked, whether its links work (`links`: URL → answered 2xx). */
export function qualityBand(record: JsonNode, verdict: string | null | undefined, links?: Record<string, boolean> | null): Band {
  return scoreRecord(record, verdict ? verdict !== 'violations' : null, linkStatus(links)).band;
}

/** The score of a stored record: its validation verdict, and its links as the link checker last found them. */
export function storedScore(record: JsonNode, verdict: string | null | undefined, links: { url: string; state: string }[]): QualityScore {
  const checked = Object.fromEntries(links.filter((l) => l.state !== 'unchecked').map((l) => [l.url, l.state === 'ok']));
  return scoreRecord(record, verdict ? verdict !== 'violations' : null, linkStatus(checked));
}

/** A LinkStatus from a map of checked URLs (URL → answered 2xx); unknown URLs are "not checked". */
export function linkStatus(links: Record<string, boolean> | null | undefined): LinkStatus {
  return (url) => (links && Object.hasOwn(links, url) ? links[url] : undefined);
}

/** The MQA bands as data.europa.eu gives them: bad 0-120, sufficient 121-220, good 221-350, excellent 351-405. */
export function bandOf(points: number): Band {
  return points > 350 ? 'excellent' : points > 220 ? 'good' : points > 120 ? 'sufficient' : 'bad';
}

const LICENCE = 'http://publications.europa.eu/resource/authority/licence/';
const ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';

const present = (v: JsonValue | undefined) => list(v).length > 0;

const say = (nl: string, en: string) => ({ nl, en });

function indicator(dimension: Dimension, id: string, max: number, met: boolean | null, advice: { nl: string; en: string }): Indicator {
  return { id, dimension, max, points: met ? max : 0, met, ...(met ? {} : { advice }) };
}

/** What the link checker found for an address: answered 2xx (true), did not (false), not checked. */
export type LinkStatus = (url: string) => boolean | undefined;

function distributionIndicators(d: JsonNode, links: LinkStatus): Indicator[] {
  const access = list(d.accessURL).map(iriOf).filter((u): u is string => !!u);
  const download = list(d.downloadURL).map(iriOf).filter((u): u is string => !!u);
  const linkMet = (urls: string[]): boolean | null => {
    if (!urls.length) return false;
    const seen = urls.map(links);
    return seen.some((s) => s === true) ? true : seen.every((s) => s === false) ? false : null;
  };
  const code = formatCode(d);
  const format = iriOf(list(d.format)[0]);
  const media = iriOf(list(d.mediaType)[0]);
  const license = iriOf(list(d.license)[0]);
  return [
    indicator('accessibility', 'accessUrlStatus', 50, linkMet(access), say('Een accessURL die antwoordt (HTTP 2xx).', 'An accessURL that answers (HTTP 2xx).')),
    indicator('accessibility', 'downloadUrl', 20, download.length > 0, say('Voeg een downloadURL toe aan de distributie.', 'Add a downloadURL to the distribution.')),
    indicator('accessibility', 'downloadUrlStatus', 30, linkMet(download), say('Een downloadURL die antwoordt (HTTP 2xx).', 'A downloadURL that answers (HTTP 2xx).')),
    indicator('interoperability', 'format', 20, present(d.format), say('Geef het formaat (dct:format).', 'State the format (dct:format).')),
    indicator('interoperability', 'mediaType', 10, present(d.mediaType), say('Geef het mediatype (dcat:mediaType).', 'State the media type (dcat:mediaType).')),
    indicator(
      'interoperability',
      'formatVocabulary',
      10,
      !!format?.startsWith(FILE_TYPE) || !!(media && IANA.test(media)),
      say('Kies het formaat uit de EU-lijst van bestandstypes of het mediatype uit de IANA-lijst.', 'Take the format from the EU file-type list or the media type from IANA.'),
    ),
    indicator('interoperability', 'nonProprietary', 20, !!code && NON_PROPRIETARY.has(code), say('Bied de data (ook) aan in een open formaat, zoals CSV of JSON.', 'Offer the data (also) in an open format, such as CSV or JSON.')),
    indicator('interoperability', 'machineReadable', 20, !!code && MACHINE_READABLE.has(code), say('Bied de data (ook) machineleesbaar aan, zoals CSV, JSON of XML.', 'Offer the data (also) machine-readable, such as CSV, JSON or XML.')),
    indicator('reusability', 'license', 20, !!license || present(d.license), say('Geef een licentie (dct:license) op de distributie.', 'State a licence (dct:license) on the distribution.')),
    indicator('reusability', 'licenseVocabulary', 10, !!license?.startsWith(LICENCE), say('Kies de licentie uit de EU-licentielijst.', 'Take the licence from the EU licence list.')),
    indicator('contextuality', 'rights', 5, present(d.rights), say('Beschrijf de rechten (dct:rights).', 'Describe the rights (dct:rights).')),
    indicator('contextuality', 'byteSize', 5, present(d.byteSize), say('Geef de grootte in bytes (dcat:byteSize).', 'State the size in bytes (dcat:byteSize).')),
  ];
}

/**
 * The score of a dataset (or service) record. `conforms`: whether it passes its profile's shapes (no
 * violations), or null when it was not validated. `links`: what the link checker found, if it ran.
 */
export function scoreRecord(record: JsonNode, conforms: boolean | null, links: LinkStatus = () => undefined): QualityScore {
  const dists = list(record.distribution).filter(isNode);
  // The best distribution counts (as MQA does); a record without one earns none of their points.
  const perDistribution = dists.map((d) => distributionIndicators(d, links));
  const best = perDistribution.sort((a, b) => b.reduce((s, i) => s + i.points, 0) - a.reduce((s, i) => s + i.points, 0))[0] ?? distributionIndicators({}, () => undefined);
  const accessRights = iriOf(list(record.accessRights)[0]);
  const issued = present(record.issued) || dists.some((d) => present(d.issued));
  const modified = present(record.modified) || dists.some((d) => present(d.modified));
  const indicators: Indicator[] = [
    indicator('findability', 'keyword', 30, present(record.keyword), say("Voeg trefwoorden toe (dcat:keyword).", 'Add keywords (dcat:keyword).')),
    indicator('findability', 'theme', 30, present(record.theme), say("Kies een of meer thema's (dcat:theme).", 'Choose one or more themes (dcat:theme).')),
    indicator('findability', 'spatial', 20, present(record.spatial), say('Geef het gebied dat de data dekken (dct:spatial).', 'State the area the data covers (dct:spatial).')),
    indicator('findability', 'temporal', 20, present(record.temporal), say('Geef de periode die de data dekken (dct:temporal).', 'State the period the data covers (dct:temporal).')),
    ...best.filter((i) => i.dimension === 'accessibility'),
    ...best.filter((i) => i.dimension === 'interoperability'),
    indicator(
      'interoperability',
      'profileConformance',
      30,
      conforms === null ? null : conforms,
      say('Los de fouten uit het validatierapport op, zodat de record aan het profiel voldoet.', 'Fix the errors of the validation report, so that the record meets its profile.'),
    ),
    ...best.filter((i) => i.dimension === 'reusability'),
    indicator('reusability', 'accessRights', 10, !!accessRights || present(record.accessRights), say('Geef de toegangsrechten (dct:accessRights).', 'State the access rights (dct:accessRights).')),
    indicator('reusability', 'accessRightsVocabulary', 5, !!accessRights?.startsWith(ACCESS_RIGHT), say('Kies de toegangsrechten uit de EU-lijst (publiek, beperkt, niet-publiek).', 'Take the access rights from the EU list (public, restricted, non-public).')),
    indicator('reusability', 'contactPoint', 20, present(record.contactPoint), say('Geef een contactpunt (dcat:contactPoint).', 'Give a contact point (dcat:contactPoint).')),
    indicator('reusability', 'publisher', 10, present(record.publisher), say('Geef de uitgever (dct:publisher).', 'State the publisher (dct:publisher).')),
    ...best.filter((i) => i.dimension === 'contextuality'),
    indicator('contextuality', 'issued', 5, issued, say('Geef de datum van uitgifte (dct:issued).', 'State the date of issue (dct:issued).')),
    indicator('contextuality', 'modified', 5, modified, say('Geef de datum van laatste wijziging (dct:modified).', 'State the date of last change (dct:modified).')),
  ];
  const dimensions = Object.fromEntries(
    (Object.keys(DIMENSION_MAX) as Dimension[]).map((dim) => [dim, { points: indicators.filter((i) => i.dimension === dim).reduce((s, i) => s + i.points, 0), max: DIMENSION_MAX[dim] }]),
  ) as QualityScore['dimensions'];
  const total = indicators.reduce((s, i) => s + i.points, 0);
  return { total, band: bandOf(total), dimensions, indicators };
}
