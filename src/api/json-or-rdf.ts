// Answers that are JSON by default and the same facts in any RDF syntax by content negotiation (the
// quality score as DQV, feedback as DUV, the register as DPV): the format is chosen before any work,
// so an unacceptable Accept costs nothing but its 406.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiate, SUFFIXES, type ApiFormat } from './negotiate.js';
import { problem } from './problem.js';
import { serialize } from '../rdf/write.js';
import { mediaTypeFor, type RdfFormat } from '../rdf/formats.js';
import type { Quad } from '../rdf/terms.js';

export const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } as const;

/** The format asked for: a `format` suffix name (ttl, nt, jsonld...) if given, else the Accept header. */
export function chooseFormat(req: FastifyRequest, what: string, named?: string): ApiFormat {
  const format = named ? (SUFFIXES[named] as ApiFormat | undefined) : negotiate(req.headers.accept);
  if (!format || (format as string) === 'html') throw problem(406, 'Not Acceptable', `${what} is available as JSON or in an RDF syntax.`);
  return format;
}

/** Sends `json` as it is, or `quads()` serialised in the RDF syntax chosen. */
export async function sendJsonOrRdf<T>(reply: FastifyReply, format: ApiFormat, json: () => T, quads: () => Quad[]): Promise<T | FastifyReply> {
  reply.header('vary', 'Accept');
  if (format === 'json') return json();
  const rdf = format as RdfFormat;
  return reply.type(`${mediaTypeFor(rdf)}; charset=utf-8`).send(await serialize(quads(), rdf));
}
