// The patterns request schemas check values with, and what each one means in words. A 400 for a value
// that does not match says what was expected ("must be a date (2024-01-31) …"), where Ajv's own message
// quotes the regular expression, which a client has to decode (the e-mail pattern runs to 150 characters).
import { OPTIONAL_EMAIL_PATTERN } from '../feedback/feedback.js';

/** A date, or a date-time with a zone. Month, day and time in their ranges already here (the handler
 * still refuses a 30 February). */
export const DATE_PATTERN = '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?$';
export const BBOX_PATTERN = '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$';
export const LANGUAGE_PATTERN = '^[a-z]{2}$';
/** The id of a local catalogue or a harvest source: it stands in paths and file names. */
export const LOCAL_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
/** The id of a thematic view: it stands in page addresses, so lower-case words joined by dashes. */
export const VIEW_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';
export const HTTP_URL_PATTERN = '^https?://\\S+$';
export const NOT_BLANK_PATTERN = '\\S';
export const RUN_ID_PATTERN = '^\\d{1,18}$';

const MEANINGS = new Map<string, string>([
  [DATE_PATTERN, 'a date (2024-01-31) or a date-time with its zone (2024-01-31T12:00:00Z)'],
  [BBOX_PATTERN, 'four numbers, west,south,east,north (degrees, WGS 84)'],
  [LANGUAGE_PATTERN, 'a two-letter language code (nl, en, fr, de)'],
  [LOCAL_ID_PATTERN, "an id of lower-case letters, digits, '-' and '_' (at most 64), beginning with a letter or digit"],
  [VIEW_ID_PATTERN, "a view id of lower-case letters, digits and '-' (at most 64), beginning with a letter or digit"],
  [HTTP_URL_PATTERN, 'an http or https URL'],
  [NOT_BLANK_PATTERN, 'more than white space'],
  [RUN_ID_PATTERN, 'a run id (a whole number)'],
  [OPTIONAL_EMAIL_PATTERN, 'an e-mail address, or empty'],
]);

/** What a value matching `pattern` is, in words; undefined for a pattern not listed here. */
export function patternMeaning(pattern: string): string | undefined {
  return MEANINGS.get(pattern);
}
