// Builds the sample catalogue shipped in samples/ (loaded on the first start of an empty store).
//  - samples/flemish-work.ttl: the 27 open Flemish datasets on work and the labour market listed in the
//    SERV advice "Betere overheidsdata voor arbeidsmarktonderzoek" (annex 10), described in DCAT-AP VL.
//    Titles are as published; download addresses are example.org placeholders, marked as such.
//  - samples/datagovbe.ttl: 300 real data.gov.be records (CC0) taken from the LDES pages of the
//    Fedict/dcat repository, read in place from the reference corpus.
// Run: npx tsx scripts/build-samples.ts
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Parser, Writer, DataFactory, type Quad, type Term } from 'n3';
import { PREFIXES } from '../src/rdf/namespaces.js';

const out = join(import.meta.dirname, '../samples');
const corpus = process.env.VINDBAAR_CORPUS ?? join(import.meta.dirname, '../../shared/corpus');
const { namedNode: iri, literal, blankNode, quad } = DataFactory;
const P = PREFIXES;
const EU = 'http://publications.europa.eu/resource/authority/';
const BASE = 'https://voorbeeld.vindbaar.example/id/';

type Org = 'vdab' | 'wse' | 'statvl';
const ORGS: Record<Org, { nl: string; en: string; home: string }> = {
  vdab: { nl: 'VDAB (Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding)', en: 'VDAB (Flemish Public Employment Service)', home: 'https://www.vdab.be/' },
  wse: { nl: 'Departement Werk en Sociale Economie', en: 'Department of Work and Social Economy', home: 'https://www.vlaanderen.be/departement-werk-en-sociale-economie' },
  statvl: { nl: 'Statistiek Vlaanderen', en: 'Statistics Flanders', home: 'https://www.vlaanderen.be/statistiek-vlaanderen' },
};

interface Sample {
  nl: string;
  en: string;
  about: string;
  org: Org;
  themes: string[];
  keywords: string[];
  freq: 'ANNUAL' | 'MONTHLY' | 'QUARTERLY';
  formats: ('CSV' | 'XLSX' | 'JSON')[];
  restricted?: boolean;
}

