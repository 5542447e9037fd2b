// Cuts a stream of quads into DCAT records: one per dcat:Catalog, dcat:Dataset, dcat:DatasetSeries
// and dcat:DataService, each with the nodes it owns (distributions, agents, contact points, periods,
// locations, checksums, identifiers: everything reachable without passing through another record).
//
// Memory stays flat: quads are held in a window. A record is cut once its root has not been touched
// for `window` quads, which real dumps satisfy because a record's triples sit together. Quads that
// arrive later, or that no record reaches, are never dropped: they leave as "Resource" records, so
// the union of all records is always the whole input. Each such record says which records of the input
// refer to it, as far as the splitter saw, so that a policy that turns records away can turn away the
// left-overs that only they refer to (see ingest/pipeline.ts).
import { quad, type Quad, type Term } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';

export type RecordKind = 'Catalog' | 'Dataset' | 'DatasetSeries' | 'DataService' | 'Resource';

const ROOT_TYPES = new Map<string, RecordKind>([
  [`${PREFIXES.dcat}Catalog`, 'Catalog'],
  [`${PREFIXES.dcat}DataService`, 'DataService'],
  [`${PREFIXES.dcat}DatasetSeries`, 'DatasetSeries'],
  [`${PREFIXES.dcat}Dataset`, 'Dataset'],
]);
const KIND_RANK: Record<RecordKind, number> = { Catalog: 4, DataService: 3, DatasetSeries: 2, Dataset: 1, Resource: 0 };

/** Links from a catalogue to its members, used to tell each record which catalogue lists it. */
const MEMBER_LINKS = new Set([`${PREFIXES.dcat}dataset`, `${PREFIXES.dcat}service`, `${PREFIXES.dcat}catalog`]);

/** Links that make a node a statement about one record, so it travels with that record: a
 * dcat:CatalogRecord (foaf:primaryTopic) and an LDES / Activity Streams event (as:object). */
const ANCHOR_LINKS = new Set([`${PREFIXES.foaf}primaryTopic`, 'https://www.w3.org/ns/activitystreams#object']);

export interface SplitRecord {
  root: Term;
  kind: RecordKind;
  /** The record's triples (graph names are dropped; see README, "Named graphs"). */
  quads: Quad[];
  /** IRI of a catalogue seen listing this record, if any. */
  catalogIri?: string;
  /** Left-over resources: the records of this input seen referring to it, directly or through other
   * left-overs (as the type of their nodes, or a node too large to take along). */
  referencedBy?: SplitRecord[];
  /** Left-over resources: records cut before it was read may refer to it unseen (a large input whose
   * records were cut by the window, or the late part of a node a record took). */
  unseenReferences?: boolean;
}

interface NodeState {
  term: Term;
  quads: Quad[];
  /** Keys of the node's triples, so a repeated triple (another graph, a dump that repeats a shared
   * agent per dataset) is kept once and memory does not grow with repetitions. Built only for nodes
   * that need it: ones already handed out in a record, or with many triples. Most nodes are
   * described once and never pay for it; their repeats, if any, are dropped when they are hashed. */
  seen?: Set<string>;
  lastTouch: number;
  /** The quad that brought the node into memory: records cut before then never saw it. */
  born: number;
  kind?: RecordKind;
  /** Records emitted while this node was in memory that refer to it without taking it. */
  referencedBy?: SplitRecord[];
  /** Number of quads already handed out in some record. */
  emitted: number;
}

export interface SplitterOptions {
  /** Quads a record may stay untouched before it is cut (default 50,000). */
  window?: number;
  /** Largest closure a record may take, in quads (default 50,000). */
  maxRecordQuads?: number;
}

