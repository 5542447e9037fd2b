// Source type "dcat": a DCAT document or dump in any RDF syntax, gzip or not, or a catalogue paged with
// Hydra (PartialCollectionView with hydra:next, or the older PagedCollection with hydra:nextPage, as
// CKAN's /catalog.ttl?page= and uData serve them). Pages are followed until there is no next one; a
// page that links back to one already read stops the run as incomplete.
//
// A paged catalogue repeats its dcat:Catalog node on every page, each time listing only that page's
// datasets. Stored page by page, the catalogue record would be rewritten on every page of every run,
// so its triples are gathered over the run and stored once, at the end, with every page's links.
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import type { Quad } from '../rdf/terms.js';
import type { RdfFormat } from '../rdf/formats.js';
import { HarvestSourceError, type HarvestAdapter, type HarvestContext, type HarvestUnit } from './adapter.js';
import { pageQuads, readPage } from './page.js';
import { RdfSyntaxError } from '../rdf/errors.js';
import { parseString } from '../rdf/parse.js';
import { serialize } from '../rdf/write.js';

const HYDRA = PREFIXES.hydra;
const NEXT = new Set([`${HYDRA}next`, `${HYDRA}nextPage`]);
const TOTAL_ITEMS = `${HYDRA}totalItems`;
const CATALOG = `${PREFIXES.dcat}Catalog`;
const MEMBER_LINKS = new Set([`${PREFIXES.dcat}dataset`, `${PREFIXES.dcat}service`, `${PREFIXES.dcat}catalog`, `${PREFIXES.dcat}record`]);

export interface DcatOptions {
  format?: RdfFormat;
  /** Pages followed at most (a safety net against endless paging). */
  maxPages?: number;
  maxBytes?: number;
}

export function dcatAdapter(): HarvestAdapter {
  return {
    listsEverything: () => true,
    units: (ctx) => pages(ctx),
  };
}

async function* pages(ctx: HarvestContext): AsyncGenerator<HarvestUnit> {
  const options = ctx.source.options as DcatOptions;
  const maxPages = options.maxPages ?? 100_000;
  const visited = new Set<string>();
  const catalog = new CatalogGatherer();
  let url: string | undefined = ctx.source.url;
  while (url) {
    if (visited.has(url)) throw new HarvestSourceError(url, `the page links back to a page already read (a loop); stopped after ${visited.size} pages`);
    if (visited.size >= maxPages) throw new HarvestSourceError(url, `more than ${maxPages} pages; stopped (raise the source's maxPages option if the catalogue is that large)`);
    visited.add(url);
    const read = await readPage(ctx, url, { format: options.format, maxBytes: options.maxBytes });
    ctx.progress.pages++;
    const memo = ctx.memos.get(url);
    if (read.kind === 'unchanged') {
      // The page is as it was: its records count as seen, and its next link is the one remembered.
      if (!memo) throw new HarvestSourceError(url, 'the server answered 304 Not Modified to a request without validators');
      yield { kind: 'unchanged', url, memo };
      if (memo.catalog) catalog.take(await parseString(memo.catalog, { format: 'ntriples' }));
      url = memo.next ?? undefined;
      continue;
    }
    const paging: Paging = { page: url };
    if (read.kind === 'held') {
      // A page held whole: parsed first, so that its catalogue node can be taken out before splitting.
      const quads: Quad[] = [];
      try {
        for await (const batch of pageQuads(read, ctx)) for (const q of batch) quads.push(q);
      } catch (e) {
        throw located(e, url);
      }
      const { rest, taken } = catalog.take(withoutPaging(quads, paging));
      const next = paging.next ? new URL(paging.next, url).toString() : undefined;
      yield { kind: 'document', url, quads: once(rest), page: { ...read.page, next, catalog: taken.length > 0 ? await serialize(taken, 'ntriples') : undefined } };
    } else {
      yield { kind: 'document', url, quads: streamWithoutPaging(pageQuads(read, ctx), paging, url), page: read.page, streamed: true };
    }
    if (paging.total !== undefined) ctx.progress.totalRecords = paging.total;
    url = paging.next ? new URL(paging.next, url).toString() : undefined;
  }
  const gathered = catalog.document();
  if (gathered.length > 0) yield { kind: 'document', url: ctx.source.url, quads: once(gathered) };
}

