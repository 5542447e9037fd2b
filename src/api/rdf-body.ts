// Request bodies of RDF documents as text: decoded by the charset the Content-Type declares (UTF-8 when
// it declares none, as the RDF syntaxes are), unpacked when sent with Content-Encoding gzip or deflate.
// Bytes that are not valid in the charset are refused with the place where they are, instead of being
// replaced silently by U+FFFD and stored as part of a title.
import { gunzipSync, inflateSync } from 'node:zlib';
import { TextDecoder } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem } from './problem.js';

/** The charset parameter of a Content-Type, lower-cased; undefined when there is none. */
function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1].toLowerCase();
}

/** Unpacks a body sent compressed, to no more than `limit` bytes (a small bomb must not become gigabytes). */
function unpacked(body: Buffer, encoding: string | undefined, limit: number): Buffer {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding === 'identity' || coding === '') return body;
  const inflate = coding === 'gzip' || coding === 'x-gzip' ? gunzipSync : coding === 'deflate' ? inflateSync : undefined;
  if (!inflate) throw problem(415, 'Unsupported Media Type', `Content-Encoding "${coding}" is not supported; send the document as it is, or with gzip or deflate.`);
  try {
    return inflate(body, { maxOutputLength: limit });
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw problem(413, 'Payload Too Large', `Unpacked, the document is larger than ${limit} bytes.`);
    throw problem(400, 'Bad Request', `The body is not valid ${coding} data: ${(e as Error).message}.`);
  }
}

/** The document as text, or a 400/413/415 problem that says what is wrong with its bytes. */
export function bodyText(body: Buffer, contentType: string | undefined, contentEncoding: string | undefined, limit: number): string {
  const bytes = unpacked(body, contentEncoding, limit);
  const charset = charsetOf(contentType) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw problem(415, 'Unsupported Media Type', `The charset "${charset}" is not one this service can read; send UTF-8.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    // Where the first bad byte is, for the sender to find it: its line and the byte's offset.
    let at = 0;
    if (decoder.encoding === 'utf-8') at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1;
    throw problem(400, 'Bad Request', `The body is not valid ${decoder.encoding.toUpperCase()}${decoder.encoding === 'utf-8' ? ` at byte ${at} (line ${line})` : ''}; declare its charset in Content-Type or send UTF-8. Nothing was stored.`);
  }
}

/** The offset of the first byte that does not belong to a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  const d = new TextDecoder('utf-8', { fatal: true });
  // Bisect on prefixes: a prefix ending inside a valid multi-byte character is not "invalid" in
  // streaming mode, so only a real error narrows the range.
  let lo = 0;
  let hi = b.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      d.decode(b.subarray(0, mid), { stream: true });
      d.decode();
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/** Registers the parser that reads RDF bodies as bytes and decodes them (see bodyText). */
export function rdfBodyParser(app: FastifyInstance, types: string[], limit: number): void {
  app.addContentTypeParser(types, { parseAs: 'buffer', bodyLimit: limit }, (req: FastifyRequest, body: Buffer | string, done: (err: Error | null, body?: string) => void) => {
    try {
      done(null, typeof body === 'string' ? body : bodyText(body, req.headers['content-type'], req.headers['content-encoding'] as string | undefined, limit));
    } catch (e) {
      done(e as Error);
    }
  });
}
