// Virtuoso (Open Source 7, a Debian package) as the SPARQL store of a large deployment: it answers
// aggregates over millions of triples in tens of milliseconds where Oxigraph takes seconds (see
// BENCHMARKS.md, SPARQL). Queries and updates go to its SPARQL endpoint; the user "SPARQL" needs the
// SPARQL_UPDATE role there (`GRANT SPARQL_UPDATE TO "SPARQL";` in isql), so Virtuoso must only be reachable
// by Vindbaar: /sparql here is the read-only public face.
//
// Graphs are written with the SPARQL Graph Store protocol (/sparql-graph-crud): SPARQL Update there
// refuses blank nodes in INSERT DATA and compiles large updates into more SQL than it accepts. A query
// it expects to run past its limit is refused at once ("estimated execution time exceeds the limit"),
// which is answered like a timeout.
import { SparqlQueryError, SparqlTimeoutError, SparqlUnavailableError, type GraphChange, type SparqlStore } from './store.js';

/** Graph writes in flight. */
const PARALLEL = 4;

/** How often a write that Virtuoso rolled back for a deadlock is tried. */
const DEADLOCK_ATTEMPTS = 6;

export class VirtuosoSparqlStore implements SparqlStore {
  readonly name = 'virtuoso';
  private readonly endpoint: string;
  private readonly graphStore: string;
  constructor(url: string) {
    const base = url.replace(/\/$/, '').replace(/\/sparql$/, '');
    this.endpoint = `${base}/sparql`;
    this.graphStore = `${base}/sparql-graph-crud`;
  }

  private async post(form: Record<string, string>, accept: string, timeoutMs: number, limitSeconds: number): Promise<Response> {
    try {
      return await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError') throw new SparqlTimeoutError(limitSeconds);
      throw new SparqlUnavailableError(`The SPARQL store at ${this.endpoint} does not answer: ${err.message}`);
    }
  }

  async query(query: string, mediaType: string, timeoutMs: number): Promise<string> {
    // Virtuoso's TSV quotes names and values like CSV; the SPARQL 1.1 TSV format writes ?names and
    // terms in Turtle syntax. Made here from its JSON results.
    if (mediaType === 'text/tab-separated-values') return jsonToTsv(await this.query(query, 'application/sparql-results+json', timeoutMs));
    const seconds = timeoutMs / 1000;
    // Virtuoso's own limit ("timeout", in ms) makes it an anytime query: it answers what it has when
    // time runs out and says so in X-SQL-State; a partial answer is not an answer here.
    const res = await this.post({ query, timeout: String(timeoutMs) }, mediaType, timeoutMs + 2_000, seconds);
    const text = await res.text();
    if (res.headers.get('x-sql-state') === 'S1TAT' || /exceeds the limit|timed out|timeout/i.test(res.ok ? '' : text)) throw new SparqlTimeoutError(seconds);
    if (res.ok) return text;
    if (res.status >= 500 && !/SPARQL compiler|SP0\d\d|syntax/i.test(text)) throw new SparqlUnavailableError(`The SPARQL store answered ${res.status}: ${text.slice(0, 300)}`);
    throw new SparqlQueryError(text.split('\n')[0].slice(0, 1000));
  }

  async apply(changes: GraphChange[]): Promise<void> {
    // The SPARQL Graph Store protocol: one graph per request, replaced whole (PUT) or removed (DELETE),
    // a few at a time.
    let next = 0;
    const worker = async () => {
      while (next < changes.length) {
        const c = changes[next++];
        const url = `${this.graphStore}?graph-uri=${encodeURIComponent(c.graph)}`;
        let res: Response;
        for (let attempt = 1; ; attempt++) {
          try {
            res = c.ntriples
              ? await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: c.ntriples, signal: AbortSignal.timeout(600_000) })
              : await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(600_000) });
          } catch (e) {
            throw new SparqlUnavailableError(`The SPARQL store at ${this.graphStore} does not answer: ${(e as Error).message}`);
          }
          if (res.ok || attempt === DEADLOCK_ATTEMPTS) break;
          // Parallel writes can deadlock in Virtuoso ("SR172: Transaction deadlocked", SQL state 40001):
          // the transaction was rolled back whole, so the same write is tried again after a short pause.
          const text = await res.text();
          if (!/40001|deadlock/i.test(text)) {
            res = new Response(text, { status: res.status });
            break;
          }
          await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
        }
        // A graph that was never there needs no removing.
        if (!res.ok && !(res.status === 404 && !c.ntriples)) throw new SparqlUnavailableError(`The SPARQL store refused graph ${c.graph} (${res.status}): ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer().catch(() => undefined);
      }
    };
    // Every worker ends before this returns or throws: a write still in flight after a failure could
    // land after the retry that follows it.
    let failed = false;
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(PARALLEL, changes.length) }, () =>
        worker().catch((e: unknown) => {
          failed = true;
          next = changes.length;
          throw e;
        }),
      ),
    );
    if (failed) throw (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  }

  intact(): boolean {
    return true;
  }

  async close(): Promise<void> {}
}

interface JsonTerm {
  type: string;
  value: string;
  'xml:lang'?: string;
  datatype?: string;
}

function escapeLiteral(v: string): string {
  return v.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
}

function tsvTerm(t: JsonTerm | undefined): string {
  if (!t) return '';
  if (t.type === 'uri') return `<${t.value}>`;
  if (t.type === 'bnode') return `_:${t.value}`;
  const lexical = `"${escapeLiteral(t.value)}"`;
  if (t['xml:lang']) return `${lexical}@${t['xml:lang']}`;
  if (t.datatype && t.datatype !== 'http://www.w3.org/2001/XMLSchema#string') return `${lexical}^^<${t.datatype}>`;
  return lexical;
}

/** SPARQL 1.1 TSV from SPARQL JSON results (an ASK answer stays JSON: TSV has no form for it). */
export function jsonToTsv(json: string): string {
  const r = JSON.parse(json) as { head: { vars?: string[] }; boolean?: boolean; results?: { bindings: Record<string, JsonTerm>[] } };
  if (r.results === undefined) return json;
  const vars = r.head.vars ?? [];
  return [vars.map((v) => `?${v}`).join('\t'), ...r.results.bindings.map((b) => vars.map((v) => tsvTerm(b[v])).join('\t'))].join('\n') + '\n';
}