const DATASETS: Sample[] = [
  { nl: 'Aandeel deeltijdarbeid bij werkenden (25-49 jaar), naar geslacht en gezinssamenstelling - in % - VI', en: 'Share of part-time work among employed people (25-49 years), by sex and household composition - in % - Flanders', about: 'het aandeel werkenden van 25 tot 49 jaar dat deeltijds werkt, opgesplitst naar geslacht en gezinssamenstelling', org: 'statvl', themes: ['SOCI', 'ECON'], keywords: ['deeltijdarbeid', 'werkenden', 'gezinssamenstelling', 'geslacht'], freq: 'ANNUAL', formats: ['CSV', 'XLSX'] },
  { nl: 'Aandeel loontrekkenden met een afwijkend uurrooster, naar geslacht en vorm - in % - VI, EU', en: 'Share of employees with atypical working hours, by sex and type - in % - Flanders, EU', about: 'het aandeel loontrekkenden dat op afwijkende uren werkt (avond, nacht, weekend), naar geslacht en vorm van het uurrooster, in Vlaanderen en de Europese Unie', org: 'statvl', themes: ['ECON', 'SOCI'], keywords: ['loontrekkenden', 'uurrooster', 'avondwerk', 'weekendwerk'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Aandeel personen (15-64 jaar) dat niet of deeltijds werkt door gebrek aan gepaste opvang - in % - VI', en: 'Share of people (15-64 years) not working or working part-time for lack of suitable care services - in % - Flanders', about: 'het aandeel personen van 15 tot 64 jaar dat niet of deeltijds werkt omdat er geen gepaste kinderopvang of zorg voor hulpbehoevenden is', org: 'statvl', themes: ['SOCI'], keywords: ['kinderopvang', 'deeltijdarbeid', 'arbeidsdeelname'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Andere toepassing - aandeel burgers die online werk zochten of solliciteerden - VI, B en EU', en: 'Other use - share of citizens who looked for work or applied for a job online - Flanders, Belgium and EU', about: 'het aandeel burgers dat het internet gebruikte om werk te zoeken of te solliciteren, in Vlaanderen, België en de Europese Unie', org: 'statvl', themes: ['SOCI', 'TECH'], keywords: ['internetgebruik', 'solliciteren', 'werk zoeken'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Arbeidsmatige activiteiten', en: 'Work-like activities', about: 'de personen die arbeidsmatige activiteiten verrichten, een vorm van onbetaald werk in een begeleide omgeving voor wie (nog) niet op de arbeidsmarkt terecht kan', org: 'wse', themes: ['SOCI', 'ECON'], keywords: ['arbeidsmatige activiteiten', 'sociale economie', 'begeleid werk'], freq: 'ANNUAL', formats: ['CSV', 'XLSX'] },
  { nl: 'Cursisten Individuele Beroepsopleiding in de Onderneming (IBO) - aantal - VI', en: 'Trainees in individual vocational training in companies (IBO) - number - Flanders', about: 'het aantal cursisten dat een individuele beroepsopleiding in de onderneming (IBO) volgt, een opleiding op de werkvloer met het oog op aanwerving', org: 'vdab', themes: ['EDUC', 'ECON'], keywords: ['IBO', 'beroepsopleiding', 'werkplekleren'], freq: 'ANNUAL', formats: ['CSV'], restricted: true },
  { nl: 'Deeltijdarbeid - geslacht en gezinssamenstelling - VL', en: 'Part-time work - sex and household composition - Flanders', about: 'de deeltijdarbeid bij werkenden naar geslacht en gezinssamenstelling', org: 'statvl', themes: ['SOCI'], keywords: ['deeltijdarbeid', 'geslacht', 'gezin'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Dienstverleners met een kwaliteitsregistratie binnen WSE', en: 'Service providers with a quality registration within Work and Social Economy', about: 'de dienstverleners (zoals opleidings- en loopbaanbegeleiders) die een kwaliteitsregistratie hebben binnen het beleidsdomein Werk en Sociale Economie', org: 'wse', themes: ['GOVE', 'ECON'], keywords: ['kwaliteitsregistratie', 'dienstverleners', 'opleidingscheques', 'loopbaanbegeleiding'], freq: 'MONTHLY', formats: ['CSV', 'JSON'] },
  { nl: 'Gehonoreerde en openstaande aanvragen opleidingscheques werknemers naar leeftijd - aantal - VI', en: 'Granted and pending applications for employee training vouchers by age - number - Flanders', about: 'het aantal gehonoreerde en openstaande aanvragen voor opleidingscheques voor werknemers, naar leeftijd', org: 'wse', themes: ['EDUC', 'ECON'], keywords: ['opleidingscheques', 'werknemers', 'levenslang leren'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Gemiddelde uittredeleeftijd naar geslacht - VI, Br, Wal, B', en: 'Average exit age from the labour market by sex - Flanders, Brussels, Wallonia, Belgium', about: 'de gemiddelde leeftijd waarop personen de arbeidsmarkt verlaten, naar geslacht, voor de drie gewesten en België', org: 'statvl', themes: ['SOCI', 'ECON'], keywords: ['uittredeleeftijd', 'pensioen', 'oudere werknemers'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'ILO-werkloosheidsgraad naar geslacht en leeftijdsgroep - in % - VI, EU', en: 'ILO unemployment rate by sex and age group - in % - Flanders, EU', about: 'de werkloosheidsgraad volgens de definitie van de Internationale Arbeidsorganisatie (ILO), naar geslacht en leeftijdsgroep, in Vlaanderen en de Europese Unie', org: 'statvl', themes: ['ECON', 'SOCI'], keywords: ['werkloosheid', 'ILO', 'enquête naar de arbeidskrachten'], freq: 'ANNUAL', formats: ['CSV', 'XLSX'] },
  { nl: 'Niet-werkende werkzoekenden (NWWZ), naar leeftijdsgroep en geslacht, jaargemiddelde - aantal - VI', en: 'Unemployed jobseekers (NWWZ), by age group and sex, annual average - number - Flanders', about: 'het jaargemiddelde aantal niet-werkende werkzoekenden ingeschreven bij VDAB, naar leeftijdsgroep en geslacht', org: 'vdab', themes: ['ECON', 'SOCI'], keywords: ['werkzoekenden', 'NWWZ', 'werkloosheid', 'leeftijd'], freq: 'ANNUAL', formats: ['CSV', 'XLSX'] },
  { nl: 'Niet-werkende werkzoekenden (NWWZ), naar nationaliteit en geslacht, jaargemiddelde - aantal - VI', en: 'Unemployed jobseekers (NWWZ), by nationality and sex, annual average - number - Flanders', about: 'het jaargemiddelde aantal niet-werkende werkzoekenden, naar nationaliteit en geslacht', org: 'vdab', themes: ['ECON', 'SOCI'], keywords: ['werkzoekenden', 'NWWZ', 'nationaliteit'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Niet-werkende werkzoekenden (NWWZ), naar origine en geslacht, jaargemiddelde - aantal - VI', en: 'Unemployed jobseekers (NWWZ), by origin and sex, annual average - number - Flanders', about: 'het jaargemiddelde aantal niet-werkende werkzoekenden, naar origine en geslacht', org: 'vdab', themes: ['ECON', 'SOCI'], keywords: ['werkzoekenden', 'NWWZ', 'origine', 'diversiteit'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Niet-werkende werkzoekenden (NWWZ), naar studieniveau en geslacht, jaargemiddelde - aantal - VI', en: 'Unemployed jobseekers (NWWZ), by level of education and sex, annual average - number - Flanders', about: 'het jaargemiddelde aantal niet-werkende werkzoekenden, naar studieniveau en geslacht', org: 'vdab', themes: ['ECON', 'EDUC'], keywords: ['werkzoekenden', 'NWWZ', 'studieniveau'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Niet-werkende werkzoekenden (NWWZ), werkloosheidsduur en geslacht, jaargemiddelde - aantal - VI', en: 'Unemployed jobseekers (NWWZ), by duration of unemployment and sex, annual average - number - Flanders', about: 'het jaargemiddelde aantal niet-werkende werkzoekenden, naar werkloosheidsduur en geslacht', org: 'vdab', themes: ['ECON', 'SOCI'], keywords: ['werkzoekenden', 'NWWZ', 'langdurige werkloosheid'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Nieuwsgaring - naar medium en naar het al dan niet hebben van werk - VI', en: 'News gathering - by medium and by whether people have work - Flanders', about: 'via welke media burgers het nieuws volgen, opgesplitst naar het al dan niet hebben van werk', org: 'statvl', themes: ['SOCI', 'EDUC'], keywords: ['nieuwsgaring', 'media', 'werksituatie'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Ontvangen VDAB-vacatures per maand in het NECzU, gemiddelde januari-december - aantal - VI', en: 'VDAB vacancies received per month in the normal economic circuit (NECzU), January-December average - number - Flanders', about: 'het gemiddelde aantal vacatures dat VDAB per maand ontvangt in het normaal economisch circuit zonder uitzendopdrachten (NECzU)', org: 'vdab', themes: ['ECON'], keywords: ['vacatures', 'VDAB', 'NECzU', 'arbeidsvraag'], freq: 'MONTHLY', formats: ['CSV', 'JSON'] },
  { nl: 'Openstaande VDAB-vacatures per maand in het NECzU, gemiddelde januari-december - aantal - VI', en: 'Open VDAB vacancies per month in the normal economic circuit (NECzU), January-December average - number - Flanders', about: 'het gemiddelde aantal openstaande VDAB-vacatures per maand in het normaal economisch circuit zonder uitzendopdrachten (NECzU)', org: 'vdab', themes: ['ECON'], keywords: ['vacatures', 'VDAB', 'NECzU', 'knelpuntberoepen'], freq: 'MONTHLY', formats: ['CSV', 'JSON'] },
  { nl: 'Personen die een Vlaamse aanmoedigingspremie goedgekeurd kregen, geslacht en leeftijd - aantal - VI', en: 'People granted a Flemish encouragement premium, by sex and age - number - Flanders', about: 'het aantal personen van wie een Vlaamse aanmoedigingspremie (bijvoorbeeld voor loopbaanonderbreking of zorgkrediet) werd goedgekeurd, naar geslacht en leeftijd', org: 'wse', themes: ['SOCI', 'ECON'], keywords: ['aanmoedigingspremie', 'loopbaanonderbreking', 'zorgkrediet'], freq: 'ANNUAL', formats: ['CSV'], restricted: true },
  { nl: 'Spanningsratio - gemiddelde januari - december - VI', en: 'Labour market tension ratio - January-December average - Flanders', about: 'de spanningsratio: het aantal niet-werkende werkzoekenden per openstaande vacature, als maat voor de krapte op de arbeidsmarkt', org: 'vdab', themes: ['ECON'], keywords: ['spanningsratio', 'krapte', 'arbeidsmarkt'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'VDAB-werkloosheidsgraad naar geslacht - in % - VI', en: 'VDAB unemployment rate by sex - in % - Flanders', about: 'de werkloosheidsgraad op basis van de administratieve gegevens van VDAB, naar geslacht', org: 'vdab', themes: ['ECON', 'SOCI'], keywords: ['werkloosheidsgraad', 'VDAB', 'geslacht'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Verdeling van de bevolking tussen 15 en 64 jaar arbeidsmarktsituatie, volgens geslacht - x 1.000 - VI, EU', en: 'Distribution of the population aged 15 to 64 by labour market situation, by sex - x 1,000 - Flanders, EU', about: 'de verdeling van de bevolking van 15 tot 64 jaar over werkenden, werklozen en niet-beroepsactieven, naar geslacht', org: 'statvl', themes: ['SOCI', 'ECON'], keywords: ['bevolking', 'arbeidsmarktpositie', 'beroepsbevolking'], freq: 'ANNUAL', formats: ['CSV', 'XLSX'] },
  { nl: 'Werkzaamheidsgraad - geslacht en gezinssamenstelling - VL', en: 'Employment rate - sex and household composition - Flanders', about: 'de werkzaamheidsgraad (het aandeel werkenden in de bevolking op beroepsactieve leeftijd) naar geslacht en gezinssamenstelling', org: 'statvl', themes: ['ECON', 'SOCI'], keywords: ['werkzaamheidsgraad', 'gezinssamenstelling', 'geslacht'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Werkzaamheidsgraad - geslacht en leeftijdsgroep - VL, EU', en: 'Employment rate - sex and age group - Flanders, EU', about: 'de werkzaamheidsgraad naar geslacht en leeftijdsgroep, in Vlaanderen en de Europese Unie', org: 'statvl', themes: ['ECON', 'SOCI'], keywords: ['werkzaamheidsgraad', 'leeftijd', 'Europese vergelijking'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Werkzaamheidsgraad (25-49 jaar) naar geslacht en gezinssamenstelling - in % - VI', en: 'Employment rate (25-49 years) by sex and household composition - in % - Flanders', about: 'de werkzaamheidsgraad van personen van 25 tot 49 jaar, naar geslacht en gezinssamenstelling', org: 'statvl', themes: ['ECON', 'SOCI'], keywords: ['werkzaamheidsgraad', 'gezin', 'combinatie arbeid en gezin'], freq: 'ANNUAL', formats: ['CSV'] },
  { nl: 'Werkzaamheidsgraad naar geslacht en leeftijdsgroep - in % - VI, EU', en: 'Employment rate by sex and age group - in % - Flanders, EU', about: 'de werkzaamheidsgraad naar geslacht en leeftijdsgroep, in procent, in Vlaanderen en de Europese Unie', org: 'statvl', themes: ['ECON', 'SOCI'], keywords: ['werkzaamheidsgraad', 'leeftijdsgroep', 'EU-doelstelling'], freq: 'ANNUAL', formats: ['CSV', 'XLSX'] },
];

const MEDIA: Record<string, string> = { CSV: 'text/csv', XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', JSON: 'application/json' };
const LICENCE = iri('https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0');

function slug(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 90).replace(/-$/, '');
}

function flemish(): Quad[] {
  const q: Quad[] = [];
  const add = (s: Term, p: string, o: Term) => q.push(quad(s as never, iri(p), o as never));
  const type = (s: Term, c: string) => add(s, `${P.rdf}type`, iri(c));
  const catalog = iri(`${BASE}catalogus/vlaams-werk`);
  type(catalog, `${P.dcat}Catalog`);
  add(catalog, `${P.dct}title`, literal('Vlaamse open data over werk en arbeidsmarkt (voorbeeldcatalogus)', 'nl'));
  add(catalog, `${P.dct}title`, literal('Flemish open data on work and the labour market (sample catalogue)', 'en'));
  add(catalog, `${P.dct}description`, literal('Voorbeeldcatalogus met de open datasets over werk en arbeidsmarkt die het Vlaamse open-dataportaal vermeldt. De titels zijn zoals gepubliceerd; de downloadadressen zijn voorbeeldadressen.', 'nl'));
  add(catalog, `${P.dct}description`, literal('Sample catalogue of the open datasets on work and the labour market listed on the Flemish open data portal. Titles are as published; download addresses are placeholders.', 'en'));
  add(catalog, `${P.dct}publisher`, iri(`${BASE}organisatie/wse`));
  add(catalog, `${P.dct}language`, iri(`${EU}language/NLD`));
  add(catalog, `${P.dct}license`, LICENCE);
  add(catalog, `${P.dct}conformsTo`, iri('https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/erkendestandaard/2022-04-21'));
  for (const [key, org] of Object.entries(ORGS)) {
    const a = iri(`${BASE}organisatie/${key}`);
    type(a, `${P.foaf}Agent`);
    add(a, `${P.foaf}name`, literal(org.nl, 'nl'));
    add(a, `${P.foaf}name`, literal(org.en, 'en'));
    add(a, `${P.dct}type`, iri('http://purl.org/adms/publishertype/RegionalAuthority'));
    add(a, `${P.foaf}homepage`, iri(org.home));
  }
  DATASETS.forEach((d, i) => {
    const s = slug(d.nl);
    const ds = iri(`${BASE}dataset/${s}`);
    add(catalog, `${P.dcat}dataset`, ds);
    type(ds, `${P.dcat}Dataset`);
    add(ds, `${P.dct}title`, literal(d.nl, 'nl'));
    add(ds, `${P.dct}title`, literal(d.en, 'en'));
    add(ds, `${P.dct}description`, literal(`Deze dataset beschrijft ${d.about}. De cijfers worden ${d.freq === 'MONTHLY' ? 'maandelijks' : 'jaarlijks'} bijgewerkt door ${ORGS[d.org].nl}.`, 'nl'));
    add(ds, `${P.dct}description`, literal(`${d.en}. Updated ${d.freq === 'MONTHLY' ? 'monthly' : 'yearly'} by ${ORGS[d.org].en}.`, 'en'));
    add(ds, `${P.dct}identifier`, literal(s));
    for (const k of d.keywords) add(ds, `${P.dcat}keyword`, literal(k, 'nl'));
    for (const t of d.themes) add(ds, `${P.dcat}theme`, iri(`${EU}data-theme/${t}`));
    add(ds, `${P.dct}publisher`, iri(`${BASE}organisatie/${d.org}`));
    const cp = blankNode(`cp${i}`);
    add(ds, `${P.dcat}contactPoint`, cp);
    type(cp, `${P.vcard}Organization`);
    add(cp, `${P.vcard}fn`, literal(ORGS[d.org].nl, 'nl'));
    add(cp, `${P.vcard}hasURL`, iri(ORGS[d.org].home));
    add(ds, `${P.dct}language`, iri(`${EU}language/NLD`));
    add(ds, `${P.dct}spatial`, iri('http://data.europa.eu/nuts/code/BE2'));
    add(ds, `${P.dct}accrualPeriodicity`, iri(`${EU}frequency/${d.freq}`));
    add(ds, `${P.dct}accessRights`, iri(`${EU}access-right/${d.restricted ? 'RESTRICTED' : 'PUBLIC'}`));
    const period = blankNode(`t${i}`);
    add(ds, `${P.dct}temporal`, period);
    type(period, `${P.dct}PeriodOfTime`);
    add(period, `${P.dcat}startDate`, literal('2015-01-01', iri(`${P.xsd}date`)));
    add(ds, `${P.dct}issued`, literal(`2023-0${(i % 9) + 1}-15`, iri(`${P.xsd}date`)));
    add(ds, `${P.dct}modified`, literal(`2025-${String((i % 12) + 1).padStart(2, '0')}-01`, iri(`${P.xsd}date`)));
    if (d.restricted) {
      const rights = blankNode(`r${i}`);
      add(ds, `${P.dct}rights`, rights);
      type(rights, `${P.dct}RightsStatement`);
      add(rights, `${P.rdfs}label`, literal(`De geaggregeerde cijfers zijn open. Microdata op persoonsniveau zijn enkel op aanvraag beschikbaar voor onderzoekers, via ${ORGS[d.org].nl}, na toelating voor de verwerking van persoonsgegevens.`, 'nl'));
      add(rights, `${P.rdfs}label`, literal(`The aggregated figures are open. Individual-level microdata are available to researchers on request only, through ${ORGS[d.org].en}, after authorisation to process personal data.`, 'en'));
    }
    for (const f of d.formats) {
      const dist = iri(`${BASE}distributie/${s}-${f.toLowerCase()}`);
      add(ds, `${P.dcat}distribution`, dist);
      type(dist, `${P.dcat}Distribution`);
      add(dist, `${P.dct}title`, literal(`${d.nl} (${f})`, 'nl'));
      add(dist, `${P.dct}description`, literal('Voorbeeldadres: dit is een voorbeeldcatalogus; de echte data staat op het Vlaamse open-dataportaal.', 'nl'));
      add(dist, `${P.dct}description`, literal('Placeholder address: this is a sample catalogue; the real data is on the Flemish open data portal.', 'en'));
      add(dist, `${P.dcat}accessURL`, iri(`https://example.org/vindbaar-sample/${s}`));
      add(dist, `${P.dct}format`, iri(`${EU}file-type/${f}`));
      add(dist, `${P.dcat}mediaType`, iri(`https://www.iana.org/assignments/media-types/${MEDIA[f]}`));
      add(dist, `${P.dct}license`, LICENCE);
    }
  });
  return q;
}

function datagovbe(): Quad[] {
  const root = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
  const pages = readdirSync(root).filter((d) => d.includes('_123187500_')).sort((a, b) => Number(a.split('_').pop()) - Number(b.split('_').pop()));
  const out: Quad[] = [];
  let member = 0;
  let taken = 0;
  for (const page of pages) {
    const file = join(root, page, 'index.trig');
    const quads = new Parser({ format: 'application/trig', baseIRI: pathToFileURL(file).href }).parse(readFileSync(file, 'utf8'));
    const graphs = new Map<string, Quad[]>();
    for (const q of quads) if (q.graph.termType === 'NamedNode') (graphs.get(q.graph.value) ?? graphs.set(q.graph.value, []).get(q.graph.value)!).push(q);
    for (const [, members] of [...graphs].sort(([a], [b]) => a.localeCompare(b))) {
      // Every sixth member, so that the sample spans all pages and publishers.
      if (member++ % 6 !== 0 || taken >= 300) continue;
      if (!members.some((q) => q.predicate.value === `${P.rdf}type` && q.object.value === `${P.dcat}Dataset`)) continue;
      taken++;
      const relabel = (t: Term) => (t.termType === 'BlankNode' ? blankNode(`m${taken}_${t.value.replace(/\W/g, '_')}`) : t);
      for (const q of members) out.push(quad(relabel(q.subject) as never, q.predicate, relabel(q.object) as never));
    }
  }
  return out;
}

async function write(file: string, quads: Quad[], header: string): Promise<void> {
  const text = await new Promise<string>((resolve, reject) => {
    const w = new Writer({ prefixes: PREFIXES });
    w.addQuads(quads);
    w.end((err, result: string) => (err ? reject(err) : resolve(result)));
  });
  writeFileSync(join(out, file), header + text);
  console.log(`${file}: ${quads.length} triples, ${Buffer.byteLength(header + text)} bytes`);
}

await write('flemish-work.ttl', flemish(), '# Vindbaar sample catalogue: open Flemish datasets on work and the labour market (see samples/README.md).\n# Download addresses are example.org placeholders, not real downloads.\n');
await write('datagovbe.ttl', datagovbe(), '# 300 data.gov.be records from its DCAT-AP LDES feed (Fedict/dcat, CC0-1.0); see samples/README.md.\n');
