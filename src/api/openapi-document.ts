// Completes each operation of the OpenAPI document with the answers every route can give besides its
// own: errors leave as application/problem+json (never application/json), and the status codes that
// come from what all routes share (the address check, parameter validation, keys, path lookups, body
// parsing, rate limits, back-pressure) are listed on every operation they apply to, so that a client
// generated from the document knows them. Only the document changes: the routes' own schemas, which
// Fastify compiles into validators and serialisers, are left as they are.
import { answersJsonOnly } from './json-only.js';
import type { FastifySchema, RouteOptions } from 'fastify';

type Schema = Record<string, unknown>;
type Responses = Record<string, Schema>;

const PROBLEM = { $ref: 'Problem#' };

const WHY: Record<number, string> = {
  400: 'Bad request: a parameter, header or body the catalogue cannot use; the problem says which',
  401: 'No key, or a key that is unknown, revoked or expired',
  403: 'The key may not do this (another organisation, or not an administrator)',
  404: 'Nothing here with this id',
  406: 'None of the media types the Accept header asks for can be given',
  409: 'Conflicts with the current state',
  410: 'Withdrawn: the record was here and is not any more',
  412: 'A precondition failed: If-Match names a version the record no longer has (read it again), or If-None-Match: * and the record exists; nothing was changed',
  413: 'The body is larger than the configured limit',
  415: 'The body is in a media type this operation does not read',
  422: 'Understood but refused: every record violates the profile under policy reject (left-over resources go with the records that refer to them), and nothing was stored (the problem carries the push report with the findings)',
  429: 'Too many requests from this key or address; Retry-After says when to try again',
  503: 'Overloaded or a backend unavailable for a moment; Retry-After says when to try again',
};

export interface CompletionOptions {
  /** A request limit applies to every route (answers 429 anywhere). */
  globalRateLimit: boolean;
}

function problemResponse(status: number, given?: Schema): Schema {
  const description = (given?.description as string | undefined) ?? WHY[status] ?? 'Error';
  return { description, content: { 'application/problem+json': { schema: PROBLEM } } };
}

/** The content of a success answer in each media type: the route's schema for JSON types, text (or
 * bytes) for the others. */
function contentFor(types: string[], json?: Schema): Record<string, { schema: Schema }> {
  const { description: _d, ...schema } = json ?? {};
  return Object.fromEntries(
    // JSON-LD is the route's JSON where it names its context, and the graph in expanded form (an array)
    // where the answer is RDF: documented as JSON-LD of either shape.
    types.map((t) => [
      t,
      {
        schema:
          t === 'application/ld+json'
            ? { description: 'JSON-LD: a document or the graph in expanded form' }
            : /json/.test(t)
              ? json
                ? schema
                : { type: 'object' }
              : t === 'application/gzip'
                ? { type: 'string', format: 'binary' }
                : { type: 'string' },
      },
    ]),
  );
}

/** True for a response given as a schema (or a reference to one) rather than in the content form. */
function isPlainSchema(r: Schema): boolean {
  return !('content' in r);
}

/** The statuses a route can answer besides its own, from what it declares. */
export function sharedStatuses(route: Pick<RouteOptions, 'url' | 'config'> & { method?: RouteOptions['method']; schema?: Schema }, options: CompletionOptions): number[] {
  const schema = route.schema ?? {};
  const statuses = new Set<number>([400, 503]);
  if (Array.isArray(schema.security) && schema.security.length > 0) statuses.add(401).add(403);
  if (/[:*]/.test(route.url)) statuses.add(404);
  // A thematic view named in the query (?view=) that does not exist is a 404 too.
  const query = schema.querystring as { properties?: Record<string, unknown> } | undefined;
  if (query?.properties?.view !== undefined) statuses.add(404);
  if (schema.body !== undefined || schema.consumes !== undefined) statuses.add(413).add(415);
  // Content negotiation between several representations: an Accept header none of them meets is a 406;
  // so is one that excludes JSON on a GET of the API's JSON-only routes (json-only.ts).
  if (Array.isArray(schema.produces) && schema.produces.length > 1) statuses.add(406);
  if (answersJsonOnly(route.url, schema) && [route.method ?? []].flat().includes('GET')) statuses.add(406);
  const config = route.config as { rateLimit?: unknown } | undefined;
  if (options.globalRateLimit || config?.rateLimit) statuses.add(429);
  return [...statuses];
}

/** The transform for @fastify/swagger: the route's schema with its error answers completed. */
export function completeOperation(options: CompletionOptions) {
  return ({ schema: given0, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } => {
    const schema = given0 as Schema | undefined;
    if (!schema || schema.hide) return { schema: given0, url };
    const given = (schema.response ?? {}) as Responses;
    const response: Responses = {};
    // Without a declared success answer the document would say nothing of what the route gives.
    // (304 says the client's copy still holds: it is no answer of its own.)
    if (!Object.keys(given).some((s) => /^[23]/.test(s) && s !== '304')) response['200'] = { description: 'Success' };
    const produces = schema.produces as string[] | undefined;
    for (const [status, r] of Object.entries(given)) {
      const code = Number(status);
      if (code >= 400) response[status] = isPlainSchema(r) ? problemResponse(code, r) : r;
      else if (produces && isPlainSchema(r) && r.type !== 'null') response[status] = { description: (r.description as string | undefined) ?? 'Success', content: contentFor(produces, r) };
      else response[status] = r;
    }
    if (produces && response['200'] && !response['200'].content) response['200'] = { ...response['200'], content: contentFor(produces) };
    for (const code of sharedStatuses({ url: route.url, method: route.method, config: route.config, schema }, options))
      if (!response[String(code)]) response[String(code)] = problemResponse(code);
    // A wildcard route ("/id/*") would be documented with a path parameter named "*", which client
    // generators cannot name: it is documented as {path}.
    const wildcard = url.endsWith('/*');
    const params = wildcard ? { type: 'object', properties: { path: { type: 'string', description: 'The rest of the path (may hold slashes)' } }, required: ['path'] } : schema.params;
    return {
      schema: { ...schema, ...(params ? { params } : {}), response, ...(schema.body === rdfBody ? { body: rdfBodyContent(schema.consumes as string[]) } : {}) },
      url: wildcard ? `${url.slice(0, -1)}{path}` : url,
    };
  };
}

/** The body of the routes that read an RDF document (the media type, listed in `consumes`, says which syntax). */
export const rdfBody = { type: 'string', minLength: 1, description: 'An RDF document in the syntax its Content-Type names' } as const;

/** The same body as the document describes it per media type: JSON-LD is a JSON object or array. */
function rdfBodyContent(types: string[]): Schema {
  const { description, ...text } = rdfBody;
  return {
    description,
    content: Object.fromEntries(types.map((t) => [t, { schema: /json/.test(t) ? { oneOf: [{ type: 'object' }, { type: 'array' }] } : text }])),
  };
}
