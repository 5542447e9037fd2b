// Reading values out of a CKAN dict. The same DCAT property can live at the root (a scheming field), in
// an extra with the plain key, or in an extra prefixed "dcat_" (what ckanext-dcat's RDF harvester wrote
// before scheming existed); lists come as arrays, JSON strings or comma-separated text. These helpers
// accept anything JSON can hold and return only non-empty strings, so the mapping never has to ask
// what kind of value a portal sent.

/** A dict that may carry extras. */
export type Dict = { [key: string]: unknown; extras?: unknown };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A scalar as non-empty text; numbers and booleans as JSON would write them. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function empty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** The raw value of a field: at the root, else in an extra named `key` or `dcat_<key>`. */
export function field(dict: Dict, key: string): unknown {
  const root = dict[key];
  if (!empty(root)) return root;
  const extras = Array.isArray(dict.extras) ? dict.extras : [];
  for (const name of [key, `dcat_${key}`]) {
    for (const e of extras) {
      if (isObject(e) && e.key === name && !empty(e.value) && e.value !== 'None') return e.value;
    }
  }
  return undefined;
}

/** The first of the keys that has a text value. */
export function firstText(dict: Dict, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = text(field(dict, k));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A list however it was stored: an array, a JSON array in a string, or comma-separated text. */
export function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(text).filter((s): s is string => s !== undefined);
  if (typeof v === 'number') return [String(v)];
  if (typeof v !== 'string' || v.trim() === '') return [];
  const trimmed = v.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return list(parsed);
    } catch {
      // not JSON: read as text below
    }
  }
  // A URL may hold commas; only split text that is not one.
  if (/^https?:\/\//i.test(trimmed) && !/,\s*https?:\/\//i.test(trimmed)) return [trimmed];
  return trimmed
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A list field, looked up like `field`. */
export function listField(dict: Dict, key: string): string[] {
  return list(field(dict, key));
}

/** Repeating subfields (a scheming list of objects, or that list as a JSON string), without the empty
 * entries scheming forms leave behind. */
export function objects(v: unknown): Record<string, unknown>[] {
  let value = v;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(value)) return [];
  return value.filter((o): o is Record<string, unknown> => isObject(o) && Object.values(o).some((x) => !empty(x) && !(isObject(x) && Object.keys(x).length === 0)));
}

/** A fluent multilingual value as [language, text] pairs, or undefined when it is not one. */
export function translations(v: unknown): [string, string][] | undefined {
  if (!isObject(v)) return undefined;
  const out: [string, string][] = [];
  for (const [lang, value] of Object.entries(v)) {
    const t = text(value);
    if (t !== undefined && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) out.push([lang, t]);
  }
  return out;
}
