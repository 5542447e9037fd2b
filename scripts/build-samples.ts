// Builds the sample catalogue shipped in samples/ (loaded on the first start of an empty store):
//  - samples/flemish-work.ttl, written here: the 27 open Flemish datasets on work and the labour market listed
//    in the SERV advice "Betere overheidsdata voor arbeidsmarktonderzoek" (annex 10), see
//    ../shared/facts/flemish-work-datasets.md, described in DCAT-AP VL / DCAT-AP 3 style. Titles are verbatim;
//    English titles, descriptions, keywords, publishers and dates are written for Vindbaar and illustrative.
//    Distribution addresses are example.org placeholders and say so; they are not real downloads.
//  - samples/datagovbe.ttl, by scripts/derive-datagovbe-sample.ts (300 real data.gov.be records, CC0).
// Run: npx tsx scripts/build-samples.ts            (both files)
//      npx tsx scripts/build-samples.ts flemish    (only samples/flemish-work.ttl)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFactory, Writer, type NamedNode, type Quad_Object, type Quad_Predicate, type Quad_Subject } from 'n3';
import { writeDatagovbeSample } from './derive-datagovbe-sample.js';

const { namedNode: iri, literal } = DataFactory;

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  mdcat: 'https://data.vlaanderen.be/ns/metadata-dcat#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
} as const;
const EU = 'http://publications.europa.eu/resource/authority/';
const BASE = 'https://voorbeeld.vindbaar.example/id/';
const LICENCE = 'https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0';
const OPEN_DATA = 'https://metadata.vlaanderen.be/id/GDI-Vlaanderen-Trefwoorden/VLOPENDATA';
const NUTS = 'http://data.europa.eu/nuts/code/';

type Org = 'vdab' | 'wse' | 'statistiek-vlaanderen';
const ORGS: Record<Org, { nl: string; en: string; home: string }> = {
  vdab: { nl: 'VDAB (Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding)', en: 'VDAB (Flemish Public Employment Service)', home: 'https://www.vdab.be/' },
  wse: { nl: 'Departement Werk en Sociale Economie', en: 'Department of Work and Social Economy', home: 'https://www.vlaanderen.be/departement-werk-en-sociale-economie' },
  'statistiek-vlaanderen': { nl: 'Statistiek Vlaanderen', en: 'Statistics Flanders', home: 'https://www.vlaanderen.be/statistiek-vlaanderen' },
};

type Theme = 'ECON' | 'SOCI' | 'GOVE' | 'EDUC';
type Format = 'CSV' | 'XLSX' | 'JSON';
interface Sample {
  nl: string; // verbatim title from the list
  en: string;
  descNl: string;
  descEn: string;
  keywords: string[];
  themes: Theme[];
  org: Org;
  freq: 'ANNUAL' | 'MONTHLY' | 'IRREG';
  /** NUTS codes besides BE2 (Flanders) that the figures cover */
  alsoSpatial?: string[];
  /** time series: dct:temporal from 2015 */
  series: boolean;
  formats: Format[];
  /** restricted variant: microdata on request, aggregated distribution open */
  restricted?: boolean;
}

const NWWZ_NL = 'Niet-werkende werkzoekenden zijn personen zonder betaald werk die als werkzoekende bij VDAB ingeschreven zijn.';
const NWWZ_EN = 'Unemployed jobseekers (NWWZ) are people without paid work who are registered as jobseekers with VDAB.';

