// The harvester's HTTP client keeps a source's credentials to the source's own origin: a redirect, a
// next page or a relation to another host does not get its Authorization header.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../src/harvest/http.js';

let source: Server;
let elsewhere: Server;
const seen: { where: string; authorization?: string }[] = [];
const listen = (s: Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
let sourcePort = 0;
let otherPort = 0;

beforeAll(async () => {
  const note = (where: string, req: IncomingMessage) => seen.push({ where: `${where}${req.url}`, authorization: req.headers.authorization });
  source = createServer((req, res) => {
    note('source', req);
    // Same host name, another port: another origin.
    if (req.url === '/away') res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/page` }).end();
    else if (req.url === '/here') res.writeHead(302, { location: '/page' }).end();
    else if (req.url === '/html-404')
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!DOCTYPE HTML>\n<html><head><style>p{}</style><title>Pagina niet gevonden &amp; weg</title></head><body><p>Sorry</p></body></html>');
    else if (req.url === '/bare-html-500') res.writeHead(500).end('<html><body><h1>Internal   Server Error</h1><script>x()</script><p>Try later</p></body></html>');
    else if (req.url === '/endless-403') {
      // An error page that never ends: read only as far as it takes to say what it is.
      res.writeHead(403, { 'content-type': 'text/plain' });
      const more = () => {
        while (res.write('toegang geweigerd '.repeat(1000)));
        res.once('drain', more);
      };
      more();
      req.socket.on('close', () => res.destroy());
    }
    else res.writeHead(200, { 'content-type': 'text/turtle' }).end('');
  });
  elsewhere = createServer((req, res) => {
    note('elsewhere', req);
    res.writeHead(200, { 'content-type': 'text/turtle' }).end('');
  });
  sourcePort = await listen(source);
  otherPort = await listen(elsewhere);
});

afterAll(async () => {
  await new Promise((r) => source.close(r));
  await new Promise((r) => elsewhere.close(r));
});

describe('credentials of a harvest source', () => {
  it('go with requests to the source\'s origin, redirects within it included, and never to another origin', async () => {
    const http = new HttpClient({ userAgent: 'test', allow: ['127.0.0.0/8'], attempts: 1 });
    const authorization = { value: 'Bearer topsecret123', origin: `http://127.0.0.1:${sourcePort}` };
    await http.text(`http://127.0.0.1:${sourcePort}/here`, { authorization });
    await http.text(`http://127.0.0.1:${sourcePort}/away`, { authorization });
    await http.text(`http://127.0.0.1:${otherPort}/next`, { authorization });
    expect(seen).toEqual([
      { where: 'source/here', authorization: 'Bearer topsecret123' },
      { where: 'source/page', authorization: 'Bearer topsecret123' },
      { where: 'source/away', authorization: 'Bearer topsecret123' },
      { where: 'elsewhere/page', authorization: undefined },
      { where: 'elsewhere/next', authorization: undefined },
    ]);
  });
});

describe('an error answer of a source', () => {
  it('is told in a line: the title of an HTML page, or its words without markup, and an endless one read only so far', async () => {
    const http = new HttpClient({ userAgent: 'test', allow: ['127.0.0.0/8'], attempts: 1 });
    const failure = (path: string) => http.text(`http://127.0.0.1:${sourcePort}${path}`).then(() => 'no error', (e: Error) => e.message);
    expect(await failure('/html-404')).toMatch(/HTTP 404: Pagina niet gevonden & weg$/);
    expect(await failure('/bare-html-500')).toMatch(/HTTP 500: Internal Server Error Try later$/);
    const endless = await failure('/endless-403');
    expect(endless).toMatch(/HTTP 403: (toegang geweigerd )+/);
    expect(endless.length).toBeLessThan(400);
  }, 30_000);
});
