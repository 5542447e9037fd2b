// Web servers that misbehave the way real download links do, for the link checker's tests and
// benchmark. Several servers on loopback are several hosts (a host is name and port). Each counts
// the requests it received and the most it had in flight at once.
//   /ok/<name>          200, text/csv, a Content-Length; Range answered with 206
//   /head-405/<name>    HEAD 405, GET 200 (a server that does not do HEAD)
//   /head-404/<name>    HEAD 404, GET 200 (a server that answers HEAD wrongly)
//   /gone/<name>        404 to both
//   /html/<name>        200 text/html (a landing page where a CSV file was promised)
//   /redirect/<n>       302 to /redirect/<n-1>, … /ok/end
//   /loop-a, /loop-b    302 to each other
//   /hang               never answers
//   /huge               HEAD 405; GET ignores Range and sends bytes for ever
//   /flaky/<name>       503 with Retry-After: 0 the first two times, then 200
//   /empty              HEAD 405; GET with Range answers 416 (an empty file)
// `delayMs` holds every answer back that long (a distant server).
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LinkServer {
  origin: string;
  requests: number;
  heads: number;
  gets: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startLinkServer(delayMs = 0): Promise<LinkServer> {
  const flaky = new Map<string, number>();
  let inFlight = 0;
  const hanging = new Set<ServerResponse>();
  const state = { requests: 0, heads: 0, gets: 0, maxInFlight: 0 };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const head = req.method === 'HEAD';
    const ranged = /^bytes=0-0$/.test(String(req.headers.range ?? ''));
    const file = (type: string, size: number) => {
      if (ranged && !head) {
        res.writeHead(206, { 'content-type': type, 'content-range': `bytes 0-0/${size}`, 'content-length': '1' });
        return res.end('x');
      }
      res.writeHead(200, { 'content-type': type, 'content-length': String(size) });
      if (head) return res.end();
      res.end('x'.repeat(size));
    };
    if (path.startsWith('/ok/')) return file('text/csv; charset=utf-8', 1234);
    if (path.startsWith('/head-405/')) {
      if (head) return res.writeHead(405, { allow: 'GET' }).end();
      return file('text/csv', 5000);
    }
    if (path.startsWith('/head-404/')) {
      if (head) return res.writeHead(404).end();
      return file('application/json', 777);
    }
    if (path.startsWith('/gone/')) return res.writeHead(404, { 'content-type': 'text/plain' }).end(head ? undefined : 'not found');
    if (path.startsWith('/html/')) return file('text/html; charset=utf-8', 300);
    const redirect = path.match(/^\/redirect\/(\d+)$/);
    if (redirect) {
      const n = Number(redirect[1]);
      return res.writeHead(302, { location: n <= 1 ? '/ok/end' : `/redirect/${n - 1}` }).end();
    }
    if (path === '/loop-a') return res.writeHead(302, { location: '/loop-b' }).end();
    if (path === '/loop-b') return res.writeHead(302, { location: '/loop-a' }).end();
    if (path === '/hang') {
      hanging.add(res);
      return;
    }
    if (path === '/huge') {
      if (head) return res.writeHead(405).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1 << 20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      return pump();
    }
    if (path.startsWith('/flaky/')) {
      const n = (flaky.get(path) ?? 0) + 1;
      flaky.set(path, n);
      if (n <= 2) return res.writeHead(503, { 'retry-after': '0' }).end();
      return file('text/csv', 10);
    }
    if (path === '/empty') {
      if (head) return res.writeHead(405).end();
      if (ranged) return res.writeHead(416, { 'content-range': 'bytes */0' }).end();
      return file('text/csv', 0);
    }
    res.writeHead(404).end();
  };
  const server: Server = createServer((req, res) => {
    state.requests++;
    if (req.method === 'HEAD') state.heads++;
    else state.gets++;
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    if (delayMs > 0) setTimeout(() => handle(req, res), delayMs);
    else handle(req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    origin,
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
