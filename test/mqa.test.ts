// The quality score follows data.europa.eu's MQA: five dimensions, 405 points, the best distribution
// counting, the bands, and a reason for every point not earned.
import { describe, expect, it } from 'vitest';
import { bandOf, MAX_POINTS, scoreRecord } from '../src/quality/mqa.js';
import type { JsonNode } from '../src/dcat/json.js';

const EU = 'http://publications.europa.eu/resource/authority/';
const FULL: JsonNode = {
  iri: 'https://data.example.be/id/dataset/1',
  title: { nl: 'Volledig' },
  keyword: { nl: ['werk'] },
  theme: [{ iri: `${EU}data-theme/ECON` }],
  spatial: [{ iri: 'http://data.europa.eu/nuts/code/BE2' }],
  temporal: [{ startDate: '2020-01-01' }],
  accessRights: { iri: `${EU}access-right/PUBLIC` },
  contactPoint: [{ fn: { nl: 'Loket' } }],
  publisher: { iri: 'https://data.example.be/id/org/1' },
  issued: '2020-01-01',
  modified: '2024-01-01',
  distribution: [
    { title: { nl: 'Rapport' }, accessURL: ['https://data.example.be/rapport.pdf'], format: { iri: `${EU}file-type/PDF` } },
    {
      accessURL: ['https://data.example.be/data'],
      downloadURL: ['https://data.example.be/data.csv'],
      format: { iri: `${EU}file-type/CSV` },
      mediaType: { iri: 'https://www.iana.org/assignments/media-types/text/csv' },
      license: { iri: `${EU}licence/CC_BY_4_0` },
      rights: [{ label: { nl: 'Vrij' } }],
      byteSize: '1200',
    },
  ],
};

describe('MQA-compatible score', () => {
  it('gives a complete record all 405 points, counting its best distribution', () => {
    const s = scoreRecord(FULL, true, () => true);
    expect(MAX_POINTS).toBe(405);
    expect(s.total).toBe(405);
    expect(s.band).toBe('excellent');
    expect(s.dimensions).toEqual({
      findability: { points: 100, max: 100 },
      accessibility: { points: 100, max: 100 },
      interoperability: { points: 110, max: 110 },
      reusability: { points: 75, max: 75 },
      contextuality: { points: 20, max: 20 },
    });
    expect(s.indicators.every((i) => i.met === true && !i.advice)).toBe(true);
  });

  it('says what every missing point would take, in Dutch and English', () => {
    const s = scoreRecord({ iri: 'https://data.example.be/id/dataset/2', title: { nl: 'Leeg' } }, false);
    expect(s.total).toBe(0);
    expect(s.band).toBe('bad');
    for (const i of s.indicators) {
      expect(i.points).toBe(0);
      expect(i.advice?.nl.length, i.id).toBeGreaterThan(5);
      expect(i.advice?.en.length, i.id).toBeGreaterThan(5);
    }
    expect(s.indicators.reduce((n, i) => n + i.max, 0)).toBe(405);
  });

  it('leaves unchecked links unscored and says so, and scores a validation not run as not checked', () => {
    const s = scoreRecord(FULL, null);
    const byId = Object.fromEntries(s.indicators.map((i) => [i.id, i]));
    expect(byId.accessUrlStatus.met).toBeNull();
    expect(byId.downloadUrlStatus.met).toBeNull();
    expect(byId.profileConformance.met).toBeNull();
    expect(s.total).toBe(405 - 50 - 30 - 30);
    const broken = scoreRecord(FULL, true, () => false);
    expect(broken.indicators.find((i) => i.id === 'accessUrlStatus')!.met).toBe(false);
  });

  it('puts the bands where MQA does', () => {
    // As data.europa.eu rates them (its MQA: bad 0-120, sufficient 121-220, good 221-350, excellent 351-405).
    expect([0, 120, 121, 220, 221, 350, 351, 405].map(bandOf)).toEqual(['bad', 'bad', 'sufficient', 'sufficient', 'good', 'good', 'excellent', 'excellent']);
  });

  it('counts a format given as a media type only, and a proprietary one as such', () => {
    const dist = (d: JsonNode) => scoreRecord({ distribution: [d] }, null).indicators;
    const media = dist({ mediaType: { iri: 'https://www.iana.org/assignments/media-types/application/json' } });
    expect(media.find((i) => i.id === 'nonProprietary')!.met).toBe(true);
    expect(media.find((i) => i.id === 'machineReadable')!.met).toBe(true);
    const xlsx = dist({ format: { iri: `${EU}file-type/XLSX` } });
    expect(xlsx.find((i) => i.id === 'nonProprietary')!.met).toBe(false);
    expect(xlsx.find((i) => i.id === 'machineReadable')!.met).toBe(true);
    // MQA's own lists, as they are: a PDF is neither; a shapefile is machine-readable but not on the open list.
    const pdf = dist({ format: { iri: `${EU}file-type/PDF` } });
    expect([pdf.find((i) => i.id === 'nonProprietary')!.met, pdf.find((i) => i.id === 'machineReadable')!.met]).toEqual([false, false]);
    const shp = dist({ format: { iri: `${EU}file-type/SHP` } });
    expect([shp.find((i) => i.id === 'nonProprietary')!.met, shp.find((i) => i.id === 'machineReadable')!.met]).toEqual([false, true]);
  });
});
