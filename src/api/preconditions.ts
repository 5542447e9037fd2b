// Conditional writes (RFC 9110, 13.1): a portal that read a record may replace or withdraw it only if it
// has not changed since (If-Match with the ETag it was given), or create it only if it does not exist yet
// (If-None-Match: *), so that two editors, or a portal and a harvest, do not overwrite each other unseen.
import type { FastifyRequest } from 'fastify';
import { problem } from './problem.js';

/** The stored state a record's ETags are made from (representation.ts: every representation's ETag of a
 * version begins with the same content hash and version). */
export interface CurrentRecord {
  hash: string;
  version: number;
  live: boolean;
}

const tags = (header: string) => header.split(',').map((t) => t.trim()).filter(Boolean);

/** Throws 412 when the request's preconditions do not hold for the record as stored now (undefined: none). */
export function checkWritePreconditions(req: FastifyRequest, current: CurrentRecord | undefined): void {
  const live = current?.live ? current : undefined;
  const ifMatch = req.headers['if-match'];
  if (typeof ifMatch === 'string') {
    // Strong comparison: a weak validator (W/) never matches for a write.
    const prefix = live ? `"${live.hash.slice(0, 20)}.${live.version}.` : undefined;
    const ok = tags(ifMatch).some((t) => (t === '*' ? !!live : !!prefix && t.startsWith(prefix) && t.endsWith('"')));
    if (!ok)
      throw problem(
        412,
        'Precondition Failed',
        live
          ? `The record changed since the version If-Match names (it is now version ${live.version}): read it again, and send its new ETag. Nothing was changed.`
          : 'If-Match names a version of a record that does not exist (or was withdrawn). Nothing was changed.',
      );
  }
  const ifNoneMatch = req.headers['if-none-match'];
  if (typeof ifNoneMatch === 'string' && live) {
    const prefix = `"${live.hash.slice(0, 20)}.${live.version}.`;
    const named = tags(ifNoneMatch);
    if (named.includes('*')) throw problem(412, 'Precondition Failed', 'If-None-Match: * asks to create the record, and it exists already. Nothing was changed.');
    if (named.some((t) => t.replace(/^W\//, '').startsWith(prefix)))
      throw problem(412, 'Precondition Failed', `If-None-Match names the version the record has now (version ${live.version}). Nothing was changed.`);
  }
}
