// Offline JSON-LD context loading. Known contexts are bundled in contexts/ (or registered by the
// application, like our own /context.jsonld); anything else is refused unless remote loading is on,
// so that a hostile document cannot make the server fetch arbitrary URLs.
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ContextOptions {
  /** Allow fetching contexts that are not bundled (off by default). */
  allowRemote?: boolean;
  /** Extra folders holding an index.json of URL -> file. */
  folders?: string[];
}

/** How remote contexts are fetched: through the service's address policy (see configureContexts). */
export type ContextFetch = (url: string) => Promise<unknown>;

/** The service's settings, for every parse (push, harvest, dry-run validation) alike. */
let configured: ContextOptions & { fetch?: ContextFetch } = {};

/** Sets the folders of extra contexts and whether (and how) remote ones are fetched, once at start. */
export function configureContexts(settings: ContextOptions & { fetch?: ContextFetch }): void {
  configured = settings;
}

/** The largest remote context read: contexts are a few kilobytes; more is not a context. */
const REMOTE_CONTEXT_MAX = 1024 * 1024;

async function plainFetch(url: string): Promise<unknown> {
  if (!/^https?:\/\//i.test(url)) throw new Error(`JSON-LD context ${url}: only http(s) contexts are fetched`);
  const res = await fetch(url, { headers: { accept: 'application/ld+json, application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`fetching JSON-LD context ${url}: HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > REMOTE_CONTEXT_MAX) throw new Error(`JSON-LD context ${url} is larger than ${REMOTE_CONTEXT_MAX} bytes`);
  return JSON.parse(text) as unknown;
}

const BUNDLED = join(dirname(fileURLToPath(import.meta.url)), '../../contexts');
/** Contexts the application registered (its own /context.jsonld): few, and kept. */
const registered = new Map<string, unknown>();
/** Each folder's index.json, read once: a URL that no folder lists costs no file access and no memory,
 * however many distinct URLs documents name. */
const folderIndexes = new Map<string, Record<string, string> | null>();
/** Context files read, by folder and file: bounded by what the folders' indexes list. */
const folderDocs = new Map<string, unknown>();
/** Remote contexts fetched, most recently used last: kept for an hour (a context can change), and at
 * most REMOTE_KEPT of them, so that documents naming ever new context URLs cannot fill the memory. */
const remote = new Map<string, { at: number; doc: Promise<unknown> }>();
const REMOTE_KEPT = 200;
const REMOTE_TTL_MS = 60 * 60 * 1000;

/** Makes a context available under a URL, e.g. the project's own context at its public address. */
export function registerContext(url: string, document: unknown): void {
  registered.set(url, document);
}

export class ContextNotAvailableError extends Error {
  constructor(readonly url: string) {
    super(`JSON-LD context ${url} is not bundled and remote contexts are not loaded`);
    this.name = 'ContextNotAvailableError';
  }
}

function indexOf(folder: string): Record<string, string> | null {
  let index = folderIndexes.get(folder);
  if (index === undefined) {
    const path = join(folder, 'index.json');
    index = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : null;
    folderIndexes.set(folder, index);
  }
  return index;
}

function fromFolder(folder: string, url: string): unknown {
  const index = indexOf(folder);
  const file = index?.[url] ?? index?.[url.replace(/^http:/, 'https:')];
  if (file === undefined) return undefined;
  const key = `${folder}\u0000${file}`;
  if (!folderDocs.has(key)) folderDocs.set(key, JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown);
  return folderDocs.get(key);
}

function fetchRemote(url: string): Promise<unknown> {
  const now = Date.now();
  const kept = remote.get(url);
  remote.delete(url);
  if (kept && now - kept.at < REMOTE_TTL_MS) {
    remote.set(url, kept);
    return kept.doc;
  }
  // One fetch for concurrent parses naming the same context; a failure is not remembered.
  const doc = (configured.fetch ?? plainFetch)(url);
  remote.set(url, { at: now, doc });
  doc.catch(() => {
    if (remote.get(url)?.doc === doc) remote.delete(url);
  });
  while (remote.size > REMOTE_KEPT) remote.delete(remote.keys().next().value!);
  return doc;
}

/** How many remote contexts are held (for tests of the bound). */
export function remoteContextsHeld(): number {
  return remote.size;
}

export async function loadContext(url: string, options: ContextOptions = {}): Promise<unknown> {
  const folders = [BUNDLED, ...(configured.folders ?? []), ...(options.folders ?? [])];
  const known = registered.get(url) ?? folders.map((f) => fromFolder(f, url)).find((d) => d !== undefined);
  if (known !== undefined) return known;
  if (!(options.allowRemote ?? configured.allowRemote)) throw new ContextNotAvailableError(url);
  return fetchRemote(url);
}

/** Loader in the shape jsonld-streaming-parser expects. */
export function contextLoader(options: ContextOptions = {}): { load(url: string): Promise<never> } {
  return { load: (url: string) => loadContext(url, options) as Promise<never> };
}

/** Loader in the shape jsonld.js expects. */
export function jsonldDocumentLoader(options: ContextOptions = {}) {
  return async (url: string) => ({ contextUrl: undefined, documentUrl: url, document: await loadContext(url, options) });
}
