// What is kept of a record's validation: the verdict, counts and the results with their messages,
// stored with the record (records.validation) and shown by the API without validating again.
import { messageOf, type ValidationResult } from './validate.js';

export type Verdict = 'conforms' | 'warnings' | 'violations';

export interface StoredResult {
  focusNode: string;
  path?: string;
  value?: string;
  shape: string;
  /** Local name of the constraint component, e.g. MinCountConstraintComponent. */
  component: string;
  severity: 'Violation' | 'Warning' | 'Info';
  message: { nl: string; en: string };
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

/** Results kept per record; the counts are always complete. */
const KEPT = 200;

const SH = 'http://www.w3.org/ns/shacl#';

export function summarize(profile: string, layers: string[], results: ValidationResult[]): RecordValidation {
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
      const s: StoredResult = { focusNode: r.focusNode, shape: r.sourceShape, component: r.sourceConstraintComponent.slice(SH.length), severity: severity(r), message: messageOf(r) };
      if (r.resultPath) s.path = r.resultPath;
      if (r.value !== undefined) s.value = r.value;
      return s;
    }),
  };
  if (results.length > KEPT) out.truncated = true;
  return out;
}
