// A record's quality score as W3C Data Quality Vocabulary (DQV) measurements: one
// dqv:QualityMeasurement per MQA indicator, computed on the record, with the metric IRIs that
// data.europa.eu's MQA (piveau) uses, so that the measurements can be compared with theirs, plus the
// total score. Measurement IRIs are stable (record id and metric), so that a re-export replaces
// rather than adds.
import { dataFactory, type Quad } from '../rdf/terms.js';
import { PREFIXES } from '../rdf/namespaces.js';
import type { QualityScore } from './mqa.js';

const { namedNode, literal, quad } = dataFactory;

export const PV = 'https://piveau.eu/ns/voc#';

/** Our indicator ids → the MQA metric they measure. */
const METRIC: Record<string, string> = {
  keyword: 'keywordAvailability',
  theme: 'categoryAvailability',
  spatial: 'spatialAvailability',
  temporal: 'temporalAvailability',
  accessUrlStatus: 'accessUrlStatusCode',
  downloadUrl: 'downloadUrlAvailability',
  downloadUrlStatus: 'downloadUrlStatusCode',
  format: 'formatAvailability',
  mediaType: 'mediaTypeAvailability',
  formatVocabulary: 'formatMediaTypeVocabularyAlignment',
  nonProprietary: 'formatMediaTypeNonProprietary',
  machineReadable: 'formatMediaTypeMachineInterpretable',
  profileConformance: 'dcatApCompliance',
  license: 'licenceAvailability',
  licenseVocabulary: 'knownLicence',
  accessRights: 'accessRightsAvailability',
  accessRightsVocabulary: 'accessRightsVocabularyAlignment',
  contactPoint: 'contactPointAvailability',
  publisher: 'publisherAvailability',
  rights: 'rightsAvailability',
  byteSize: 'byteSizeAvailability',
  issued: 'dateIssuedAvailability',
  modified: 'dateModifiedAvailability',
};

export const metricIri = (indicatorId: string) => `${PV}${METRIC[indicatorId] ?? indicatorId}`;

/**
 * The measurements of `score` on the record `recordIri`. `measurementBase`: where the measurements'
 * own IRIs start (the record's API address). Indicators not yet measured (links not checked) are left
 * out rather than given a value they do not have.
 */
export function dqvQuads(recordIri: string, measurementBase: string, score: QualityScore, computedAt: Date): Quad[] {
  const dqv = (l: string) => namedNode(`${PREFIXES.dqv}${l}`);
  const record = namedNode(recordIri);
  const at = literal(computedAt.toISOString(), namedNode(`${PREFIXES.xsd}dateTime`));
  const out: Quad[] = [];
  const measurement = (id: string, metric: string, value: ReturnType<typeof literal>) => {
    const m = namedNode(`${measurementBase}#${id}`);
    out.push(
      quad(record, dqv('hasQualityMeasurement'), m),
      quad(m, namedNode(`${PREFIXES.rdf}type`), dqv('QualityMeasurement')),
      quad(m, dqv('computedOn'), record),
      quad(m, dqv('isMeasurementOf'), namedNode(metric)),
      quad(m, dqv('value'), value),
      quad(m, namedNode(`${PREFIXES.prov}generatedAtTime`), at),
    );
  };
  for (const i of score.indicators) {
    if (i.met === null) continue;
    measurement(i.id, metricIri(i.id), literal(String(i.met), namedNode(`${PREFIXES.xsd}boolean`)));
  }
  measurement('score', `${PV}scoring`, literal(String(score.total), namedNode(`${PREFIXES.xsd}integer`)));
  return out;
}