interface Paging {
  page: string;
  next?: string;
  total?: number;
}

function isHydra(q: Quad): boolean {
  return q.predicate.value.startsWith(HYDRA) || (q.predicate.value === RDF_TYPE && q.object.value.startsWith(HYDRA));
}

/** Hydra's paging triples describe the page, not the catalogue: noted, then left out of the records. */
function withoutPaging(quads: Quad[], paging: Paging): Quad[] {
  const kept: Quad[] = [];
  const nexts: { subject: string; value: string }[] = [];
  for (const q of quads) {
    if (!isHydra(q)) {
      kept.push(q);
      continue;
    }
    if (NEXT.has(q.predicate.value)) nexts.push({ subject: q.subject.value, value: q.object.value });
    else if (q.predicate.value === TOTAL_ITEMS && Number.isFinite(Number(q.object.value))) paging.total = Number(q.object.value);
  }
  // The next link of this page's own view first, should a page describe others.
  paging.next = (nexts.find((n) => n.subject === paging.page) ?? nexts[0])?.value;
  return kept;
}

async function* streamWithoutPaging(input: AsyncIterable<Quad[]>, paging: Paging, url: string): AsyncGenerator<Quad[]> {
  try {
    for await (const batch of input) yield withoutPaging(batch, paging);
  } catch (e) {
    throw located(e, url);
  }
}

function located(e: unknown, url: string): unknown {
  if (e instanceof RdfSyntaxError) return new HarvestSourceError(`${url}${e.where ? ` (${e.where})` : ''}`, `malformed RDF: ${e.message}`);
  return e;
}

async function* once(quads: Quad[]): AsyncGenerator<Quad[]> {
  yield quads;
}

/** Takes the catalogue nodes out of each page and gives them back once, merged, at the end. */
class CatalogGatherer {
  private readonly quads: Quad[] = [];
  private readonly keys = new Set<string>();
  private described = false;
  private readonly catalogs = new Set<string>();

  /** Splits a page into its catalogue part (`taken`, kept here) and the rest. */
  take(quads: Quad[]): { rest: Quad[]; taken: Quad[] } {
    // A catalogue typed on an earlier page is still the catalogue on a page that does not repeat its type.
    for (const q of quads) if (q.predicate.value === RDF_TYPE && q.object.value === CATALOG && q.subject.termType === 'NamedNode') this.catalogs.add(q.subject.value);
    const catalogs = this.catalogs;
    if (catalogs.size === 0) return { rest: quads, taken: [] };
    // Blank nodes that only the catalogue points at belong to it (its publisher, its contact point).
    const owned = new Set<string>();
    const pointedByOthers = new Set<string>();
    for (const q of quads)
      if (q.object.termType === 'BlankNode') (catalogs.has(q.subject.value) ? owned : pointedByOthers).add(q.object.value);
    for (const b of pointedByOthers) owned.delete(b);
    let grew = true;
    while (grew) {
      grew = false;
      for (const q of quads)
        if (q.subject.termType === 'BlankNode' && owned.has(q.subject.value) && q.object.termType === 'BlankNode' && !owned.has(q.object.value)) {
          owned.add(q.object.value);
          grew = true;
        }
    }
    const firstDescription = !this.described;
    const rest: Quad[] = [];
    const taken: Quad[] = [];
    for (const q of quads) {
      const ofCatalog = q.subject.termType === 'NamedNode' ? catalogs.has(q.subject.value) : q.subject.termType === 'BlankNode' && owned.has(q.subject.value);
      if (!ofCatalog) rest.push(q);
      // The full description is taken from the first page; later pages add their member links only
      // (their blank nodes would be copies under other labels).
      else if (firstDescription || (q.subject.termType === 'NamedNode' && MEMBER_LINKS.has(q.predicate.value))) {
        taken.push(q);
        this.add(q);
      }
    }
    this.described = true;
    return { rest, taken };
  }

  private add(q: Quad): void {
    const key = `${q.subject.value} ${q.predicate.value} ${q.object.termType}:${q.object.value}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.quads.push(q);
  }

  document(): Quad[] {
    return this.quads;
  }
}
