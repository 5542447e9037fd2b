// The SPARQL 1.1 protocol endpoint, read-only: GET /sparql?query=…, POST with an
// application/sparql-query body or a form with query=…. Results as JSON, XML, CSV or TSV (SELECT, ASK)
// or as RDF (CONSTRUCT, DESCRIBE), by content negotiation. Updates and malformed queries: 400 with the
// parser's message. A query past the time limit: 503, and the service goes on answering.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { checkQuery, RESULT_TYPES, SparqlRequestError, type ProtocolDataset } from '../sparql/service.js';
import { SparqlQueryError, SparqlStoreResetError, SparqlTimeoutError, SparqlUnavailableError } from '../sparql/store.js';
import { namedNode, quad, type Quad } from '../rdf/terms.js';
import { RDF_TYPE } from '../rdf/namespaces.js';
import { serialize } from '../rdf/write.js';
import { mediaTypeFor, type RdfFormat } from '../rdf/formats.js';
import { choose, RDF_ONLY_OFFERS, type Offer } from './negotiate.js';
import { problem } from './problem.js';
import { RdfXmlCharacterError } from '../rdf/rdfxml-writer.js';

const SD = 'http://www.w3.org/ns/sparql-service-description#';

/** What a query answers with: results of SELECT and ASK, RDF of CONSTRUCT and DESCRIBE. */
const ANSWER_TYPES = [...new Set([...RESULT_TYPES.bindings, ...RESULT_TYPES.graph])];
/** What the endpoint answers with: those, and the service description in any RDF syntax. */
const ENDPOINT_TYPES = [...new Set([...ANSWER_TYPES, ...RDF_ONLY_OFFERS.map((o) => o.type)])];

