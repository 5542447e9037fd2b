// Checks a harvest source's settings before it is stored, with messages that say which setting is wrong.
import { profileIds } from '../validation/profiles.js';
import { HARVEST_TYPES, type SourceSpec } from '../store/sources.js';
import { checkSchedule } from './queue.js';
import { FORMATS } from '../rdf/formats.js';

export const SOURCE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export class SourceSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'SourceSpecError';
  }
}

/** Options the adapters read that must be whole numbers, and the least each may be. */
const WHOLE_OPTIONS: Record<string, number> = { maxPages: 1, maxBytes: 1, rows: 1, pageSize: 1, fullEveryHours: 0 };

/** What is wrong with a source's type-specific options, caught before the first run instead of by it. */
function optionProblems(options: Record<string, unknown> | undefined): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(options ?? {})) {
    if (key in WHOLE_OPTIONS && !(Number.isSafeInteger(value) && (value as number) >= WHOLE_OPTIONS[key]))
      problems.push(`options.${key}: a whole number of at least ${WHOLE_OPTIONS[key]}, not ${JSON.stringify(value)}`);
    if (key === 'format' && !FORMATS.some((f) => f.format === value))
      problems.push(`options.format: one of ${FORMATS.map((f) => f.format).join(', ')}, not ${JSON.stringify(value)}${FORMATS.find((f) => f.extensions.includes(String(value))) ? ` (for .${String(value)} files: ${FORMATS.find((f) => f.extensions.includes(String(value)))!.format})` : ''}`);
  }
  return problems;
}

export function checkSourceSpec(spec: Partial<SourceSpec>, partial = false): void {
  const problems: string[] = [];
  if (!partial || spec.id !== undefined) if (!spec.id || !SOURCE_ID.test(spec.id)) problems.push('id: lowercase letters, digits, - and _, at most 64, starting with a letter or digit');
  if (!partial || spec.type !== undefined) if (!HARVEST_TYPES.includes(spec.type as never)) problems.push(`type: one of ${HARVEST_TYPES.join(', ')}`);
  if (!partial || spec.url !== undefined) {
    try {
      const u = new URL(spec.url ?? '');
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push('url: http or https');
      if (u.username || u.password) problems.push('url: no credentials in the URL; set credentials instead');
    } catch {
      problems.push(`url: not a URL: "${spec.url ?? ''}"`);
    }
  }
  if (spec.catalogId !== undefined && !SOURCE_ID.test(spec.catalogId)) problems.push('catalogId: lowercase letters, digits, - and _');
  if (spec.schedule) {
    try {
      checkSchedule(spec.schedule);
    } catch (e) {
      problems.push(`schedule: ${(e as Error).message}`);
    }
  }
  if (spec.profile && spec.profile !== 'none' && !profileIds().includes(spec.profile)) problems.push(`profile: one of ${profileIds().join(', ')} or none`);
  if (spec.validationPolicy !== undefined && !['accept-with-report', 'reject'].includes(spec.validationPolicy)) problems.push('validationPolicy: accept-with-report or reject');
  if (spec.deletionPolicy !== undefined && !['withdraw-missing', 'keep-missing'].includes(spec.deletionPolicy)) problems.push('deletionPolicy: withdraw-missing or keep-missing');
  if (spec.maxWithdrawShare !== undefined && !(spec.maxWithdrawShare >= 0 && spec.maxWithdrawShare <= 1)) problems.push('maxWithdrawShare: a share from 0 to 1');
  problems.push(...optionProblems(spec.options));
  if (problems.length > 0) throw new SourceSpecError(problems);
}
