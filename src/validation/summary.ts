// What is kept of a record's validation: the verdict, counts and the results, stored with the record
// (records.validation) and shown by the API without validating again. Messages are not stored (they
// are most of a result's size) unless the shape has its own: they are written again when shown.
import type { ValidationResult } from './validate.js';
import type { Annotation, Component } from './compile.js';
import { generalMessage, resultMessage } from './messages.js';

export type Verdict = 'conforms' | 'warnings' | 'violations';

export interface StoredResult {
  focusNode: string;
  path?: string;
  value?: string;
  shape: string;
  /** Local name of the constraint component, e.g. MinCountConstraintComponent. */
  component: string;
  severity: 'Violation' | 'Warning' | 'Info';
  /** The constraint's parameter (count, class, datatype...), for the message. */
  param?: unknown;
  /** The shape's own sh:message, by language. */
  shapeMessage?: Record<string, string>;
}

/** A stored result with its message in Dutch and English, as the API shows it. */
export function withMessage(r: StoredResult): StoredResult & { message: { nl: string; en: string } } {
  const ann: Annotation = { shape: r.shape, component: r.component as Component, level: 'value', severity: r.severity, path: r.path, message: r.shapeMessage, param: r.param };
  return { ...r, message: resultMessage(ann, r.value, r.param) };
}

/** The message of the finding a stored result stands for, whatever its value: for counts over many records. */
export function findingMessage(r: Omit<StoredResult, 'focusNode' | 'value'>): { nl: string; en: string } {
  return generalMessage({ shape: r.shape, component: r.component as Component, level: 'value', severity: r.severity, path: r.path, message: r.shapeMessage, param: r.param }, r.param);
}

export interface RecordValidation {
  profile: string;
  layers: string[];
  verdict: Verdict;
  violations: number;
  warnings: number;
  infos: number;
  results: StoredResult[];
  /** Set when there were more results than are kept. */
  truncated?: true;
}

/** Why a record was turned away under the reject policy, from its stored report: the count and the
 * first few violations in English, for the one who pushed or harvested it. */
export function rejectionReason(validationJson: string | undefined, shown = 3): string {
  let report: Partial<RecordValidation>;
  try {
    report = JSON.parse(validationJson ?? '{}') as Partial<RecordValidation>;
  } catch {
    report = {};
  }
  const first = (report.results ?? []).filter((r) => r.severity === 'Violation').slice(0, shown).map((r) => withMessage(r).message.en);
  return `not stored: ${report.violations ?? 'some'} violation${report.violations === 1 ? '' : 's'} of ${report.profile ?? 'the profile'} (policy reject)${first.length ? `: ${first.join('; ')}` : ''}`;
}

/** Results kept per record; the counts are always complete. */
const KEPT = 200;

const SH = 'http://www.w3.org/ns/shacl#';

/** `node` renames focus nodes and values (blank nodes to the labels the stored record uses). */
export function summarize(profile: string, layers: string[], results: ValidationResult[], node: (id: string) => string = (id) => id): RecordValidation {
  const severity = (r: ValidationResult) => r.resultSeverity.slice(SH.length) as StoredResult['severity'];
  const violations = results.filter((r) => severity(r) === 'Violation').length;
  const warnings = results.filter((r) => severity(r) === 'Warning').length;
  // Violations first, so that what is kept when truncating is what matters most.
  const order = { Violation: 0, Warning: 1, Info: 2 };
  const kept = [...results].sort((a, b) => order[severity(a)] - order[severity(b)]).slice(0, KEPT);
  const out: RecordValidation = {
    profile,
    layers,
    verdict: violations > 0 ? 'violations' : warnings > 0 ? 'warnings' : 'conforms',
    violations,
    warnings,
    infos: results.length - violations - warnings,
    results: kept.map((r) => {
      const s: StoredResult = { focusNode: node(r.focusNode), shape: r.sourceShape, component: r.sourceConstraintComponent.slice(SH.length), severity: severity(r) };
      if (r.resultPath) s.path = r.resultPath;
      if (r.value !== undefined) s.value = node(r.value);
      const param = r.param ?? r.annotation.param;
      if (param !== undefined) s.param = param;
      if (r.annotation.message && Object.keys(r.annotation.message).length > 0) s.shapeMessage = r.annotation.message;
      return s;
    }),
  };
  if (results.length > KEPT) out.truncated = true;
  return out;
}
