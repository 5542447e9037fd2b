// Validation reports shaped like sh:ValidationReport, as plain JSON (the API's form), as RDF (Turtle,
// JSON-LD and the other syntaxes through rdf/write.ts) and as text for people at a terminal.
import type { Quad } from '../rdf/terms.js';
import { blankNode, literal, namedNode, quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import { messageOf, type ValidationResult } from './validate.js';
import { SH } from './shapes.js';

const DCAT_KINDS = ['Catalog', 'Dataset', 'DatasetSeries', 'DataService'].map((k) => `${PREFIXES.dcat}${k}`);

export interface ReportResult {
  focusNode: string;
  resultPath?: string;
  value?: string;
  sourceShape: string;
  sourceConstraintComponent: string;
  resultSeverity: string;
  message: { nl: string; en: string };
}

export interface ValidationReport {
  profile: string;
  layers: string[];
  /** True when no result has severity sh:Violation and the document describes DCAT resources. */
  conforms: boolean;
  /** DCAT resources (catalogues, datasets, series, services) the document describes. */
  resources: number;
  violations: number;
  warnings: number;
  infos: number;
  /** Set when the document could not be judged, e.g. it describes no DCAT resource. */
  notice?: { nl: string; en: string };
  results: ReportResult[];
}

export function buildReport(profile: string, layers: string[], quads: readonly Quad[], results: ValidationResult[]): ValidationReport {
  const resources = new Set(quads.filter((q) => q.predicate.value === RDF_TYPE && DCAT_KINDS.includes(q.object.value)).map((q) => q.subject.value)).size;
  const count = (s: string) => results.filter((r) => r.resultSeverity === `${SH}${s}`).length;
  const report: ValidationReport = {
    profile,
    layers,
    conforms: resources > 0 && count('Violation') === 0,
    resources,
    violations: count('Violation'),
    warnings: count('Warning'),
    infos: count('Info'),
    results: results
      .map((r) => ({
        focusNode: r.focusNode,
        ...(r.resultPath ? { resultPath: r.resultPath } : {}),
        ...(r.value !== undefined ? { value: r.value } : {}),
        sourceShape: r.sourceShape,
        sourceConstraintComponent: r.sourceConstraintComponent,
        resultSeverity: r.resultSeverity,
        message: messageOf(r),
      }))
      .sort((a, b) => (a.focusNode < b.focusNode ? -1 : a.focusNode > b.focusNode ? 1 : (a.resultPath ?? '') < (b.resultPath ?? '') ? -1 : 1)),
  };
  if (resources === 0)
    report.notice =
      quads.length === 0
        ? { nl: 'Het document bevat geen RDF-tripels.', en: 'The document holds no RDF triples.' }
        : {
            nl: 'Het document beschrijft geen DCAT-catalogus, -dataset, -datasetreeks of -dataservice; er is niets om te valideren.',
            en: 'The document describes no DCAT catalogue, dataset, dataset series or data service; there is nothing to validate.',
          };
  return report;
}

/** The report as SHACL RDF: one sh:ValidationReport with its sh:ValidationResult nodes. */
export function reportQuads(report: ValidationReport): Quad[] {
  const out: Quad[] = [];
  const sh = (local: string) => namedNode(`${SH}${local}`);
  const r = blankNode();
  const term = (s: string) => (s.startsWith('_:') ? blankNode(s.slice(2)) : s.startsWith('"') ? parseLiteral(s) : namedNode(s));
  out.push(quad(r, namedNode(RDF_TYPE), sh('ValidationReport')));
  out.push(quad(r, sh('conforms'), literal(String(report.conforms), namedNode(`${PREFIXES.xsd}boolean`))));
  for (const x of report.results) {
    const n = blankNode();
    out.push(quad(r, sh('result'), n), quad(n, namedNode(RDF_TYPE), sh('ValidationResult')));
    out.push(quad(n, sh('focusNode'), term(x.focusNode) as never));
    if (x.resultPath && !x.resultPath.startsWith('(') && !x.resultPath.startsWith('^')) out.push(quad(n, sh('resultPath'), namedNode(x.resultPath)));
    if (x.value !== undefined) out.push(quad(n, sh('value'), term(x.value) as never));
    out.push(quad(n, sh('sourceShape'), term(x.sourceShape) as never));
    out.push(quad(n, sh('sourceConstraintComponent'), namedNode(x.sourceConstraintComponent)));
    out.push(quad(n, sh('resultSeverity'), namedNode(x.resultSeverity)));
    out.push(quad(n, sh('resultMessage'), literal(x.message.nl, 'nl')), quad(n, sh('resultMessage'), literal(x.message.en, 'en')));
  }
  return out;
}

/** The JSON-LD context a SHACL report is compacted with: SHACL terms by their own names. */
export const REPORT_CONTEXT = {
  sh: SH,
  xsd: PREFIXES.xsd,
  conforms: { '@id': 'sh:conforms', '@type': 'xsd:boolean' },
  result: { '@id': 'sh:result', '@container': '@set' },
  focusNode: { '@id': 'sh:focusNode', '@type': '@id' },
  resultPath: { '@id': 'sh:resultPath', '@type': '@id' },
  value: { '@id': 'sh:value' },
  sourceShape: { '@id': 'sh:sourceShape', '@type': '@id' },
  sourceConstraintComponent: { '@id': 'sh:sourceConstraintComponent', '@type': '@vocab' },
  resultSeverity: { '@id': 'sh:resultSeverity', '@type': '@vocab' },
  resultMessage: { '@id': 'sh:resultMessage', '@container': '@language' },
  ValidationReport: 'sh:ValidationReport',
  ValidationResult: 'sh:ValidationResult',
  '@vocab': SH,
};

/** Reads back a literal written by termString() in validate.ts. */
function parseLiteral(s: string) {
  const m = /^("(?:[^"\\]|\\.)*")(?:@([\w-]+)|\^\^<([^>]+)>)?$/.exec(s);
  if (!m) return literal(s);
  const text = JSON.parse(m[1]) as string;
  return m[2] ? literal(text, m[2]) : m[3] ? literal(text, namedNode(m[3])) : literal(text);
}

/** A report for people: a summary line, then one line per result, grouped by focus node. */
export function reportText(report: ValidationReport, lang: 'nl' | 'en' = 'en'): string {
  const lines: string[] = [];
  const nl = lang === 'nl';
  const against = `${report.profile} (${report.layers.join(', ')})`;
  if (report.notice) lines.push(`${report.notice[lang]} ${nl ? 'Profiel' : 'Profile'}: ${against}.`);
  else
    lines.push(
      nl
        ? `${report.conforms ? 'Conform' : 'Niet conform'} met ${against}: ${report.resources} DCAT-bronnen, ${report.violations} overtredingen, ${report.warnings} waarschuwingen, ${report.infos} meldingen.`
        : `${report.conforms ? 'Conforms' : 'Does not conform'} to ${against}: ${report.resources} DCAT resources, ${report.violations} violations, ${report.warnings} warnings, ${report.infos} infos.`,
    );
  let focus = '';
  for (const r of report.results) {
    if (r.focusNode !== focus) {
      focus = r.focusNode;
      lines.push('', focus);
    }
    const sev = r.resultSeverity.slice(SH.length).toUpperCase().padEnd(9);
    lines.push(`  ${sev} ${r.message[lang]}`);
  }
  return `${lines.join('\n')}\n`;
}
