// The JSON form of validation results, shared by the validate endpoint and a record's stored report:
// the SHACL result properties by their SHACL names, with the message in Dutch and English.
import type { StoredResult } from '../validation/summary.js';
import { withMessage } from '../validation/summary.js';

export const messageTextsSchema = { type: 'object', properties: { nl: { type: 'string' }, en: { type: 'string' } } } as const;

export const resultSchema = {
  type: 'object',
  properties: {
    focusNode: { type: 'string' },
    resultPath: { type: 'string', description: 'the predicate, or a property path in SPARQL syntax' },
    value: { type: 'string' },
    sourceShape: { type: 'string' },
    sourceConstraintComponent: { type: 'string' },
    resultSeverity: { type: 'string' },
    message: messageTextsSchema,
  },
} as const;

const SH = 'http://www.w3.org/ns/shacl#';

/** A stored result in the API's form. */
export function resultJson(r: StoredResult): Record<string, unknown> {
  const m = withMessage(r);
  return {
    focusNode: r.focusNode,
    ...(r.path ? { resultPath: r.path } : {}),
    ...(r.value !== undefined ? { value: r.value } : {}),
    sourceShape: r.shape,
    sourceConstraintComponent: `${SH}${r.component}`,
    resultSeverity: `${SH}${r.severity}`,
    message: m.message,
  };
}
