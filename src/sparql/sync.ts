// Keeps a SPARQL store in step with Postgres by following the change feed (feed_events): each event
// names a record; the store gets that record's graph as it is now (its triples and its CatalogRecord),
// or loses it when the record was withdrawn. An empty store is first filled from the records
// themselves, in id order, then follows the feed from where it stood when the fill began (events
// during the fill are applied again: replacing a graph twice is harmless).
import type { Queryable } from '../store/db.js';
import { entryOf, LIVE, publishedRecords, type StreamedRecord } from '../store/record-stream.js';
import { ntLines, relabelBlankNodes } from '../dcat/canonical.js';
import { catalogRecordQuads } from '../dcat/catalog-record.js';
import { catalogIri, catalogQuads } from '../dcat/catalog-description.js';
import type { CatalogDescription } from '../config.js';
import type { GraphChange, SparqlStore } from './store.js';

const EVENTS_PER_STEP = 1_000;

export const recordGraph = (baseUrl: string, id: string) => `${baseUrl}/api/v1/records/${id}`;

function graphOf(baseUrl: string, r: StreamedRecord): GraphChange {
  const provenance = catalogRecordQuads(baseUrl, entryOf(r));
  // Blank nodes are labelled per record in storage (_:b0 in many records): kept apart per graph here.
  return { graph: recordGraph(baseUrl, r.id), ntriples: relabelBlankNodes(r.nquads, `${r.id}_`) + ntLines(provenance) };
}

export interface SyncState {
  /** The last feed event applied. */
  seq: number;
}

export class SparqlSync {
  private state: SyncState | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly store: SparqlStore,
    private readonly baseUrl: string,
    private readonly catalog: CatalogDescription,
    /** Row in sparql_sync for a store that keeps its data between starts; none for the embedded one. */
    private readonly persistAs?: string,
  ) {}

  /** Events not applied yet. */
  async behind(): Promise<number> {
    const max = (await this.db.query<{ max: string | null }>('SELECT max(seq) AS max FROM feed_events')).rows[0].max;
    return Number(max ?? 0) - (this.state?.seq ?? (await this.load()).seq);
  }

  private async load(): Promise<SyncState> {
    if (this.state) return this.state;
    if (this.persistAs) {
      const r = await this.db.query<{ seq: string }>('SELECT seq FROM sparql_sync WHERE store = $1', [this.persistAs]);
      this.state = { seq: r.rows[0] ? Number(r.rows[0].seq) : -1 };
    } else this.state = { seq: -1 };
    return this.state;
  }

  private async save(seq: number): Promise<void> {
    this.state = { seq };
    if (this.persistAs)
      await this.db.query(
        `INSERT INTO sparql_sync (store, seq, synced_at) VALUES ($1, $2, now()) ON CONFLICT (store) DO UPDATE SET seq = EXCLUDED.seq, synced_at = now()`,
        [this.persistAs, seq],
      );
  }

  /** Applies what is new, at most `limit` events (all when undefined). One run at a time. Returns the
   * number of events applied (records loaded, for a fill). */
  sync(limit?: number): Promise<number> {
    if (this.running) return this.running;
    this.running = this.run(limit).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(limit?: number): Promise<number> {
    if (!this.store.intact()) this.state = { seq: -1 };
    if ((await this.load()).seq < 0) return this.fill();
    let applied = 0;
    for (;;) {
      const step = Math.min(EVENTS_PER_STEP, limit === undefined ? EVENTS_PER_STEP : limit - applied);
      if (step <= 0) break;
      // save() replaces this.state: read the position afresh on every step.
      const from = (await this.load()).seq;
      const events = await this.db.query<{ seq: string; record_id: string }>('SELECT seq, record_id FROM feed_events WHERE seq > $1 ORDER BY seq LIMIT $2', [from, step]);
      if (events.rows.length === 0) break;
      const ids = [...new Set(events.rows.map((e) => e.record_id))];
      const live = await this.db.query<StreamedRecord>(
        `SELECT r.id, r.iri, r.kind, r.nquads, r.first_seen, r.last_modified, r.fetched_at, r.run_id, s.url AS source_url
         FROM records r LEFT JOIN sources s ON s.id = r.source_id WHERE ${LIVE} AND r.id = ANY($1::text[])`,
        [ids],
      );
      const byId = new Map(live.rows.map((r) => [r.id, r]));
      await this.store.apply(ids.map((id) => (byId.has(id) ? graphOf(this.baseUrl, byId.get(id)!) : { graph: recordGraph(this.baseUrl, id), ntriples: null })));
      await this.save(Number(events.rows.at(-1)!.seq));
      applied += events.rows.length;
    }
    return applied;
  }

  /** Loads every live record into an empty store. */
  private async fill(): Promise<number> {
    const from = Number((await this.db.query<{ max: string | null }>('SELECT max(seq) AS max FROM feed_events')).rows[0].max ?? 0);
    await this.store.apply([{ graph: catalogIri(this.baseUrl), ntriples: ntLines(catalogQuads(this.baseUrl, this.catalog)) }]);
    let loaded = 0;
    for await (const batch of publishedRecords(this.db, 500, LIVE)) {
      await this.store.apply(batch.map((r) => graphOf(this.baseUrl, r)));
      loaded += batch.length;
    }
    await this.save(from);
    // What changed during the fill.
    await this.run();
    return loaded;
  }
}
