// Source type "ldes": a Linked Data Event Stream (https://w3id.org/ldes/specification), as data.gov.be
// publishes its catalogue. The reader walks the TREE from the stream's view, page by page, and turns
// each member into the state of one entity:
// - activity members (as:Create / as:Update / as:Delete with as:object), as data.gov.be writes them,
//   whose payload sits in a named graph named after the member;
// - version members (ldes:versionOfPath, e.g. dct:isVersionOf), rewritten onto the entity they are a
//   version of;
// - plain members, stored as they are.
// A page the server marks immutable is read once: later runs skip it without a request. Mutable pages
// are asked for again with their validators, so a re-run of an unchanged stream fetches almost nothing
// and writes nothing. Members dropped by the stream's retention policy are not deletions: only explicit
// delete activities withdraw records.
import { RDF_TYPE } from '../rdf/namespaces.js';
import { quad, type Quad, type Term } from '../rdf/terms.js';
import { RdfSyntaxError } from '../rdf/errors.js';
import { HarvestSourceError, type HarvestAdapter, type HarvestContext, type HarvestUnit } from './adapter.js';
import { pageQuads, readPage, type PageRead } from './page.js';

const TREE = 'https://w3id.org/tree#';
const LDES = 'https://w3id.org/ldes#';
const AS = 'https://www.w3.org/ns/activitystreams#';
const TREE_MEMBER = `${TREE}member`;
const TREE_RELATION = `${TREE}relation`;
const TREE_NODE = `${TREE}node`;
const TREE_VIEW = `${TREE}view`;
const VERSION_OF_PATH = `${LDES}versionOfPath`;
const TIMESTAMP_PATH = `${LDES}timestampPath`;
const AS_OBJECT = `${AS}object`;
const AS_PUBLISHED = `${AS}published`;
const DELETE_TYPES = new Set([`${AS}Delete`, `${AS}Remove`, `${LDES}DeletedLDESMember`]);
const ENVELOPE_NAMESPACES = [TREE, LDES];

export interface LdesOptions {
  maxPages?: number;
  maxBytes?: number;
}

interface LdesState {
  versionOfPath?: string;
  timestampPath?: string;
}

export function ldesAdapter(): HarvestAdapter {
  let state: LdesState = {};
  return {
    listsEverything: () => false,
    units(ctx) {
      state = { ...((ctx.source.state as LdesState | null) ?? {}) };
      return walk(ctx, state);
    },
    nextState: () => ({ ...state }),
  };
}

async function* walk(ctx: HarvestContext, state: LdesState): AsyncGenerator<HarvestUnit> {
  const options = ctx.source.options as LdesOptions;
  const maxPages = options.maxPages ?? 1_000_000;
  const queue: string[] = [ctx.source.url];
  const visited = new Set<string>();
  // The next page is fetched while the members of this one are being stored: on a stream of many pages
  // the round trips would otherwise add up (20 requests of 15-20 ms each in a first run of the
  // data.gov.be stream from a server on the same machine). One page ahead at most, so memory stays
  // that of two pages.
  let ahead: { url: string; read: Promise<PageRead> } | undefined;
  const readAhead = () => {
    const url = queue.find((u) => !visited.has(u));
    if (ahead || url === undefined || visited.size >= maxPages || ctx.memos.get(url)?.immutable) return;
    ahead = { url, read: readPage(ctx, url, { maxBytes: options.maxBytes }) };
    // A failure is the walk's once it gets to that page, not an unhandled rejection before.
    ahead.read.catch(() => undefined);
  };
  try {
    while (queue.length > 0) {
      const url = queue.shift() as string;
      if (visited.has(url)) continue;
      if (visited.size >= maxPages) throw new HarvestSourceError(url, `more than ${maxPages} pages; stopped (raise the source's maxPages option)`);
      visited.add(url);
      const memo = ctx.memos.get(url);
      // An immutable page read before is done: its members are stored; only its links matter.
      if (memo?.immutable) {
        queue.push(...links(memo.next));
        yield { kind: 'unchanged', url, memo };
        continue;
      }
      const pending = ahead?.url === url ? ahead.read : readPage(ctx, url, { maxBytes: options.maxBytes });
      if (ahead?.url === url) ahead = undefined;
      const read = await pending;
      ctx.progress.pages++;
      if (read.kind === 'unchanged') {
        if (!memo) throw new HarvestSourceError(url, 'the server answered 304 Not Modified to a request without validators');
        queue.push(...links(memo.next));
        yield { kind: 'unchanged', url, memo };
        continue;
      }
      const quads: Quad[] = [];
      try {
        for await (const batch of pageQuads(read, ctx)) for (const q of batch) quads.push(q);
      } catch (e) {
        if (e instanceof RdfSyntaxError) throw new HarvestSourceError(`${url}${e.where ? ` (${e.where})` : ''}`, `malformed RDF: ${e.message}`);
        throw e;
      }
      const page = readStream(quads, state);
      const next = page.links.map((l) => new URL(l, url).toString());
      queue.push(...next);
      readAhead();
      const withdrawn: string[] = [];
      const documents: Quad[][] = [];
      for (const m of page.members) {
        if (m.deleted) withdrawn.push(m.entity);
        else if (m.payload.length > 0) documents.push(m.payload);
      }
      // One document per member: each is split on its own, so two versions of an entity on one page are
      // two successive states, not one merged record. The first carries what is remembered of the page.
      const facts = { ...read.page, next: next.join(' ') };
      if (documents.length === 0) yield { kind: 'document', url, quads: once([]), page: facts };
      for (let i = 0; i < documents.length; i++) yield { kind: 'document', url, quads: once(documents[i]), page: i === 0 ? facts : undefined };
      if (withdrawn.length > 0) yield { kind: 'withdraw', url, iris: withdrawn };
    }
  } finally {
    // The walk ended early (an error, a stop): a page read ahead and not used lets go of its connection.
    const left = ahead;
    ahead = undefined;
    if (left) await left.read.then((r) => (r.kind === 'streamed' ? r.chunks[Symbol.asyncIterator]().return?.() : undefined)).catch(() => undefined);
  }
}