function keyOf(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

function tripleKey(q: Quad): string {
  const o = q.object;
  const object = o.termType === 'Literal' ? `"${o.value}"@${o.language}^^${o.datatype.value}` : keyOf(o);
  return `${q.predicate.value} ${object}`;
}

/** Nodes with more triples than this keep a set of their triples' keys. */
const SEEN_THRESHOLD = 32;


export class RecordSplitter {
  private readonly nodes = new Map<string, NodeState>();
  private readonly roots = new Map<string, NodeState>();
  private readonly memberOf = new Map<string, string>();
  /** node key -> the record key it is about; and the reverse. */
  private readonly anchorOf = new Map<string, string>();
  private readonly anchored = new Map<string, Set<string>>();
  private seq = 0;
  private lastCut = 0;
  /** The quad at which the first record was cut, if any was. */
  private firstEmit?: number;
  private readonly window: number;
  private readonly maxRecordQuads: number;

  constructor(options: SplitterOptions = {}) {
    this.window = options.window ?? 50_000;
    this.maxRecordQuads = options.maxRecordQuads ?? 50_000;
  }

  /** Adds quads; returns the records that are complete as far as the window can tell. */
  push(quads: Quad[]): SplitRecord[] {
    for (const q of quads) this.add(q);
    // Looking for settled records costs a pass over the window, so do it every quarter window.
    if (this.seq - this.lastCut < this.window / 4) return [];
    this.lastCut = this.seq;
    return this.cut(false);
  }

  /** Ends the input: returns every remaining record, including orphan resources. */
  end(): SplitRecord[] {
    return this.cut(true);
  }

  private add(q: Quad): void {
    this.seq++;
    const s = q.subject;
    const sk = keyOf(s);
    let node = this.nodes.get(sk);
    if (!node) {
      node = { term: s, quads: [], lastTouch: this.seq, born: this.seq, emitted: 0 };
      this.nodes.set(sk, node);
    }
    node.lastTouch = this.seq;
    if (node.seen === undefined && (node.emitted > 0 || node.quads.length >= SEEN_THRESHOLD)) {
      node.quads = dedupe(node.quads, node);
      node.seen = new Set(node.quads.map(tripleKey));
    }
    if (node.seen !== undefined) {
      const k = tripleKey(q);
      if (node.seen.has(k)) return;
      node.seen.add(k);
    }
    // A record already cut that gets more triples is cut again later, whole.
    if (node.kind && !this.roots.has(sk)) this.roots.set(sk, node);
    node.quads.push(q.graph.termType === 'DefaultGraph' ? q : quad(q.subject, q.predicate, q.object));
    if (q.predicate.value === RDF_TYPE) {
      const kind = ROOT_TYPES.get(q.object.value);
      if (kind && (!node.kind || KIND_RANK[kind] > KIND_RANK[node.kind])) {
        node.kind = kind;
        this.roots.set(sk, node);
      }
    } else if (MEMBER_LINKS.has(q.predicate.value) && q.object.termType === 'NamedNode') {
      this.memberOf.set(q.object.value, keyOf(s));
    } else if (ANCHOR_LINKS.has(q.predicate.value) && q.object.termType === 'NamedNode' && !this.anchorOf.has(sk)) {
      this.anchorOf.set(sk, q.object.value);
      let set = this.anchored.get(q.object.value);
      if (!set) this.anchored.set(q.object.value, (set = new Set()));
      set.add(sk);
    }
  }

  private cut(final: boolean): SplitRecord[] {
    const out: SplitRecord[] = [];
    const horizon = this.seq - this.window;
    for (const [k, root] of this.roots) {
      if (!final && root.lastTouch > horizon) continue;
      out.push(this.emit(root));
      this.roots.delete(k);
      this.firstEmit ??= this.seq;
    }
    // Nodes past the horizon that no pending record can still claim leave memory now; whatever
    // part of them no record took leaves as a Resource record.
    const claimable = final ? new Set<string>() : this.pendingClosure();
    const orphans: NodeState[] = [];
    for (const [k, node] of this.nodes) {
      if (!final && (node.lastTouch > horizon || claimable.has(k))) continue;
      if (this.roots.has(k)) continue;
      if (node.emitted < node.quads.length) orphans.push(node);
      this.nodes.delete(k);
    }
    // One by one: spread into push's arguments, a few hundred thousand left-overs (a vocabulary, a long
    // chain of blank nodes, handed over in one push) overflowed the call stack.
    for (const r of this.orphanRecords(orphans, final)) out.push(r);
    for (const [k] of this.memberOf) if (final || !this.nodes.has(k)) this.memberOf.delete(k);
    for (const [k, target] of this.anchorOf)
      if (final || !this.nodes.has(k)) {
        this.anchorOf.delete(k);
        const set = this.anchored.get(target);
        set?.delete(k);
        if (set && set.size === 0) this.anchored.delete(target);
      }
    return out;
  }

  private pendingClosure(): Set<string> {
    const seen = new Set<string>();
    for (const root of this.roots.values()) for (const n of this.closure(root)) seen.add(keyOf(n.term));
    return seen;
  }

  /** The root, the nodes anchored to it, and every node reachable from them through non-root nodes
   * held in memory, except nodes anchored to another record. When the closure is that of `record`, being
   * emitted, the nodes it refers to without taking them note it (few: classes, oversized nodes). */
  private closure(root: NodeState, record?: SplitRecord): NodeState[] {
    const rootKey = keyOf(root.term);
    const out: NodeState[] = [root];
    const seen = new Set<string>([rootKey]);
    let size = root.quads.length;
    for (const k of this.anchored.get(rootKey) ?? []) {
      const n = this.nodes.get(k);
      if (n && !n.kind && !seen.has(k)) {
        seen.add(k);
        size += n.quads.length;
        out.push(n);
      }
    }
    for (let i = 0; i < out.length; i++) {
      for (const q of out[i].quads) {
        const o = q.object;
        if (o.termType !== 'NamedNode' && o.termType !== 'BlankNode') continue;
        // A class is vocabulary, never a node a record owns: what the input says about dcat:Dataset
        // (a subclass axiom, a label) is not part of the first dataset that happens to have that type.
        if (q.predicate.value === RDF_TYPE) {
          if (record) this.noteReference(keyOf(o), record);
          continue;
        }
        const k = keyOf(o);
        if (seen.has(k)) continue;
        const n = this.nodes.get(k);
        if (!n || n.kind) continue;
        const anchor = this.anchorOf.get(k);
        if (anchor !== undefined && anchor !== rootKey && this.roots.has(anchor)) continue;
        if (size + n.quads.length > this.maxRecordQuads) {
          if (record) this.noteReference(k, record);
          continue;
        }
        seen.add(k);
        size += n.quads.length;
        out.push(n);
      }
    }
    return out;
  }

  /** A record refers to a node held in memory without taking it: should that node be left over, it
   * is known to be that record's. */
  private noteReference(key: string, record: SplitRecord): void {
    const n = this.nodes.get(key);
    if (!n || n.kind) return;
    const list = (n.referencedBy ??= []);
    if (list[list.length - 1] !== record) list.push(record);
  }

  private emit(root: NodeState): SplitRecord {
    const quads: Quad[] = [];
    const rk = keyOf(root.term);
    const catalogKey = this.memberOf.get(rk);
    const record: SplitRecord = { root: root.term, kind: root.kind ?? 'Resource', quads, catalogIri: catalogKey?.startsWith('_:') ? undefined : catalogKey };
    for (const n of this.closure(root, record)) {
      // A small node without a key set may still hold a repeated triple; records never do.
      if (n.seen === undefined && n.emitted === 0) n.quads = withoutRepeats(n.quads);
      for (const q of n.quads) quads.push(q);
      n.emitted = n.quads.length;
    }
    return record;
  }

  /** Groups left-over quads: one record per IRI subject with the blank nodes only it reaches; the
   * remaining blank-node islands one record each. Each says which records refer to it: those noted on
   * its nodes, and those of the left-overs that refer to it in turn. Left-overs cut before the end may
   * yet be referred to by records still to come, like those read before records were cut. */
  private orphanRecords(nodes: NodeState[], final: boolean): SplitRecord[] {
    const out: SplitRecord[] = [];
    const byKey = new Map(nodes.map((n) => [keyOf(n.term), n]));
    const recordOf = new Map<string, SplitRecord>();
    const referrers = new Map<SplitRecord, Set<SplitRecord>>();
    /** Left-overs that refer to other left-overs: what refers to the first refers to the second. */
    const links: { from: SplitRecord; to: string }[] = [];
    const collect = (start: NodeState): SplitRecord => {
      const record: SplitRecord = { root: start.term, kind: 'Resource', quads: [] };
      const by = new Set<SplitRecord>();
      let unseen = !final;
      const stack = [start];
      recordOf.set(keyOf(start.term), record);
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n.referencedBy) for (const r of n.referencedBy) by.add(r);
        if (n.emitted > 0 || (this.firstEmit !== undefined && this.firstEmit < n.born)) unseen = true;
        for (const q of n.quads.slice(n.emitted)) {
          record.quads.push(q);
          const o = q.object;
          if (o.termType !== 'BlankNode' && o.termType !== 'NamedNode') continue;
          const k = keyOf(o);
          const child = byKey.get(k);
          if (!child) continue;
          if (o.termType === 'BlankNode' && !recordOf.has(k)) {
            recordOf.set(k, record);
            stack.push(child);
          } else if (final) links.push({ from: record, to: k });
        }
      }
      referrers.set(record, by);
      if (unseen) record.unseenReferences = true;
      return record;
    };
    for (const n of nodes) if (n.term.termType !== 'BlankNode' && !recordOf.has(keyOf(n.term))) out.push(collect(n));
    for (const n of nodes) if (!recordOf.has(keyOf(n.term))) out.push(collect(n));
    // Until nothing more is learnt: each left-over passes on what refers to it.
    const next = new Map<SplitRecord, SplitRecord[]>();
    for (const { from, to } of links) {
      const target = recordOf.get(to);
      if (!target || target === from) continue;
      const list = next.get(from);
      if (list) list.push(target);
      else next.set(from, [target]);
    }
    const work = [...next.keys()];
    while (work.length > 0) {
      const from = work.pop()!;
      const by = referrers.get(from)!;
      for (const to of next.get(from) ?? []) {
        const theirs = referrers.get(to)!;
        const size = theirs.size;
        const unseen = to.unseenReferences;
        for (const r of by) theirs.add(r);
        if (from.unseenReferences) to.unseenReferences = true;
        if (theirs.size !== size || to.unseenReferences !== unseen) work.push(to);
      }
    }
    for (const r of out) {
      const by = referrers.get(r)!;
      if (by.size > 0) r.referencedBy = [...by];
    }
    return out.filter((r) => r.quads.length > 0);
  }
}

/** The node's triples without repeats, first occurrences in order; the count of those already
 * handed out is adjusted to match. */
function dedupe(quads: Quad[], node: NodeState): Quad[] {
  const seen = new Set<string>();
  const out: Quad[] = [];
  let emitted = 0;
  for (let i = 0; i < quads.length; i++) {
    const k = tripleKey(quads[i]);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(quads[i]);
    if (i < node.emitted) emitted++;
  }
  node.emitted = emitted;
  return out;
}

/** Drops repeated triples from a node's short list by pairwise comparison (cheaper than keys). */
function withoutRepeats(quads: Quad[]): Quad[] {
  let out: Quad[] | undefined;
  for (let i = 1; i < quads.length; i++) {
    const q = quads[i];
    let repeat = false;
    for (let j = 0; j < i; j++) {
      const r = quads[j];
      if ((r.predicate === q.predicate || r.predicate.value === q.predicate.value) && r.object.equals(q.object)) {
        repeat = true;
        break;
      }
    }
    if (repeat) out ??= quads.slice(0, i);
    else out?.push(q);
  }
  return out ?? quads;
}
