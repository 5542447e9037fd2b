// A CKAN Action API (package_search, package_show) on loopback, answering with the real CKAN package
// dicts of ckanext-dcat's examples in the corpus. Each dict gets what package_create would have given
// it: a unique id and name, and a metadata_modified time. package_search supports rows, start,
// sort=metadata_modified asc and fq=metadata_modified:[<time> TO *], as CKAN's Solr does, and lists
// active, public packages only; package_show takes an id or a name and answers as CKAN does an
// anonymous caller: 404 Not Found Error for a package it does not have, 403 Authorization Error for a
// deleted or private one.
import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { corpusPath } from './corpus.js';

export interface CkanServer {
  url: string;
  packages: Record<string, unknown>[];
  requests: string[];
  /** Called after each page of package_search is served, with its start. */
  onPage?: (start: number) => void;
  close(): Promise<void>;
}

export function corpusPackages(): Record<string, unknown>[] {
  const dir = corpusPath('examples/ckanext-dcat/ckan');
  const out: Record<string, unknown>[] = [];
  for (const f of readdirSync(dir).sort()) {
    const d = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as unknown;
    for (const p of Array.isArray(d) ? d : [d]) {
      if (!p || typeof p !== 'object' || !('resources' in p)) continue;
      const i = out.length;
      const pkg = p as Record<string, unknown>;
      out.push({
        ...pkg,
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `${typeof pkg.name === 'string' ? pkg.name : 'dataset'}-${i}`,
        metadata_modified: `2024-01-${String(i + 1).padStart(2, '0')}T10:00:00.000000`,
      });
    }
  }
  return out;
}

export async function startCkanServer(packages = corpusPackages()): Promise<CkanServer> {
  const requests: string[] = [];
  // Called after each page is served (a test changes the portal while it is being read).
  const api: Pick<CkanServer, 'onPage'> = {};
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    requests.push(u.pathname + u.search);
    res.setHeader('content-type', 'application/json');
    const notFound = () => {
      res.statusCode = 404;
      return res.end(JSON.stringify({ success: false, error: { message: 'Not found', __type: 'Not Found Error' } }));
    };
    const listed = (p: Record<string, unknown>) => (p.state === undefined || p.state === 'active') && p.private !== true;
    if (u.pathname === '/api/3/action/package_show') {
      const id = u.searchParams.get('id');
      const pkg = packages.find((p) => p.id === id || p.name === id);
      if (!pkg) return notFound();
      if (!listed(pkg)) {
        res.statusCode = 403;
        return res.end(JSON.stringify({ success: false, error: { message: `User not authorized to read package ${String(pkg.id)}`, __type: 'Authorization Error' } }));
      }
      return res.end(JSON.stringify({ help: 'package_show', success: true, result: pkg }));
    }
    if (u.pathname !== '/api/3/action/package_search') return notFound();
    const rows = Number(u.searchParams.get('rows') ?? 10);
    const start = Number(u.searchParams.get('start') ?? 0);
    const fq = /^metadata_modified:\[(\S+) TO \*\]$/.exec(u.searchParams.get('fq') ?? '');
    const since = fq ? Date.parse(fq[1]) : -Infinity;
    const matching = packages
      .filter((p) => listed(p) && Date.parse(`${String(p.metadata_modified)}Z`) >= since)
      .sort((a, b) => String(a.metadata_modified).localeCompare(String(b.metadata_modified)));
    res.end(JSON.stringify({ help: 'package_search', success: true, result: { count: matching.length, results: matching.slice(start, start + rows), sort: 'metadata_modified asc' } }));
    api.onPage?.(start);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return Object.assign(api, {
    url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
    packages,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