const DATASETS: Sample[] = [
  {
    nl: 'Aandeel deeltijdarbeid bij werkenden (25-49 jaar), naar geslacht en gezinssamenstelling - in % - VI',
    en: 'Share of part-time work among employed people (25-49 years), by sex and household composition - in % - Flanders',
    descNl: 'Het aandeel van de werkenden van 25 tot 49 jaar dat deeltijds werkt, in procent. De cijfers zijn opgesplitst naar geslacht en gezinssamenstelling, zodat zichtbaar wordt hoe deeltijdarbeid samenhangt met de gezinssituatie. Ze gelden voor Vlaanderen.',
    descEn: 'The share of employed people aged 25 to 49 who work part-time, as a percentage. The figures are broken down by sex and household composition, showing how part-time work relates to the family situation. They cover Flanders.',
    keywords: ['deeltijdarbeid', 'werkenden', 'geslacht', 'gezinssamenstelling', 'combinatie arbeid en gezin'],
    themes: ['SOCI', 'ECON'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV', 'XLSX'],
  },
  {
    nl: 'Aandeel loontrekkenden met een afwijkend uurrooster, naar geslacht en vorm - in % - VI, EU',
    en: 'Share of employees with non-standard working hours, by sex and type - in % - Flanders, EU',
    descNl: 'Het aandeel loontrekkenden dat volgens een afwijkend uurrooster werkt, in procent. De cijfers zijn opgesplitst naar geslacht en naar de vorm van het afwijkende uurrooster, zoals avond-, nacht-, weekend- of ploegenarbeid. Vlaanderen wordt vergeleken met de Europese Unie.',
    descEn: 'The share of employees who work non-standard hours, as a percentage. The figures are broken down by sex and by the type of non-standard hours, such as evening, night, weekend or shift work. Flanders is compared with the European Union.',
    keywords: ['loontrekkenden', 'afwijkend uurrooster', 'ploegenarbeid', 'nachtwerk', 'weekendwerk'],
    themes: ['ECON', 'SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Aandeel personen (15-64 jaar) dat niet of deeltijds werkt door gebrek aan gepaste opvang - in % - VI',
    en: 'Share of people (15-64 years) who do not work or work part-time because of a lack of suitable care services - in % - Flanders',
    descNl: 'Het aandeel personen van 15 tot 64 jaar dat niet of slechts deeltijds werkt omdat er geen gepaste opvang is, bijvoorbeeld voor kinderen of voor hulpbehoevende familieleden, in procent. De indicator toont in welke mate een gebrek aan opvang de deelname aan de arbeidsmarkt in Vlaanderen beperkt.',
    descEn: 'The share of people aged 15 to 64 who do not work, or work only part-time, because no suitable care is available, for example for children or for relatives in need of care, as a percentage. The indicator shows to what extent a lack of care services limits labour market participation in Flanders.',
    keywords: ['opvang', 'kinderopvang', 'deeltijdarbeid', 'arbeidsdeelname', 'combinatie arbeid en gezin'],
    themes: ['SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Andere toepassing - aandeel burgers die online werk zochten of solliciteerden - VI, B en EU',
    en: 'Other use - share of citizens who looked for work or applied for a job online - Flanders, Belgium and EU',
    descNl: 'Het aandeel burgers dat het internet gebruikte om werk te zoeken of om te solliciteren. De indicator hoort bij de reeks over het gebruik van internettoepassingen (rubriek "andere toepassing"). Vlaanderen wordt vergeleken met België en de Europese Unie.',
    descEn: 'The share of citizens who used the internet to look for work or to apply for a job. The indicator belongs to the series on the use of internet applications (heading "other use"). Flanders is compared with Belgium and the European Union.',
    keywords: ['internetgebruik', 'werk zoeken', 'online solliciteren', 'digitalisering'],
    themes: ['SOCI', 'ECON'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', alsoSpatial: ['BE'], series: true, formats: ['CSV'],
  },
  {
    nl: 'Arbeidsmatige activiteiten',
    en: 'Work-like activities',
    descNl: 'Gegevens over arbeidsmatige activiteiten: onbetaalde activiteiten in een begeleide omgeving voor personen die (tijdelijk) niet in betaald werk terechtkunnen. Arbeidsmatige activiteiten horen bij het beleidsdomein Werk en Sociale Economie.',
    descEn: 'Data on work-like activities: unpaid activities in a supervised setting for people who cannot (yet) take up paid work. Work-like activities are part of the Work and Social Economy policy area.',
    keywords: ['arbeidsmatige activiteiten', 'sociale economie', 'begeleid werken', 'werk en zorg'],
    themes: ['SOCI', 'ECON'], org: 'wse', freq: 'ANNUAL', series: false, formats: ['CSV', 'XLSX'],
  },
  {
    nl: 'Cursisten Individuele Beroepsopleiding in de Onderneming (IBO) - aantal - VI',
    en: 'Trainees in Individual Vocational Training in the Company (IBO) - number - Flanders',
    descNl: 'Het aantal cursisten dat een individuele beroepsopleiding in de onderneming (IBO) volgt. Bij een IBO leert een werkzoekende de vaardigheden voor een job op de werkvloer, bij de werkgever die hem of haar daarna in dienst neemt. De cijfers gelden voor Vlaanderen.',
    descEn: 'The number of trainees in individual vocational training in the company (IBO). In an IBO a jobseeker learns the skills for a job on the shop floor, with the employer who then hires him or her. The figures cover Flanders.',
    keywords: ['IBO', 'individuele beroepsopleiding', 'werkplekleren', 'werkzoekenden', 'opleiding'],
    themes: ['EDUC', 'ECON'], org: 'wse', freq: 'ANNUAL', series: true, formats: ['CSV'], restricted: true,
  },
  {
    nl: 'Deeltijdarbeid - geslacht en gezinssamenstelling - VL',
    en: 'Part-time work - sex and household composition - Flanders',
    descNl: 'Cijfers over deeltijdarbeid bij werkenden in Vlaanderen, opgesplitst naar geslacht en gezinssamenstelling. Ze tonen hoe vaak mannen en vrouwen in verschillende gezinssituaties deeltijds werken.',
    descEn: 'Figures on part-time work among employed people in Flanders, broken down by sex and household composition. They show how often men and women in different family situations work part-time.',
    keywords: ['deeltijdarbeid', 'geslacht', 'gezinssamenstelling', 'gender'],
    themes: ['SOCI', 'ECON'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Dienstverleners met een kwaliteitsregistratie binnen WSE',
    en: 'Service providers with a quality registration within Work and Social Economy (WSE)',
    descNl: 'Lijst van de dienstverleners die een kwaliteitsregistratie hebben binnen het beleidsdomein Werk en Sociale Economie (WSE). Een kwaliteitsregistratie toont dat de dienstverlener voldoet aan de kwaliteitseisen die het beleidsdomein stelt.',
    descEn: 'List of the service providers that hold a quality registration within the Work and Social Economy (WSE) policy area. A quality registration shows that the provider meets the quality requirements set by the policy area.',
    keywords: ['kwaliteitsregistratie', 'dienstverleners', 'kwaliteit', 'Werk en Sociale Economie'],
    themes: ['GOVE', 'ECON'], org: 'wse', freq: 'IRREG', series: false, formats: ['CSV', 'JSON'],
  },
  {
    nl: 'Gehonoreerde en openstaande aanvragen opleidingscheques werknemers naar leeftijd - aantal - VI',
    en: 'Granted and pending applications for employee training vouchers, by age - number - Flanders',
    descNl: 'Het aantal aanvragen voor opleidingscheques voor werknemers dat gehonoreerd werd of nog openstaat, naar leeftijd van de aanvrager. Met opleidingscheques betaalt de Vlaamse overheid een deel van de kosten van een opleiding van een werknemer. De cijfers gelden voor Vlaanderen.',
    descEn: 'The number of applications for training vouchers for employees that were granted or are still pending, by age of the applicant. With training vouchers the Flemish government pays part of the cost of an employee\'s training. The figures cover Flanders.',
    keywords: ['opleidingscheques', 'werknemers', 'opleiding', 'levenslang leren', 'leeftijd'],
    themes: ['EDUC', 'ECON'], org: 'wse', freq: 'ANNUAL', series: true, formats: ['CSV'], restricted: true,
  },
  {
    nl: 'Gemiddelde uittredeleeftijd naar geslacht - VI, Br, Wal, B',
    en: 'Average age of exit from the labour market, by sex - Flanders, Brussels, Wallonia, Belgium',
    descNl: 'De gemiddelde leeftijd waarop personen de arbeidsmarkt verlaten, naar geslacht. De cijfers vergelijken het Vlaamse, het Brusselse en het Waalse Gewest met België als geheel.',
    descEn: 'The average age at which people leave the labour market, by sex. The figures compare the Flemish, Brussels and Walloon Regions with Belgium as a whole.',
    keywords: ['uittredeleeftijd', 'oudere werknemers', 'pensioen', 'langer werken'],
    themes: ['SOCI', 'ECON'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', alsoSpatial: ['BE1', 'BE3', 'BE'], series: true, formats: ['CSV'],
  },
  {
    nl: 'ILO-werkloosheidsgraad naar geslacht en leeftijdsgroep - in % - VI, EU',
    en: 'ILO unemployment rate by sex and age group - in % - Flanders, EU',
    descNl: 'De werkloosheidsgraad volgens de definitie van de Internationale Arbeidsorganisatie (ILO): het aandeel werklozen in de beroepsbevolking, in procent. De cijfers zijn opgesplitst naar geslacht en leeftijdsgroep. Vlaanderen wordt vergeleken met de Europese Unie.',
    descEn: 'The unemployment rate according to the definition of the International Labour Organization (ILO): the share of unemployed people in the labour force, as a percentage. The figures are broken down by sex and age group. Flanders is compared with the European Union.',
    keywords: ['werkloosheid', 'werkloosheidsgraad', 'ILO', 'beroepsbevolking', 'Europese vergelijking'],
    themes: ['ECON', 'SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV', 'XLSX'],
  },
  {
    nl: 'Niet-werkende werkzoekenden (NWWZ), naar leeftijdsgroep en geslacht, jaargemiddelde - aantal - VI',
    en: 'Unemployed jobseekers (NWWZ), by age group and sex, annual average - number - Flanders',
    descNl: `Het aantal niet-werkende werkzoekenden (NWWZ) in Vlaanderen, als jaargemiddelde, naar leeftijdsgroep en geslacht. ${NWWZ_NL}`,
    descEn: `The number of unemployed jobseekers (NWWZ) in Flanders, as an annual average, by age group and sex. ${NWWZ_EN}`,
    keywords: ['werkzoekenden', 'NWWZ', 'werkloosheid', 'leeftijd', 'geslacht'],
    themes: ['ECON', 'SOCI'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV', 'XLSX'],
  },
  {
    nl: 'Niet-werkende werkzoekenden (NWWZ), naar nationaliteit en geslacht, jaargemiddelde - aantal - VI',
    en: 'Unemployed jobseekers (NWWZ), by nationality and sex, annual average - number - Flanders',
    descNl: `Het aantal niet-werkende werkzoekenden (NWWZ) in Vlaanderen, als jaargemiddelde, naar nationaliteit en geslacht. ${NWWZ_NL}`,
    descEn: `The number of unemployed jobseekers (NWWZ) in Flanders, as an annual average, by nationality and sex. ${NWWZ_EN}`,
    keywords: ['werkzoekenden', 'NWWZ', 'nationaliteit', 'geslacht'],
    themes: ['ECON', 'SOCI'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Niet-werkende werkzoekenden (NWWZ), naar origine en geslacht, jaargemiddelde - aantal - VI',
    en: 'Unemployed jobseekers (NWWZ), by origin and sex, annual average - number - Flanders',
    descNl: `Het aantal niet-werkende werkzoekenden (NWWZ) in Vlaanderen, als jaargemiddelde, naar origine en geslacht. ${NWWZ_NL}`,
    descEn: `The number of unemployed jobseekers (NWWZ) in Flanders, as an annual average, by origin and sex. ${NWWZ_EN}`,
    keywords: ['werkzoekenden', 'NWWZ', 'origine', 'diversiteit', 'geslacht'],
    themes: ['ECON', 'SOCI'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Niet-werkende werkzoekenden (NWWZ), naar studieniveau en geslacht, jaargemiddelde - aantal - VI',
    en: 'Unemployed jobseekers (NWWZ), by level of education and sex, annual average - number - Flanders',
    descNl: `Het aantal niet-werkende werkzoekenden (NWWZ) in Vlaanderen, als jaargemiddelde, naar studieniveau en geslacht. ${NWWZ_NL}`,
    descEn: `The number of unemployed jobseekers (NWWZ) in Flanders, as an annual average, by level of education and sex. ${NWWZ_EN}`,
    keywords: ['werkzoekenden', 'NWWZ', 'studieniveau', 'onderwijsniveau', 'geslacht'],
    themes: ['ECON', 'EDUC'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Niet-werkende werkzoekenden (NWWZ), werkloosheidsduur en geslacht, jaargemiddelde - aantal - VI',
    en: 'Unemployed jobseekers (NWWZ), duration of unemployment and sex, annual average - number - Flanders',
    descNl: `Het aantal niet-werkende werkzoekenden (NWWZ) in Vlaanderen, als jaargemiddelde, naar werkloosheidsduur en geslacht. ${NWWZ_NL}`,
    descEn: `The number of unemployed jobseekers (NWWZ) in Flanders, as an annual average, by duration of unemployment and sex. ${NWWZ_EN}`,
    keywords: ['werkzoekenden', 'NWWZ', 'werkloosheidsduur', 'langdurige werkloosheid', 'geslacht'],
    themes: ['ECON', 'SOCI'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Nieuwsgaring - naar medium en naar het al dan niet hebben van werk - VI',
    en: 'News gathering - by medium and by whether or not people have work - Flanders',
    descNl: 'Via welke media Vlamingen het nieuws volgen, opgesplitst naar medium en naar het al dan niet hebben van werk. De cijfers laten toe de nieuwsgaring van werkenden en niet-werkenden in Vlaanderen te vergelijken.',
    descEn: 'Which media people in Flanders use to follow the news, broken down by medium and by whether or not they have work. The figures allow comparing how people with and without work in Flanders gather news.',
    keywords: ['nieuwsgaring', 'media', 'mediagebruik', 'werksituatie'],
    themes: ['SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Ontvangen VDAB-vacatures per maand in het NECzU, gemiddelde januari-december - aantal - VI',
    en: 'VDAB vacancies received per month in the NECzU, January-December average - number - Flanders',
    descNl: 'Het aantal vacatures dat VDAB per maand ontvangt, als gemiddelde over de maanden januari tot december. Het gaat om vacatures in het normaal economisch circuit zonder uitzendopdrachten (NECzU). De cijfers gelden voor Vlaanderen.',
    descEn: 'The number of vacancies VDAB receives per month, as an average over the months January to December. It covers vacancies in the regular economic circuit excluding temporary agency work (NECzU). The figures cover Flanders.',
    keywords: ['vacatures', 'VDAB', 'NECzU', 'arbeidsvraag'],
    themes: ['ECON'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV', 'JSON'],
  },
  {
    nl: 'Openstaande VDAB-vacatures per maand in het NECzU, gemiddelde januari-december - aantal - VI',
    en: 'Open VDAB vacancies per month in the NECzU, January-December average - number - Flanders',
    descNl: 'Het aantal openstaande VDAB-vacatures per maand, als gemiddelde over de maanden januari tot december. Het gaat om vacatures in het normaal economisch circuit zonder uitzendopdrachten (NECzU). De cijfers gelden voor Vlaanderen.',
    descEn: 'The number of open VDAB vacancies per month, as an average over the months January to December. It covers vacancies in the regular economic circuit excluding temporary agency work (NECzU). The figures cover Flanders.',
    keywords: ['vacatures', 'openstaande vacatures', 'VDAB', 'NECzU', 'krapte'],
    themes: ['ECON'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV', 'JSON'],
  },
  {
    nl: 'Personen die een Vlaamse aanmoedigingspremie goedgekeurd kregen, geslacht en leeftijd - aantal - VI',
    en: 'People who were granted a Flemish incentive premium, sex and age - number - Flanders',
    descNl: 'Het aantal personen van wie de aanvraag voor een Vlaamse aanmoedigingspremie goedgekeurd werd, naar geslacht en leeftijd. De Vlaamse aanmoedigingspremie is een premie van de Vlaamse overheid voor werknemers die hun loopbaan onderbreken of minder gaan werken, bijvoorbeeld om voor een kind of een familielid te zorgen of om een opleiding te volgen. De cijfers gelden voor Vlaanderen.',
    descEn: 'The number of people whose application for a Flemish incentive premium was granted, by sex and age. The Flemish incentive premium is paid by the Flemish government to employees who interrupt their career or reduce their working time, for example to care for a child or a relative or to follow training. The figures cover Flanders.',
    keywords: ['aanmoedigingspremie', 'loopbaanonderbreking', 'tijdskrediet', 'zorg', 'geslacht'],
    themes: ['SOCI', 'ECON'], org: 'wse', freq: 'ANNUAL', series: true, formats: ['CSV'], restricted: true,
  },
  {
    nl: 'Spanningsratio - gemiddelde januari - december - VI',
    en: 'Tension ratio - January - December average - Flanders',
    descNl: 'De spanningsratio geeft het aantal niet-werkende werkzoekenden per openstaande vacature en is een maat voor de krapte op de arbeidsmarkt. Het cijfer is een gemiddelde over de maanden januari tot december, voor Vlaanderen.',
    descEn: 'The tension ratio gives the number of unemployed jobseekers per open vacancy and measures how tight the labour market is. The figure is an average over the months January to December, for Flanders.',
    keywords: ['spanningsratio', 'krapte', 'arbeidsmarkt', 'vacatures', 'werkzoekenden'],
    themes: ['ECON'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'VDAB-werkloosheidsgraad naar geslacht - in % - VI',
    en: 'VDAB unemployment rate by sex - in % - Flanders',
    descNl: 'De werkloosheidsgraad berekend op basis van de administratieve gegevens van VDAB over niet-werkende werkzoekenden, in procent, naar geslacht. Deze administratieve werkloosheidsgraad verschilt van de ILO-werkloosheidsgraad, die op een enquête steunt. De cijfers gelden voor Vlaanderen.',
    descEn: 'The unemployment rate calculated from VDAB\'s administrative data on unemployed jobseekers, as a percentage, by sex. This administrative unemployment rate differs from the ILO unemployment rate, which is based on a survey. The figures cover Flanders.',
    keywords: ['werkloosheidsgraad', 'werkloosheid', 'VDAB', 'geslacht'],
    themes: ['ECON', 'SOCI'], org: 'vdab', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Verdeling van de bevolking tussen 15 en 64 jaar arbeidsmarktsituatie, volgens geslacht - x 1.000 - VI, EU',
    en: 'Distribution of the population between 15 and 64 years by labour market situation, by sex - x 1,000 - Flanders, EU',
    descNl: 'De verdeling van de bevolking van 15 tot 64 jaar volgens arbeidsmarktsituatie (werkend, werkloos of niet-beroepsactief), naar geslacht. De aantallen zijn uitgedrukt in duizendtallen. Vlaanderen wordt vergeleken met de Europese Unie.',
    descEn: 'The distribution of the population aged 15 to 64 by labour market situation (employed, unemployed or inactive), by sex. The numbers are in thousands. Flanders is compared with the European Union.',
    keywords: ['bevolking', 'arbeidsmarktsituatie', 'beroepsbevolking', 'niet-beroepsactieven', 'geslacht'],
    themes: ['SOCI', 'ECON'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV', 'XLSX'],
  },
  {
    nl: 'Werkzaamheidsgraad - geslacht en gezinssamenstelling - VL',
    en: 'Employment rate - sex and household composition - Flanders',
    descNl: 'De werkzaamheidsgraad, het aandeel werkenden in de bevolking op beroepsactieve leeftijd, naar geslacht en gezinssamenstelling. De cijfers gelden voor Vlaanderen.',
    descEn: 'The employment rate, the share of employed people in the working-age population, by sex and household composition. The figures cover Flanders.',
    keywords: ['werkzaamheidsgraad', 'werkgelegenheid', 'gezinssamenstelling', 'geslacht'],
    themes: ['ECON', 'SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Werkzaamheidsgraad - geslacht en leeftijdsgroep - VL, EU',
    en: 'Employment rate - sex and age group - Flanders, EU',
    descNl: 'De werkzaamheidsgraad, het aandeel werkenden in de bevolking op beroepsactieve leeftijd, naar geslacht en leeftijdsgroep. Vlaanderen wordt vergeleken met de Europese Unie.',
    descEn: 'The employment rate, the share of employed people in the working-age population, by sex and age group. Flanders is compared with the European Union.',
    keywords: ['werkzaamheidsgraad', 'werkgelegenheid', 'leeftijdsgroep', 'Europese vergelijking'],
    themes: ['ECON', 'SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Werkzaamheidsgraad (25-49 jaar) naar geslacht en gezinssamenstelling - in % - VI',
    en: 'Employment rate (25-49 years) by sex and household composition - in % - Flanders',
    descNl: 'De werkzaamheidsgraad van personen van 25 tot 49 jaar, in procent, naar geslacht en gezinssamenstelling. De indicator toont hoe de deelname aan betaald werk samenhangt met de gezinssituatie in de leeftijdsgroep waarin veel mensen jonge kinderen hebben. De cijfers gelden voor Vlaanderen.',
    descEn: 'The employment rate of people aged 25 to 49, as a percentage, by sex and household composition. The indicator shows how participation in paid work relates to the family situation in the age group in which many people have young children. The figures cover Flanders.',
    keywords: ['werkzaamheidsgraad', 'gezinssamenstelling', 'combinatie arbeid en gezin', 'geslacht'],
    themes: ['ECON', 'SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV'],
  },
  {
    nl: 'Werkzaamheidsgraad naar geslacht en leeftijdsgroep - in % - VI, EU',
    en: 'Employment rate by sex and age group - in % - Flanders, EU',
    descNl: 'De werkzaamheidsgraad, het aandeel werkenden in de bevolking, in procent, naar geslacht en leeftijdsgroep. Vlaanderen wordt vergeleken met de Europese Unie.',
    descEn: 'The employment rate, the share of employed people in the population, as a percentage, by sex and age group. Flanders is compared with the European Union.',
    keywords: ['werkzaamheidsgraad', 'werkgelegenheid', 'leeftijdsgroep', 'Europese vergelijking'],
    themes: ['ECON', 'SOCI'], org: 'statistiek-vlaanderen', freq: 'ANNUAL', series: true, formats: ['CSV', 'XLSX'],
  },
];

const MEDIA: Record<Format, string> = {
  CSV: 'text/csv',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  JSON: 'application/json',
};

function vocabularyLabels(): Map<string, Record<string, string>> {
  const dir = join(import.meta.dirname, '../vocabularies');
  const out = new Map<string, Record<string, string>>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'index.json')) {
    const snap = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { concepts: Record<string, { l?: Record<string, string> }> };
    for (const [c, facts] of Object.entries(snap.concepts)) if (facts.l) out.set(c, facts.l);
  }
  return out;
}

export function slug(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Illustrative release and modification dates (2023-2025), spread deterministically over the datasets. */
function dates(i: number): { issued: string; modified: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    issued: `2023-${pad((i % 12) + 1)}-${pad(((i * 7) % 27) + 1)}`,
    modified: `${2024 + (i % 2)}-${pad(((i * 5) % 12) + 1)}-${pad(((i * 11) % 27) + 1)}`,
  };
}

export async function flemishTurtle(): Promise<string> {
  const writer = new Writer({ format: 'text/turtle', prefixes: NS });
  const p = (curie: string): NamedNode => {
    const [prefix, local] = curie.split(':') as [keyof typeof NS, string];
    return iri(NS[prefix] + local);
  };
  const add = (s: Quad_Subject, predicate: string, o: Quad_Object) => writer.addQuad(s, p(predicate) as Quad_Predicate, o);
  const nl = (text: string) => literal(text, 'nl');
  const en = (text: string) => literal(text, 'en');
  const date = (value: string) => literal(value, iri(`${NS.xsd}date`));
  // DCAT-AP VL types dct:issued and dct:modified as xsd:dateTime.
  const dateTime = (value: string) => literal(`${value}T09:00:00+01:00`, iri(`${NS.xsd}dateTime`));
  // DCAT-AP VL checks the class of every referenced resource (sh:class), so the document says what
  // each referenced code-list entry is, once, with the classes DCAT-AP 3 and DCAT-AP VL expect.
  const typed = new Map<string, string[]>();
  const ref = (value: string, ...classes: string[]) => {
    const list = typed.get(value) ?? [];
    for (const c of classes) if (!list.includes(c)) list.push(c);
    typed.set(value, list);
    return iri(value);
  };
  const contact = (org: Org) =>
    writer.blank([
      { predicate: p('rdf:type'), object: p('vcard:Kind') },
      { predicate: p('rdf:type'), object: p('vcard:Organization') },
      { predicate: p('vcard:fn'), object: nl(ORGS[org].nl) },
      { predicate: p('vcard:hasURL'), object: iri(ORGS[org].home) },
    ]);
  const orgIri = (org: Org) => iri(`${BASE}organisatie/${org}`);

  const catalog = iri(`${BASE}catalogus/vlaams-werk`);
  add(catalog, 'rdf:type', p('dcat:Catalog'));
  add(catalog, 'dct:identifier', literal('vlaams-werk'));
  add(catalog, 'dct:title', nl('Vlaamse open data over werk en arbeidsmarkt (voorbeeldcatalogus)'));
  add(catalog, 'dct:title', en('Flemish open data on work and the labour market (sample catalogue)'));
  add(catalog, 'dct:description', nl('Voorbeeldcatalogus van Vindbaar met de 27 open datasets over werk en arbeidsmarkt die het SERV-advies "Betere overheidsdata voor arbeidsmarktonderzoek" (bijlage 10) op het Vlaamse open-dataportaal vond. De titels zijn zoals gepubliceerd; beschrijvingen, trefwoorden en datums zijn illustratief en de downloadadressen zijn voorbeeldadressen.'));
  add(catalog, 'dct:description', en('Vindbaar sample catalogue with the 27 open datasets on work and the labour market that the SERV advice "Betere overheidsdata voor arbeidsmarktonderzoek" (annex 10) found on the Flemish open data portal. Titles are as published; descriptions, keywords and dates are illustrative and download addresses are placeholders.'));
  add(catalog, 'dct:publisher', orgIri('wse'));
  add(catalog, 'dcat:contactPoint', contact('wse'));
  add(catalog, 'dct:language', ref(`${EU}language/NLD`, 'dct:LinguisticSystem'));
  add(catalog, 'dct:license', ref(LICENCE, 'dct:LicenseDocument'));
  add(catalog, 'dct:conformsTo', iri('https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/erkendestandaard/2022-04-21'));
  const slugs = DATASETS.map((d) => slug(d.nl));
  if (new Set(slugs).size !== slugs.length) throw new Error('duplicate dataset slug');
  for (const s of slugs) add(catalog, 'dcat:dataset', iri(`${BASE}dataset/${s}`));

  for (const [key, org] of Object.entries(ORGS) as [Org, (typeof ORGS)[Org]][]) {
    const a = orgIri(key);
    add(a, 'rdf:type', p('foaf:Agent'));
    // DCAT-AP VL asks a catalogue's publisher to be a dct:Agent, a dataset's a foaf:Agent.
    add(a, 'rdf:type', p('dct:Agent'));
    add(a, 'foaf:name', nl(org.nl));
    add(a, 'foaf:name', en(org.en));
    add(a, 'dct:type', ref('http://purl.org/adms/publishertype/RegionalAuthority', 'skos:Concept'));
    add(a, 'foaf:homepage', iri(org.home));
  }

  DATASETS.forEach((d, i) => {
    const s = slugs[i]!;
    const ds = iri(`${BASE}dataset/${s}`);
    const { issued, modified } = dates(i);
    add(ds, 'rdf:type', p('dcat:Dataset'));
    add(ds, 'dct:identifier', literal(s));
    add(ds, 'dct:title', nl(d.nl));
    add(ds, 'dct:title', en(d.en));
    add(ds, 'dct:description', nl(d.descNl));
    add(ds, 'dct:description', en(d.descEn));
    for (const k of d.keywords) add(ds, 'dcat:keyword', nl(k));
    for (const t of d.themes) add(ds, 'dcat:theme', ref(`${EU}data-theme/${t}`, 'skos:Concept'));
    add(ds, 'dct:publisher', orgIri(d.org));
    add(ds, 'dcat:contactPoint', contact(d.org));
    add(ds, 'dct:language', ref(`${EU}language/NLD`, 'dct:LinguisticSystem'));
    for (const code of ['BE2', ...(d.alsoSpatial ?? [])]) add(ds, 'dct:spatial', ref(NUTS + code, 'dct:Location'));
    add(ds, 'dct:accrualPeriodicity', ref(`${EU}frequency/${d.freq}`, 'dct:Frequency', 'skos:Concept'));
    if (d.series)
      add(ds, 'dct:temporal', writer.blank([
        { predicate: p('rdf:type'), object: p('dct:PeriodOfTime') },
        { predicate: p('dcat:startDate'), object: date('2015-01-01') },
      ]));
    add(ds, 'dct:issued', dateTime(issued));
    add(ds, 'dct:modified', dateTime(modified));
    add(ds, 'dct:accessRights', ref(`${EU}access-right/${d.restricted ? 'RESTRICTED' : 'PUBLIC'}`, 'dct:RightsStatement', 'skos:Concept'));
    if (d.restricted)
      add(ds, 'dct:rights', writer.blank([
        { predicate: p('rdf:type'), object: p('dct:RightsStatement') },
        { predicate: p('rdfs:label'), object: nl(`De microdata op persoonsniveau zijn niet open. Onderzoekers kunnen ze op aanvraag krijgen via ${ORGS[d.org].nl}, binnen de regels voor de verwerking van persoonsgegevens. De geaggregeerde cijfers in de distributie zijn open.`) },
        { predicate: p('rdfs:label'), object: en(`The individual-level microdata are not open. Researchers can obtain them on request through the ${ORGS[d.org].en}, within the rules on processing personal data. The aggregated figures in the distribution are open.`) },
      ]));
    add(ds, 'mdcat:statuut', ref(OPEN_DATA, 'skos:Concept'));
    for (const f of d.formats) add(ds, 'dcat:distribution', iri(`${BASE}distributie/${s}-${f.toLowerCase()}`));

    for (const f of d.formats) {
      const dist = iri(`${BASE}distributie/${s}-${f.toLowerCase()}`);
      add(dist, 'rdf:type', p('dcat:Distribution'));
      add(dist, 'dct:identifier', literal(`${s}-${f.toLowerCase()}`));
      add(dist, 'dct:title', nl(d.restricted ? `${d.nl} (geaggregeerde cijfers, ${f})` : `${d.nl} (${f})`));
      add(dist, 'dct:description', nl('Voorbeeldadres: dit is een voorbeeldcatalogus; de echte data staat op het Vlaamse open-dataportaal.'));
      add(dist, 'dct:description', en('Placeholder address: this is a sample catalogue; the real data is on the Flemish open data portal.'));
      add(dist, 'dcat:accessURL', iri(`https://example.org/vindbaar-sample/${s}`));
      add(dist, 'dct:format', ref(`${EU}file-type/${f}`, 'dct:MediaTypeOrExtent', 'skos:Concept'));
      add(dist, 'dcat:mediaType', ref(`https://www.iana.org/assignments/media-types/${MEDIA[f]}`, 'dct:MediaType'));
      add(dist, 'dct:license', ref(LICENCE, 'dct:LicenseDocument'));
    }
  });

  // Code-list entries that are skos:Concepts carry their labels too (DCAT-AP asks a concept for a
  // skos:prefLabel), taken from the vocabulary snapshots in vocabularies/.
  const labels = vocabularyLabels();
  // The access-right snapshot (an older copy of the EU table) lacks RESTRICTED; its labels per the EU table.
  labels.set(`${EU}access-right/RESTRICTED`, { nl: 'beperkt', en: 'restricted' });
  for (const [value, classes] of typed) {
    for (const c of classes) add(iri(value), 'rdf:type', p(c));
    const l = labels.get(value);
    if (classes.includes('skos:Concept') && l) for (const lang of ['nl', 'en'] as const) if (l[lang]) add(iri(value), 'skos:prefLabel', literal(l[lang]!, lang));
  }

  // The licence document named as the Flemish geodata catalogue describes it, so that facets and pages
  // show its name rather than its address.
  add(iri(LICENCE), 'dct:title', literal('Modellicentie voor gratis hergebruik', 'nl'));
  add(iri(LICENCE), 'dct:title', literal('Model licence for free reuse', 'en'));

  const body = await new Promise<string>((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))));
  return [
    '# Vindbaar sample catalogue: the 27 open Flemish datasets on work and the labour market listed in the SERV advice',
    '# "Betere overheidsdata voor arbeidsmarktonderzoek" (annex 10), in DCAT-AP VL / DCAT-AP 3 style. See samples/README.md.',
    '# Titles are verbatim; the rest is illustrative. Distribution addresses are example.org placeholders, not real downloads.',
    '# Generated by scripts/build-samples.ts: edit the script, not this file.',
    '',
  ].join('\n') + body;
}

export async function writeFlemishSample(): Promise<void> {
  const text = await flemishTurtle();
  writeFileSync(join(import.meta.dirname, '../samples/flemish-work.ttl'), text);
  console.log(`samples/flemish-work.ttl: ${DATASETS.length} datasets, ${Buffer.byteLength(text)} bytes`);
}

await writeFlemishSample();
if (process.argv[2] !== 'flemish') await writeDatagovbeSample();
