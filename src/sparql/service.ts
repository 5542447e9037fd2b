// SPARQL over the whole catalogue: read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) checked and
// bounded here (parsed with sparqljs: updates and malformed queries are refused with the parser's
// message; a missing or too large LIMIT is lowered to the configured maximum), then run by the SPARQL
// store with a time limit, after the store has caught up with the latest changes.
import type { Logger } from 'pino';
import { parseString } from '../rdf/parse.js';
import { serialize } from '../rdf/write.js';
import { xmlDocumentFault } from '../rdf/rdfxml-writer.js';
import sparqljs from 'sparqljs';
import type { Queryable } from '../store/db.js';
import type { Config } from '../config.js';
import { EmbeddedSparqlStore } from './embedded.js';
import { RemoteSparqlStore } from './remote.js';
import { VirtuosoSparqlStore } from './virtuoso.js';
import { SparqlSync } from './sync.js';
import { SparqlStoreResetError, type SparqlStore } from './store.js';

/** What a query may be answered as, by kind of query; the first is the default. */
export const RESULT_TYPES = {
  bindings: ['application/sparql-results+json', 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'],
  graph: ['text/turtle', 'application/n-triples', 'application/rdf+xml', 'application/n-quads', 'application/trig', 'application/ld+json'],
} as const;

/** The query is not one this endpoint runs: malformed, an update, or of an unknown form. */
export class SparqlRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SparqlRequestError';
  }
}

export interface CheckedQuery {
  text: string;
  kind: 'bindings' | 'graph';
  /** The LIMIT was lowered to the maximum. */
  limited: boolean;
  /** The query names its dataset (FROM, FROM NAMED, or the protocol's graph parameters): the default
   * graph is then the graphs it names, not the union of every record. */
  dataset: boolean;
}

/** The protocol's dataset (default-graph-uri, named-graph-uri), which replaces the query's own. */
export interface ProtocolDataset {
  defaultGraphs: string[];
  namedGraphs: string[];
}

/** Parses a query, refuses updates, bounds its results, and applies the protocol's dataset. */
export function checkQuery(text: string, maxResults: number, protocol?: ProtocolDataset): CheckedQuery {
  let parsed: ReturnType<sparqljs.SparqlParser['parse']>;
  try {
    parsed = new sparqljs.Parser().parse(text);
  } catch (e) {
    throw new SparqlRequestError(`Malformed query: ${(e as Error).message}`);
  }
  if (parsed.type === 'update') throw new SparqlRequestError('This endpoint is read-only: SPARQL Update is not accepted here.');
  const kind = parsed.queryType === 'SELECT' || parsed.queryType === 'ASK' ? 'bindings' : 'graph';
  let rewritten = false;
  const withDataset = parsed as { from?: { default: { termType: 'NamedNode'; value: string }[]; named: { termType: 'NamedNode'; value: string }[] } };
  if (protocol && protocol.defaultGraphs.length + protocol.namedGraphs.length > 0) {
    // SPARQL 1.1 Protocol, 2.1.4: the graphs the request names replace those of the query.
    const iri = (value: string) => {
      if (!/^[a-z][a-z0-9+.-]*:[^\s<>"{}|^`\\]*$/i.test(value)) throw new SparqlRequestError(`Not an IRI: ${value}`);
      return { termType: 'NamedNode' as const, value };
    };
    withDataset.from = { default: protocol.defaultGraphs.map(iri), named: protocol.namedGraphs.map(iri) };
    rewritten = true;
  }
  const dataset = !!withDataset.from && withDataset.from.default.length + withDataset.from.named.length > 0;
  // The typings give LIMIT to SELECT only; the parser and generator know it on every query form.
  const bounded = parsed as { limit?: number };
  const limited = !(parsed.queryType === 'ASK' || (bounded.limit !== undefined && bounded.limit <= maxResults));
  if (limited) bounded.limit = maxResults;
  return { text: limited || rewritten ? new sparqljs.Generator().stringify(parsed) : text, kind, limited, dataset };
}

export class SparqlService {
  readonly store: SparqlStore;
  readonly sync: SparqlSync;
  private timer: NodeJS.Timeout | undefined;
  /** The embedded store is filled on the first query, not at start: most embedded services never get one. */
  private used = false;

  constructor(
    private readonly config: Config,
    db: Queryable,
    private readonly log: Logger,
  ) {
    const { url, store } = config.sparql;
    this.store = !url ? new EmbeddedSparqlStore() : store === 'virtuoso' ? new VirtuosoSparqlStore(url) : new RemoteSparqlStore(url);
    this.sync = new SparqlSync(db, this.store, config.baseUrl, config.catalog, url ? `${store}:${url}` : undefined);
  }

  /** Runs a checked query: the store first takes in recent changes (a bounded number, so that a
   * large harvest just written does not hold the answer up; the background sync does the rest). */
  async query(checked: CheckedQuery, mediaType: string): Promise<string> {
    this.used = true;
    // A query that waited behind one stopped at its limit is asked once more, after the reload.
    for (let attempt = 0; ; attempt++)
      try {
        await this.sync.sync(2_000);
        return await this.run(checked, mediaType);
      } catch (e) {
        if (!(e instanceof SparqlStoreResetError) || attempt > 0) throw e;
      }
  }

  private async run(checked: CheckedQuery, mediaType: string): Promise<string> {
    if (checked.kind === 'graph' && (mediaType === 'application/rdf+xml' || mediaType === 'application/ld+json')) {
      // Written by our own writers from the store's N-Triples: stores' RDF/XML writers let control
      // characters and element names XML does not allow through, and a reader then fails on the whole
      // answer; and not every store writes JSON-LD (Virtuoso's differs from one version to the next).
      const nt = await this.store.query(checked.text, 'application/n-triples', this.config.sparql.timeoutMs, checked.dataset);
      return serialize(await parseString(nt, { format: 'ntriples' }), mediaType === 'application/rdf+xml' ? 'rdfxml' : 'jsonld');
    }
    const body = await this.store.query(checked.text, mediaType, this.config.sparql.timeoutMs, checked.dataset);
    // Stores write a literal's control characters into XML results as they are (Oxigraph) or as
    // references: a document no XML reader takes. Refused here, as our RDF/XML writer refuses them.
    if (mediaType === 'application/sparql-results+xml') {
      const fault = xmlDocumentFault(body);
      if (fault) throw fault;
    }
    return body;
  }

  startBackgroundSync(intervalMs = 5_000): void {
    if (this.timer) return;
    let busy = false;
    this.timer = setInterval(() => {
      if (busy || (!this.used && !this.config.sparql.url)) return;
      busy = true;
      this.sync
        .sync()
        .then((n) => {
          if (n > 0) this.log.info({ events: n, store: this.store.name }, 'SPARQL store caught up');
        })
        .catch((e: Error) => this.log.warn({ err: e.message }, 'SPARQL sync failed; retrying'))
        .finally(() => {
          busy = false;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.store.close();
  }
}
