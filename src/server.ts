// The HTTP server, where the API (api/) and the pages (web/) meet: Fastify with a JSON schema on every route, OpenAPI at /openapi.json and /docs,
// problem+json for every error.
import { searchRoutes } from './api/search.js';
import { searchExportRoutes } from './api/search-export.js';
import { SearchUnavailableError } from './search/backend.js';
import { createHash, randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import zlib from 'node:zlib';
import type { Services } from './app.js';
import { HttpProblem, problem, problemSchema, sendProblem } from './api/problem.js';
import { refuseUnacceptableJson } from './api/json-only.js';
import { RdfSyntaxError } from './rdf/errors.js';
import { RdfXmlCharacterError } from './rdf/rdfxml-writer.js';
import { EmptyInputError } from './ingest/pipeline.js';
import { ContextNotAvailableError } from './rdf/jsonld-contexts.js';
import { contextDocument } from './dcat/context.js';
import { recordRoutes } from './api/records.js';
import { notModified } from './api/representation.js';
import { qualityRoutes } from './api/quality.js';
import { kpiRoutes } from './api/kpis.js';
import { feedbackRoutes } from './api/feedback.js';
import { registerRoutes } from './api/register.js';
import rateLimit from '@fastify/rate-limit';
import { requestLimits } from './api/request-limits.js';
import { expensiveRoutes } from './api/expensive.js';
import { verifyCredential } from './api/auth.js';
import findMyWay from 'find-my-way';
import { operationsPlugin } from './api/operations.js';
import { completeOperation } from './api/openapi-document.js';
import { requestValidatorCompiler } from './api/request-validation.js';
import { patternMeaning } from './api/patterns.js';
import { auditLog, auditRoutes } from './api/audit.js';
import { ingestRoutes } from './api/ingest.js';
import { validateRoutes } from './api/validate.js';
import { catalogRoutes } from './api/catalogs.js';
import { sourceRoutes } from './api/sources.js';
import { keyRoutes } from './api/keys.js';
import { labelRoutes } from './api/labels.js';
import { catalogDcatRoutes } from './api/catalog-dcat.js';
import { viewDcatRoutes } from './api/view-dcat.js';
import { thematicViewRoutes } from './api/thematic-views.js';
import { dereferenceRoutes } from './api/dereference.js';
import { dumpRoutes } from './api/dumps.js';
import { feedRoutes } from './api/feed.js';
import { sparqlRoutes } from './api/sparql.js';
import { registerContext } from './rdf/jsonld-contexts.js';
import { isConnectionLoss, StoreTimeoutError, withinTime } from './store/connection-loss.js';

/** How long /ready waits for the store before it says the store is down. */
const READY_TIMEOUT_MS = 3_000;
import { acceptLanguage, recordPageHtml, webRoutes } from './web/routes.js';
import { sitemapRoutes } from './web/sitemap.js';

export async function buildServer(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.log as unknown as FastifyBaseLogger,
    // Unique across processes and restarts (Fastify's own are "req-1", "req-2"… in every process): the
    // id an answer carries (X-Request-Id, and a 500's problem) finds its lines in the log.
    genReqId: () => randomUUID(),
    bodyLimit: services.config.bodyLimit,
    trustProxy: services.config.limits.trustProxy,
    // Ids longer than Fastify's default of 100 characters reach the routes' own checks (400 saying
    // which limit), instead of a bare 414 from the router.
    routerOptions: { maxParamLength: 32_000 },
    // Room for the longest address the routes accept (a GET SPARQL query of 6,000 characters or a record
    // IRI of 2,000, percent-encoded).
    http: { maxHeaderSize: 96 * 1024 },
  });
  app.addSchema(problemSchema);
  app.setValidatorCompiler(requestValidatorCompiler([problemSchema]));
  // Fastify reads text/plain bodies as strings everywhere by default: a JSON route (keys, views, sources,
  // feedback) then answered 400 "body must be object" where any other media type it does not read gets
  // 415. The routes that read RDF (text/plain as N-Triples) and SPARQL register their own parsers.
  app.removeContentTypeParser('text/plain');
  // Which methods each path answers, so that a method a path does not take gets 405 with Allow, not 404.
  const routes = findMyWay({ ignoreTrailingSlash: false });
  const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
  app.addHook('onRoute', (r) => {
    // The preflight route of CORS takes every path: it tells no path apart from an unknown one.
    if (r.url === '*') return;
    for (const m of [r.method].flat()) if ((METHODS as readonly string[]).includes(m)) routes.on(m as (typeof METHODS)[number], r.url, () => undefined);
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  refuseUnacceptableJson(app);
  // A NUL character is never meaningful in an address, and Postgres refuses it in text.
  app.addHook('onRequest', async (req) => {
    if (/%00/i.test(req.url)) throw problem(400, 'Bad Request', 'The address holds a NUL character (%00), which no parameter may contain.');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vindbaar API',
        description: 'Federated DCAT-AP metadata catalogue: search, records as JSON-LD and RDF, and ingest.',
        version: '0.1.0',
      },
      servers: [{ url: services.config.baseUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key' } } },
    },
    transform: completeOperation({ globalRateLimit: services.config.limits.perAddress > 0 || services.config.limits.perKey > 0 }),
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // Everything here is public or authorised by a bearer key, never by a cookie: any web page may read
  // the API, the linked data and the context (a SPARQL editor, a JSON-LD processor, a portal's widget),
  // and a portal's own web application may push with its key. No credentials mode, so no cookies cross.
  // Answers of more than a kilobyte are compressed for clients that accept it (a catalogue page or a
  // feed fragment shrinks to a tenth); bodies sent to us are not inflated here, so that the body
  // limits stay limits of what arrives. Dumps are gzip files already and stay as they are.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }, globalDecompression: false });
  // A compressed answer is other bytes than the identity one: its validator can only be weak (RFC 9110,
  // 8.8.3), as web servers make it. Every If-None-Match here is compared weakly, so both still match.
  // The compression happens in an onSend hook that the plugin adds to each route: this one is added
  // to each route after it.
  const weakenWhenCompressed = async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const etag = reply.getHeader('etag');
    if (reply.getHeader('content-encoding') && typeof etag === 'string' && etag.startsWith('"')) reply.header('etag', `W/${etag}`);
    return payload;
  };
  app.addHook('onRoute', (route) => {
    route.onSend = [...(Array.isArray(route.onSend) ? route.onSend : route.onSend ? [route.onSend] : []), weakenWhenCompressed];
  });
  // OPTIONS asks which methods a path answers (RFC 9110, 9.3.7); only a browser's preflight asks it
  // for CORS. The CORS plugin takes every OPTIONS for a preflight and answers one without a preflight's
  // headers with a bare text 400: here it gets the path's methods in Allow, or a 404 problem.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] !== undefined) return;
    const path = req.url.split('?')[0];
    const allowed = METHODS.filter((m) => m !== 'OPTIONS' && routes.find(m, path));
    if (req.headers.origin) reply.header('access-control-allow-origin', '*');
    if (allowed.length === 0) return sendProblem(reply, { title: 'Not Found', status: 404, detail: `No route for OPTIONS ${path}.`, instance: req.url });
    return reply.code(204).header('allow', [...allowed, 'OPTIONS'].join(', ')).send();
  });
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // Content-Encoding: the push routes read gzip and deflate bodies (api/rdf-body.ts), and a portal's
    // web application compresses a large catalogue before sending it; without it here the browser's
    // preflight refuses such a push before it is sent.
    allowedHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'Accept', 'Accept-Language', 'If-Match', 'If-None-Match', 'If-Modified-Since'],
    // Every header the API answers with for a client to act on: a browser script sees only those named
    // here (how many a search export matched, that SPARQL results were cut at the limit, the rate limit).
    exposedHeaders: [
      'ETag',
      'Last-Modified',
      'Link',
      'Location',
      'Retry-After',
      'Content-Disposition',
      'Vary',
      'X-Request-Id',
      'X-Total-Count',
      'X-Exported-Count',
      'Vindbaar-Results-Limited',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
    maxAge: 86_400,
  });
  await app.register(operationsPlugin, { services });
  await app.register(auditLog, { services });
  await app.register(expensiveRoutes, { max: services.config.limits.expensive });
  await app.register(rateLimit, requestLimits(services.config.limits, (credential) => verifyCredential(services, credential)));

  app.setErrorHandler((err: FastifyError | HttpProblem | RdfSyntaxError | Error, req, reply) => {
    const instance = req.url;
    if (err instanceof HttpProblem) return sendProblem(reply, { ...err.problem, instance });
    if (err instanceof RdfSyntaxError)
      return sendProblem(reply, {
        type: 'about:blank',
        title: 'Malformed RDF',
        status: 400,
        detail: `${err.message}${err.where ? ` (${err.where})` : ''}. Nothing was stored.`,
        line: err.line,
        column: err.column,
        instance,
      });
    // What RDF/XML cannot carry, in an answer whose route did not look first (the negotiated routes
    // offer another syntax): a 406 that says why, never the data changed to fit.
    if (err instanceof RdfXmlCharacterError)
      return sendProblem(reply, { title: 'Not Acceptable', status: 406, detail: `This answer cannot be written as RDF/XML: ${err.message}. Ask for another RDF syntax (Turtle, N-Triples, JSON-LD).`, instance });
    if (err instanceof EmptyInputError) return sendProblem(reply, { title: 'Empty document', status: 400, detail: `${err.message} Nothing was changed.`, instance });
    if (err instanceof ContextNotAvailableError) return sendProblem(reply, { title: 'Unavailable JSON-LD context', status: 400, detail: `${err.message}. Nothing was stored.`, instance });
    if (err instanceof SearchUnavailableError) {
      req.log.warn({ err: err.message }, 'search backend unavailable');
      reply.header('Retry-After', String(err.retryAfterSeconds));
      return sendProblem(reply, { title: 'Search Unavailable', status: 503, detail: 'Search is unavailable for a moment; records, linked data and ingest keep working. Try again shortly.', instance });
    }
    // The database gone (refused, reset, not answering in time): an outage to retry, not a fault of ours.
    if (isConnectionLoss(err) || err instanceof StoreTimeoutError) {
      req.log.warn({ err: err.message }, 'the store does not answer');
      reply.header('Retry-After', '5');
      return sendProblem(reply, { title: 'Service Unavailable', status: 503, detail: 'The catalogue\'s store does not answer for a moment; nothing was changed. Try again shortly.', instance });
    }
    if (err instanceof RangeError && /cursor/.test(err.message))
      return sendProblem(reply, { title: 'Bad Request', status: 400, detail: /expired|not valid/.test(err.message) ? `Cursor: ${err.message}.` : `Page too deep: ${err.message}. Narrow the search or page with the cursor.`, instance });
    // A value the database refuses (Postgres's "data exception" class 22: a NUL character in text, a date
    // or number out of range) came from the request: the client's mistake, and nothing was changed.
    const code = (err as Error & { code?: string }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code))
      return sendProblem(reply, { title: 'Bad Request', status: 400, detail: `The request holds a value the catalogue cannot use: ${err.message}. Nothing was changed.`, instance });
    const fe = err as FastifyError;
    if (fe.validation) {
      // Ajv's message does not name the property it did not expect; the answer does.
      const extra = fe.validation.map((v) => (v.keyword === 'additionalProperties' ? (v.params as { additionalProperty?: string }).additionalProperty : undefined)).filter(Boolean);
      // Fastify's message already starts with the part of the request it is about ("querystring/limit
      // must be …"); it is named once, not twice ("querystring querystring/limit").
      const context = fe.validationContext ?? 'request';
      const first = fe.validation[0];
      // A value that does not match a pattern: what was expected, in words, rather than the regular expression.
      const pattern = first?.keyword === 'pattern' ? String((first.params as { pattern?: string }).pattern) : undefined;
      const meaning = pattern === undefined ? undefined : patternMeaning(pattern);
      const said = meaning ? fe.message.replace(`must match pattern "${pattern}"`, `must be ${meaning}`) : fe.message;
      const message = said.startsWith(context) ? said : `${context} ${said}`;
      const detail = `${message}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`.trim();
      // Which field of a body, as forms and clients show it next to the field.
      const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const field = fe.validationContext === 'body' && first ? (missing ?? first.instancePath.slice(1).replace(/\//g, '.')) || undefined : undefined;
      // A value outside a list: the answer lists what is known (profiles, sorts, kinds).
      const known = first?.keyword === 'enum' ? (first.params as { allowedValues?: unknown[] }).allowedValues : undefined;
      return sendProblem(reply, { title: 'Bad Request', status: 400, detail: known ? `${detail}: ${known.join(', ')}` : detail, instance, ...(field ? { field } : {}), ...(known ? { known } : {}) });
    }
    // A body in a media type the route reads no parser for (curl --data-binary sends form encoding unless
    // told otherwise): say what was sent and, where the route declares them, what it reads.
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const sent = req.headers['content-type'];
      const consumes = (req.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes;
      return sendProblem(reply, {
        title: 'Unsupported Media Type',
        status: 415,
        detail: `${sent ? `This route does not read ${sent.split(';')[0].trim()}` : 'The body has no Content-Type'}${consumes ? `; send one of ${consumes.join(', ')}` : ''}. Nothing was changed.`,
        instance,
        ...(consumes ? { accepted: consumes } : {}),
      });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const titles: Record<number, string> = { 413: 'Payload Too Large', 429: 'Too Many Requests', 415: 'Unsupported Media Type', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' };
      return sendProblem(reply, { title: titles[fe.statusCode] ?? 'Bad Request', status: fe.statusCode, detail: fe.message, instance });
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, { title: 'Internal Server Error', status: 500, detail: `The error has been logged with request id ${req.id}.`, instance, requestId: req.id });
  });
  /** No route for this method and path: 405 with Allow when the path takes other methods, else 404. */
  const unrouted = (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0];
    const allowed = METHODS.filter((m) => routes.find(m, path));
    // A record's IRI written into the path as it is ("/records/https://…"): its slashes make a path no
    // route has. The answer says how to write it, which is what a portal's integrator needs to hear.
    if (allowed.length === 0 && /^\/api\/v1\/catalogs\/[^/]+\/records\/[^/]*\//.test(path))
      return sendProblem(reply, {
        title: 'Not Found',
        status: 404,
        detail: `No route for ${req.method} ${path}: a record is named by its id here or by its IRI URL-encoded (https%3A%2F%2F…), as one path segment.`,
        instance: req.url,
      });
    if (allowed.length === 0) return sendProblem(reply, { title: 'Not Found', status: 404, detail: `No route for ${req.method} ${path}.`, instance: req.url });
    reply.header('allow', allowed.join(', '));
    return sendProblem(reply, { title: 'Method Not Allowed', status: 405, detail: `${path} answers ${allowed.join(', ')}, not ${req.method}.`, instance: req.url });
  };
  // A method no route takes (TRACE, QUERY, …) is answered before Fastify would read a body for it.
  app.addHook('onRequest', async (req, reply) => {
    if (!(METHODS as readonly string[]).includes(req.method)) return unrouted(req, reply);
  });
  app.setNotFoundHandler(unrouted);

  // Probes come every few seconds: their requests are logged only when something is wrong (warn).
  app.get('/health', { logLevel: 'warn', config: { rateLimit: false }, schema: { summary: 'Liveness', tags: ['operations'], response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));
  app.get(
    '/ready',
    {
      logLevel: 'warn',
      config: { rateLimit: false },
      schema: {
        summary: 'Readiness: 200 while the store answers (status "degraded" when search is down or behind), 503 when it does not',
        tags: ['operations'],
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['ready', 'degraded'] },
              store: { type: 'string' },
              search: {
                type: 'object',
                description: 'The search backend, whether it answers, the changes waiting to be indexed and the age of the oldest (seconds), and a reindex under way',
                properties: {
                  backend: { type: 'string' },
                  up: { type: 'boolean' },
                  detail: { type: 'string' },
                  pending: { type: 'integer' },
                  lagSeconds: { type: 'number' },
                  reindex: { type: 'object', description: 'Present while a reindex runs: its process and when it started', properties: { holder: { type: 'string' }, since: { type: 'string', format: 'date-time' } } },
                },
              },
              queue: {
                type: 'object',
                description: 'Harvest jobs: waiting, running, failed in the last day, and how long the oldest has waited (seconds)',
                properties: { queued: { type: 'integer' }, active: { type: 'integer' }, failedLastDay: { type: 'integer' }, oldestWaitingSeconds: { type: 'number' } },
              },
            },
          },
          503: { $ref: 'Problem#' },
        },
      },
    },
    async (req, reply) => {
      // A store that takes connections but never answers must not hang the probe: it is down too.
      let r: Awaited<ReturnType<typeof services.readiness>>;
      try {
        await withinTime(services.db.query('SELECT 1'), READY_TIMEOUT_MS);
        r = await withinTime(services.readiness(), READY_TIMEOUT_MS);
      } catch (e) {
        req.log.warn({ err: (e as Error).message }, 'not ready: the store does not answer');
        reply.header('retry-after', '5');
        return sendProblem(reply, { title: 'Service Unavailable', status: 503, detail: `The store does not answer: ${(e as Error).message}` });
      }
      // Records, linked data and ingest work without search: the instance stays in rotation, and says so.
      const degraded = !r.search.up || r.search.lagSeconds > 300;
      return { status: degraded ? 'degraded' : 'ready', store: services.db.driver, ...r };
    },
  );
  const context = contextDocument();
  // Our own JSON-LD is read back offline (the JSON-LD forms of a record, the tests, a second instance).
  registerContext(`${services.config.baseUrl}/context.jsonld`, context);
  const contextText = JSON.stringify(context);
  const contextTag = `"${createHash('sha1').update(contextText).digest('base64url').slice(0, 16)}"`;
  app.get('/context.jsonld', { schema: { summary: 'The JSON-LD context of every JSON response', tags: ['linked data'], produces: ['application/ld+json'], response: { 304: { type: 'null', description: 'Not Modified' } }, } }, async (req, reply) => {
    reply.type('application/ld+json').header('cache-control', 'public, max-age=86400').header('etag', contextTag);
    // Compared as every validator here is (weakly, in a list): a client holds the weak W/ form when the
    // context came compressed, as it does to every browser.
    if (notModified(req, contextTag)) return reply.code(304).send();
    return reply.send(contextText);
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(searchRoutes, { services });
  await app.register(searchExportRoutes, { services });
  await app.register(recordRoutes, { services, html: (req, r) => recordPageHtml(services, r, acceptLanguage(req.headers['accept-language']), `/datasets/${r.id}`) });
  await app.register(qualityRoutes, { services });
  await app.register(kpiRoutes, { services });
  await app.register(feedbackRoutes, { services });
  await app.register(registerRoutes, { services });
  await app.register(auditRoutes, { services });
  await app.register(webRoutes, { services });
  await app.register(sitemapRoutes, { services });
  await app.register(catalogRoutes, { services });
  await app.register(ingestRoutes, { services });
  await app.register(validateRoutes, { services });
  await app.register(sourceRoutes, { services });
  await app.register(keyRoutes, { services });
  await app.register(labelRoutes, { services });
  await app.register(catalogDcatRoutes, { services });
  await app.register(viewDcatRoutes, { services });
  await app.register(thematicViewRoutes, { services });
  await app.register(dereferenceRoutes, { services });
  await app.register(dumpRoutes, { services });
  await app.register(feedRoutes, { services });
  await app.register(sparqlRoutes, { services });
  return app;
}
