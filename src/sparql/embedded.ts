// The embedded SPARQL store: Oxigraph (WebAssembly) in a worker thread, so that a long query never
// blocks the service's event loop, and a query past its time limit is stopped by ending the thread.
// The store is then empty: it says so (intact() is false) and the sync loads it again from Postgres,
// which for an embedded catalogue takes seconds.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { SparqlQueryError, SparqlStoreResetError, SparqlTimeoutError, type GraphChange, type SparqlStore } from './store.js';

// The thread's code: plain JavaScript, so that it runs the same under tsx and compiled.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const oxigraph = require(workerData.oxigraph);
const store = new oxigraph.Store();
parentPort.on('message', (m) => {
  try {
    if (m.op === 'query') {
      const out = store.query(m.query, { results_format: m.mediaType, use_default_graph_as_union: !m.dataset });
      parentPort.postMessage({ id: m.id, result: typeof out === 'string' ? out : String(out) });
    } else if (m.op === 'apply') {
      for (const c of m.changes) {
        store.update('DROP SILENT GRAPH <' + c.graph + '>');
        if (c.ntriples) store.load(c.ntriples, { format: 'application/n-triples', to_graph_name: oxigraph.namedNode(c.graph), no_transaction: true });
      }
      parentPort.postMessage({ id: m.id, result: '' });
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;

/** Where the oxigraph package is, for the thread (whose own require starts from the working directory). */
const OXIGRAPH = createRequire(import.meta.url).resolve('oxigraph');

interface Pending {
  resolve: (text: string) => void;
  reject: (e: Error) => void;
}

export class EmbeddedSparqlStore implements SparqlStore {
  readonly name = 'oxigraph-embedded';
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private wasReset = false;

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER, { eval: true, workerData: { oxigraph: OXIGRAPH } });
    w.on('message', (m: { id: number; result?: string; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new SparqlQueryError(m.error));
      else p.resolve(m.result ?? '');
    });
    // Only the current thread's end fails what waits on it: one ended after a timeout has been replaced.
    w.on('error', (e) => {
      if (this.worker === w) this.fail(e);
    });
    w.on('exit', () => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.wasReset = true;
      this.fail(new Error('the SPARQL thread stopped'));
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private fail(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call(message: Record<string, unknown>): { id: number; done: Promise<string> } {
    const id = this.nextId++;
    const done = new Promise<string>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.thread().postMessage({ ...message, id });
    return { id, done };
  }

  async query(query: string, mediaType: string, timeoutMs: number, dataset = false): Promise<string> {
    const { id, done } = this.call({ op: 'query', query, mediaType, dataset });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // The only way to stop WebAssembly mid-query: end the thread. Its store goes with it.
        const p = this.pending.get(id);
        this.pending.delete(id);
        const w = this.worker;
        this.worker = undefined;
        this.wasReset = true;
        void w?.terminate();
        // What waited behind it did nothing wrong: it may be asked again once the store is reloaded.
        this.fail(new SparqlStoreResetError());
        p?.reject(new SparqlTimeoutError(timeoutMs / 1000));
        reject(new SparqlTimeoutError(timeoutMs / 1000));
      }, timeoutMs);
    });
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async apply(changes: GraphChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.call({ op: 'apply', changes }).done;
  }

  intact(): boolean {
    if (!this.wasReset) return true;
    // Reported once: the caller reloads the store.
    this.wasReset = false;
    return false;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