export async function sparqlRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  const { timeoutMs, maxResults } = services.config.sparql;

  // SPARQL bodies are text; a form body is read here too (one parser, with the service's body limit).
  app.addContentTypeParser(['application/sparql-query', 'application/sparql-update'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // A form's graph parameters may repeat: kept as lists.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const form = new URLSearchParams(body as string);
    const out: Record<string, string | string[]> = Object.fromEntries(form);
    for (const k of ['default-graph-uri', 'named-graph-uri']) if (form.has(k)) out[k] = form.getAll(k);
    done(null, out);
  });

  /** The protocol's dataset, from the address (GET, or POST of a query body) or from a form. */
  const datasetOf = (params: URLSearchParams): ProtocolDataset => ({ defaultGraphs: params.getAll('default-graph-uri'), namedGraphs: params.getAll('named-graph-uri') });
  const addressParams = (req: FastifyRequest) => new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');

  const answer = async (req: FastifyRequest, reply: FastifyReply, query: string | undefined, update: string | undefined, dataset: ProtocolDataset) => {
    if (update !== undefined) throw problem(400, 'Bad Request', 'This endpoint is read-only: SPARQL Update is not accepted here.');
    if (query === undefined || query.trim() === '') return serviceDescription(req, reply);
    let checked;
    try {
      checked = checkQuery(query, maxResults, dataset);
    } catch (e) {
      if (e instanceof SparqlRequestError) throw problem(400, 'Bad Request', e.message);
      throw e;
    }
    const offers = RESULT_TYPES[checked.kind].map((type) => ({ type, format: 'json' as const }));
    // Clients that ask for plain JSON or XML (a browser's fetch, many libraries) get the SPARQL results,
    // or the graph of a CONSTRUCT or DESCRIBE, in that syntax: JSON-LD and RDF/XML are JSON and XML.
    const aliases =
      checked.kind === 'bindings'
        ? [
            { type: 'application/json', format: 'json' as const, as: 'application/sparql-results+json' },
            { type: 'application/xml', format: 'json' as const, as: 'application/sparql-results+xml' },
          ]
        : [
            { type: 'application/json', format: 'json' as const, as: 'application/ld+json' },
            { type: 'application/xml', format: 'json' as const, as: 'application/rdf+xml' },
          ];
    const pick = (among: Offer[]) => {
      const picked = choose(req.headers.accept, among);
      return picked && { ...picked, type: aliases.find((a) => a.type === picked.type)?.as ?? picked.type };
    };
    const chosen = pick([...offers, ...aliases]);
    reply.header('vary', 'Accept');
    if (!chosen) throw problem(406, 'Not Acceptable', `Results of this query are available as ${RESULT_TYPES[checked.kind].join(', ')}.`, { available: [...RESULT_TYPES[checked.kind]] });
    try {
      let body: string;
      try {
        body = await services.sparql.query(checked, chosen.type);
      } catch (e) {
        // A literal holding a control character XML 1.0 cannot carry: the answer is not changed to fit
        // XML (RDF/XML, or the XML results format). A client that takes another format too gets the
        // best of those, else it is told why.
        if (!(e instanceof RdfXmlCharacterError)) throw e;
        const xml = new Set(['application/rdf+xml', 'application/sparql-results+xml', 'application/xml']);
        const others = [...offers, ...aliases].filter((o) => !xml.has(o.type));
        const next = pick(others);
        const available = RESULT_TYPES[checked.kind].filter((t) => !xml.has(t));
        if (!next) throw problem(406, 'Not Acceptable', `This answer cannot be written in XML: ${e.message}. It is available as ${available.join(', ')}.`, { available });
        chosen.type = next.type;
        body = await services.sparql.query(checked, chosen.type);
      }
      if (checked.limited) reply.header('vindbaar-results-limited', String(maxResults));
      return reply.type(`${chosen.type}; charset=utf-8`).send(body);
    } catch (e) {
      if (e instanceof SparqlTimeoutError) {
        reply.header('retry-after', '5');
        throw problem(503, 'Query Timeout', `${e.message} Queries may run for ${timeoutMs / 1000} s here: narrow it (filters, a LIMIT) or use the dumps at ${base}/dumps.`);
      }
      if (e instanceof SparqlQueryError) throw problem(400, 'Bad Request', `The query could not be evaluated: ${e.message}`);
      if (e instanceof SparqlUnavailableError || e instanceof SparqlStoreResetError) {
        reply.header('retry-after', '30');
        throw problem(503, 'Service Unavailable', e.message);
      }
      throw e;
    }
  };

  const description = `Read-only SPARQL 1.1 over every dataset, series and service (each record a named graph; the default graph is their union unless the query names its dataset with FROM / FROM NAMED or default-graph-uri / named-graph-uri), with its CatalogRecord. Queries run for at most ${timeoutMs / 1000} s and return at most ${maxResults} results.`;
  app.get<{ Querystring: { query?: string; update?: string } }>(
    '/sparql',
    {
      config: { expensive: true },
      schema: {
        summary: 'SPARQL 1.1 query endpoint (protocol GET)',
        description,
        tags: ['linked data'],
        produces: ENDPOINT_TYPES,
        // A longer query goes in a POST body: an address this long is past what HTTP servers and proxies take.
        querystring: {
          type: 'object',
          properties: {
            query: { type: 'string', maxLength: 6_000 },
            'default-graph-uri': { description: 'A graph of the default graph (repeatable); replaces the query\'s FROM' },
            'named-graph-uri': { description: 'A named graph of the dataset (repeatable); replaces the query\'s FROM NAMED' },
          },
        },
      },
    },
    async (req, reply) => answer(req, reply, req.query.query, req.query.update, datasetOf(addressParams(req))),
  );
  app.post<{ Body: string | { query?: string; update?: string } }>(
    '/sparql',
    {
      config: { expensive: true },
      schema: {
        summary: 'SPARQL 1.1 query endpoint (protocol POST: application/sparql-query, or a form with query=)',
        description,
        tags: ['linked data'],
        produces: ENDPOINT_TYPES,
        body: {
          content: {
            'application/sparql-query': { schema: { type: 'string', description: 'The query' } },
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                // No required query: a form with update= (the protocol's update operation) is answered
                // by the handler with what it is (read-only), not as a form that lacks a field.
                properties: { query: { type: 'string' }, 'default-graph-uri': { description: 'A graph of the default graph (repeatable)' }, 'named-graph-uri': { description: 'A named graph (repeatable)' } },
              },
            },
          },
        },
      },
      bodyLimit: 1024 * 1024,
    },
    async (req, reply) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type === 'application/sparql-update') return answer(req, reply, undefined, String(req.body), datasetOf(addressParams(req)));
      // A POST is a query: one without any is a mistake to name, not a request for the service description.
      const noQuery = 'The request holds no query: POST it as application/sparql-query, or as a form with query=.';
      if (type === 'application/sparql-query') {
        const query = String(req.body ?? '');
        if (query.trim() === '') throw problem(400, 'Bad Request', noQuery);
        return answer(req, reply, query, undefined, datasetOf(addressParams(req)));
      }
      if (type === 'application/x-www-form-urlencoded') {
        const form = req.body as { query?: string; update?: string; 'default-graph-uri'?: string[]; 'named-graph-uri'?: string[] };
        if (form.update === undefined && (form.query ?? '').trim() === '') throw problem(400, 'Bad Request', noQuery);
        return answer(req, reply, form.query, form.update, { defaultGraphs: form['default-graph-uri'] ?? [], namedGraphs: form['named-graph-uri'] ?? [] });
      }
      throw problem(415, 'Unsupported Media Type', 'POST a query as application/sparql-query, or as a form (application/x-www-form-urlencoded) with query=.');
    },
  );

  /** Every format a query is answered in, by its W3C format IRI (what sd:resultFormat names). */
  const FORMAT_IRIS: Record<string, string> = {
    'application/sparql-results+json': 'SPARQL_Results_JSON',
    'application/sparql-results+xml': 'SPARQL_Results_XML',
    'text/csv': 'SPARQL_Results_CSV',
    'text/tab-separated-values': 'SPARQL_Results_TSV',
    'text/turtle': 'Turtle',
    'application/n-triples': 'N-Triples',
    'application/rdf+xml': 'RDF_XML',
    'application/n-quads': 'N-Quads',
    'application/trig': 'TriG',
    'application/ld+json': 'JSON-LD',
  };

  // SPARQL 1.1 Service Description, 2: the description is RDF, in the syntax the client asks for when
  // there is a choice. A client that names none of them (a results format, a browser) gets Turtle.
  const serviceDescription = async (req: FastifyRequest, reply: FastifyReply) => {
    const sd = (local: string) => namedNode(`${SD}${local}`);
    const endpoint = namedNode(`${base}/sparql`);
    const quads: Quad[] = [
      quad(endpoint, namedNode(RDF_TYPE), sd('Service')),
      quad(endpoint, sd('endpoint'), endpoint),
      quad(endpoint, sd('supportedLanguage'), sd('SPARQL11Query')),
      ...ANSWER_TYPES.map((type) => quad(endpoint, sd('resultFormat'), namedNode(`http://www.w3.org/ns/formats/${FORMAT_IRIS[type]}`))),
      quad(endpoint, sd('feature'), sd('UnionDefaultGraph')),
    ];
    const format = (choose(req.headers.accept, RDF_ONLY_OFFERS)?.format ?? 'turtle') as RdfFormat;
    reply.header('vary', 'Accept');
    reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
    return reply.send(await serialize(quads, format, { prefixes: { sd: SD } }));
  };
}