function links(next: string | null): string[] {
  return next ? next.split(' ').filter(Boolean) : [];
}

async function* once(quads: Quad[]): AsyncGenerator<Quad[]> {
  if (quads.length > 0) yield quads;
}

interface Member {
  entity: string;
  time: string;
  deleted: boolean;
  payload: Quad[];
}

function readStream(quads: Quad[], state: LdesState): { links: string[]; members: Member[] } {
  const bySubject = new Map<string, Quad[]>();
  const byGraph = new Map<string, Quad[]>();
  const memberIds: Term[] = [];
  const targets: string[] = [];
  const relationNodes = new Map<string, string[]>();
  for (const q of quads) {
    if (q.graph.termType !== 'DefaultGraph') {
      const g = byGraph.get(q.graph.value);
      if (g) g.push(q);
      else byGraph.set(q.graph.value, [q]);
      continue;
    }
    const key = q.subject.value;
    const list = bySubject.get(key);
    if (list) list.push(q);
    else bySubject.set(key, [q]);
    const p = q.predicate.value;
    if (p === TREE_MEMBER) memberIds.push(q.object);
    else if (p === TREE_VIEW && q.object.termType === 'NamedNode') targets.push(q.object.value);
    else if (p === TREE_NODE && q.object.termType === 'NamedNode') relationNodes.set(q.subject.value, [...(relationNodes.get(q.subject.value) ?? []), q.object.value]);
    else if (p === VERSION_OF_PATH) state.versionOfPath = q.object.value;
    else if (p === TIMESTAMP_PATH) state.timestampPath = q.object.value;
  }
  for (const q of quads) if (q.predicate.value === TREE_RELATION && q.graph.termType === 'DefaultGraph') targets.push(...(relationNodes.get(q.object.value) ?? []));
  const members: Member[] = [];
  for (const m of memberIds) {
    const own = bySubject.get(m.value) ?? [];
    const types = new Set(own.filter((q) => q.predicate.value === RDF_TYPE).map((q) => q.object.value));
    const object = own.find((q) => q.predicate.value === AS_OBJECT)?.object;
    const time = own.find((q) => q.predicate.value === (state.timestampPath ?? AS_PUBLISHED) || q.predicate.value === AS_PUBLISHED)?.object.value ?? '';
    const graph = byGraph.get(m.value);
    if (object) {
      // An activity about an entity; its new state is in the member's named graph (or in the default graph).
      const deleted = [...types].some((t) => DELETE_TYPES.has(t));
      const payload = graph ?? closure(object, bySubject);
      members.push({ entity: object.value, time, deleted, payload: deleted ? [] : payload });
      continue;
    }
    const versionOf = state.versionOfPath ? own.find((q) => q.predicate.value === state.versionOfPath)?.object : undefined;
    // The splitter drops graph names itself: the member's graph is passed on as it is.
    const raw = graph ?? closure(m, bySubject);
    const deleted = [...types].some((t) => DELETE_TYPES.has(t));
    if (versionOf) {
      const skip = new Set([state.versionOfPath, state.timestampPath]);
      const payload = raw
        .filter((q) => !(q.subject.equals(m) && skip.has(q.predicate.value)))
        .map((q) => (q.subject.equals(m) ? quad(versionOf as never, q.predicate, q.object.equals(m) ? (versionOf as never) : q.object) : q));
      members.push({ entity: versionOf.value, time, deleted, payload: deleted ? [] : payload });
    } else members.push({ entity: m.value, time, deleted, payload: deleted ? [] : raw });
  }
  // Oldest first; of several states of one entity on a page only the newest is kept, so a page that
  // holds an entity's whole history writes it once.
  members.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const latest = new Map<string, Member>();
  for (const m of members) {
    latest.delete(m.entity);
    latest.set(m.entity, m);
  }
  return { links: targets, members: [...latest.values()] };
}

/** A member described in the default graph: its triples and those of the blank nodes it owns, without
 * the stream's own vocabulary. */
function closure(root: Term, bySubject: Map<string, Quad[]>): Quad[] {
  const out: Quad[] = [];
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const t = stack.pop() as Term;
    if (seen.has(t.value)) continue;
    seen.add(t.value);
    for (const q of bySubject.get(t.value) ?? []) {
      if (ENVELOPE_NAMESPACES.some((ns) => q.predicate.value.startsWith(ns))) continue;
      out.push(q);
      if (q.object.termType === 'BlankNode') stack.push(q.object);
    }
  }
  return out;
}

