// A source's address as the public sees it. Some portals take an access token in the query string
// (?apikey=…, ?token=…) or user and password in the address itself; the source is registered with
// them, but the catalogue's provenance (dct:source, prov:used), its web pages, the list of sources and
// the items of a run are public, and must not hand them on. The secret-looking parameters are left
// out, and the user and password: what remains still says which portal, and which part of it, the
// records came from. (The audit log hides them the same way: see store/audit.ts.)

/** Query parameters whose values are secrets by their names (tokens, keys, passwords, signatures). */
export const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential|session/i;

export function publicUrl(url: string): string;
export function publicUrl(url: string | null | undefined): string | null | undefined;
export function publicUrl(url: string | null | undefined): string | null | undefined {
  if (!url || (!url.includes('@') && !url.includes('?'))) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
    changed = true;
  }
  for (const k of [...u.searchParams.keys()])
    if (SECRET_PARAM.test(k)) {
      u.searchParams.delete(k);
      changed = true;
    }
  return changed ? u.toString() : url;
}

/** A message (a run's error, an item's failure) with every address in it as the public sees it. */
export function publicText(text: string): string;
export function publicText(text: string | null | undefined): string | null | undefined;
export function publicText(text: string | null | undefined): string | null | undefined {
  if (!text || !/[?@]/.test(text)) return text;
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (u) => publicUrl(u));
}
