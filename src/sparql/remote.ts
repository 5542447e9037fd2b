// An Oxigraph server (`oxigraph serve --location DIR --timeout-s N`, from the `oxigraph` package on
// PyPI or a release binary) as the SPARQL store of a large deployment: SPARQL 1.1 protocol for queries,
// SPARQL Update to drop a record's graph, the Graph Store protocol to load it. A query that names no
// dataset asks for the union of the records' graphs as its default graph (`union-default-graph`); one
// that does (FROM) gets what it names, which a server started with --union-default-graph would ignore.
import { SparqlQueryError, SparqlTimeoutError, SparqlUnavailableError, type GraphChange, type SparqlStore } from './store.js';

export class RemoteSparqlStore implements SparqlStore {
  readonly name = 'oxigraph-server';
  constructor(private readonly url: string) {}

  private async request(path: string, init: RequestInit, timeoutMs: number, limitSeconds = timeoutMs / 1000): Promise<Response> {
    try {
      return await fetch(`${this.url.replace(/\/$/, '')}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError') throw new SparqlTimeoutError(limitSeconds);
      throw new SparqlUnavailableError(`The SPARQL store at ${this.url} does not answer: ${err.message}`);
    }
  }

  async query(query: string, mediaType: string, timeoutMs: number, dataset = false): Promise<string> {
    // The server stops the query at its own limit (--timeout-s); this one covers the way there and back.
    const res = await this.request(dataset ? '/query' : '/query?union-default-graph', { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: mediaType }, body: query }, timeoutMs + 2_000, timeoutMs / 1000);
    const text = await res.text();
    if (res.ok) return text;
    if (/timeout|timed out/i.test(text)) throw new SparqlTimeoutError(timeoutMs / 1000);
    if (res.status >= 500) throw new SparqlUnavailableError(`The SPARQL store answered ${res.status}: ${text.slice(0, 300)}`);
    throw new SparqlQueryError(text.slice(0, 1000));
  }

  async apply(changes: GraphChange[]): Promise<void> {
    if (changes.length === 0) return;
    const drop = changes.map((c) => `DROP SILENT GRAPH <${c.graph}>`).join(' ;\n');
    const dropped = await this.request('/update', { method: 'POST', headers: { 'content-type': 'application/sparql-update' }, body: drop }, 600_000);
    if (!dropped.ok) throw new SparqlUnavailableError(`The SPARQL store refused an update (${dropped.status}): ${(await dropped.text()).slice(0, 300)}`);
    // All the new graphs in one N-Quads document: one request per batch of records.
    let nquads = '';
    for (const c of changes) if (c.ntriples) nquads += c.ntriples.replace(/ \.\n/g, ` <${c.graph}> .\n`);
    if (!nquads) return;
    const loaded = await this.request('/store', { method: 'POST', headers: { 'content-type': 'application/n-quads' }, body: nquads }, 600_000);
    if (!loaded.ok) throw new SparqlUnavailableError(`The SPARQL store refused data (${loaded.status}): ${(await loaded.text()).slice(0, 300)}`);
  }

  intact(): boolean {
    return true;
  }

  async close(): Promise<void> {}
}
