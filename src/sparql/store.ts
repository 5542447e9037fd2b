// Where SPARQL queries run: a triple store kept in step with Postgres (see sync.ts), embedded (Oxigraph in
// a worker thread, the default) or an Oxigraph server (SPARQL_URL) for large catalogues. Each record is a
// named graph (its document's URL), queried as the union default graph.

export interface GraphChange {
  /** The record's graph. */
  graph: string;
  /** Its triples as N-Triples (blank nodes labelled apart from other graphs'), or null to remove it. */
  ntriples: string | null;
}

export interface SparqlStore {
  readonly name: string;
  /** Runs a read-only query and returns the results serialised in `mediaType`. */
  /** `dataset`: the query names its graphs (FROM); otherwise its default graph is the union of all. */
  query(query: string, mediaType: string, timeoutMs: number, dataset?: boolean): Promise<string>;
  /** Replaces or removes whole graphs. */
  apply(changes: GraphChange[]): Promise<void>;
  /** Whether the store still holds what it was given (false after an embedded store was restarted). */
  intact(): boolean;
  close(): Promise<void>;
}

/** The query ran past its time limit; the store was stopped from working on it. */
export class SparqlTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`The query ran longer than ${seconds} s and was stopped.`);
    this.name = 'SparqlTimeoutError';
  }
}

/** The store refused the query (an error while evaluating it). */
export class SparqlQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SparqlQueryError';
  }
}

/** The store cannot be reached or is (re)loading. */
export class SparqlUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SparqlUnavailableError';
  }
}

/** The store was restarted while the query waited its turn (another query ran past its limit): it is
 * worth asking again once the store is loaded. */
export class SparqlStoreResetError extends Error {
  constructor() {
    super('The SPARQL store was restarted while the query waited: another query ran past its time limit.');
    this.name = 'SparqlStoreResetError';
  }
}
