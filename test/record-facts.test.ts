// What the key figures count of one record: its access (its own, else its distributions'), and whether
// its licence is open, for the EU, Creative Commons and Flemish licences records use.
import { describe, expect, it } from 'vitest';
import { isOpenLicence, recordFacts } from '../src/quality/record-facts.js';
import { accessCodeOf } from '../src/dcat/values.js';

const EU = 'http://publications.europa.eu/resource/authority/';
const INSPIRE = 'http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/';

describe('record facts', () => {
  it('counts the Flemish and EU open licences as open, and others not', () => {
    for (const open of [
      `${EU}licence/CC0`,
      `${EU}licence/CC_BY_4_0`,
      'https://creativecommons.org/licenses/by/4.0/',
      'https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0',
      'https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0',
    ])
      expect(isOpenLicence(open), open).toBe(true);
    for (const closed of [`${EU}licence/PROPRIETARY`, 'https://data.vlaanderen.be/id/licentie/modellicentie-hergebruik-tegen-vergoeding/v1.0', 'https://example.org/licence'])
      expect(isOpenLicence(closed), closed).toBe(false);
  });

  it('takes the access of a dataset from its distributions when it states none, INSPIRE limitations included', () => {
    const dist = (...rights: string[]) => ({ distribution: rights.map((iri) => ({ accessRights: { iri } })) });
    expect(accessCodeOf({ accessRights: { iri: `${EU}access-right/PUBLIC` }, ...dist(`${INSPIRE}INSPIRE_Directive_Article13_1e`) })).toBe('PUBLIC');
    expect(accessCodeOf(dist(`${INSPIRE}noLimitations`))).toBe('PUBLIC');
    expect(accessCodeOf(dist(`${INSPIRE}INSPIRE_Directive_Article13_1b`, `${INSPIRE}INSPIRE_Directive_Article13_1b`))).toBe('RESTRICTED');
    expect(accessCodeOf(dist(`${EU}access-right/NON_PUBLIC`))).toBe('NON_PUBLIC');
    // Parts open and parts not: restricted.
    expect(accessCodeOf(dist(`${EU}access-right/PUBLIC`, `${EU}access-right/NON_PUBLIC`))).toBe('RESTRICTED');
    expect(accessCodeOf(dist('https://example.org/rights'))).toBeUndefined();
    expect(recordFacts(dist(`${INSPIRE}INSPIRE_Directive_Article13_1e`), null, []).access).toBe('restricted');
  });
});
