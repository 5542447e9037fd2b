import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError, SETTINGS, unknownSettings } from '../src/config.js';
import { hasCorpus, ldesPage } from './support/corpus.js';
import { lastRunText } from '../src/cli/harvest-commands.js';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', join(import.meta.dirname, '../src/cli.ts')];

describe('configuration', () => {
  it('has defaults for an embedded start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', sampleData: true, databaseUrl: undefined });
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', VINDBAAR_SAMPLE_DATA: 'maybe', VINDBAAR_ADMIN_KEY: 'short' });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(4);
      expect((e as Error).message).toMatch(/PORT must be a whole number/);
    }
  });

  it('never repeats a password from a URL it cannot read, and names Elasticsearch settings that cannot work', () => {
    try {
      loadConfig({
        DATABASE_URL: 'postgresql://vindbaar:ge#heim/1@db.example:5432/vindbaar',
        SMTP_URL: 'smtp://mail:p@ss@smtp.example:poort',
        ELASTICSEARCH_URL: 'https://search.example:9200',
        ELASTICSEARCH_PASSWORD: 'zoeken',
        ELASTICSEARCH_CA_FILE: '/nonexistent/ca.pem',
      });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const message = (e as Error).message;
      expect(message).toContain('DATABASE_URL is not a valid URL: "postgresql://…@db.example:5432/vindbaar"');
      expect(message).toContain('SMTP_URL is not a valid URL: "smtp://…@smtp.example:poort"');
      expect(message).not.toMatch(/ge#heim|p@ss|mail:|zoeken/);
      expect(message).toContain('ELASTICSEARCH_PASSWORD is set without ELASTICSEARCH_USERNAME');
      expect(message).toContain('ELASTICSEARCH_CA_FILE: /nonexistent/ca.pem does not exist');
    }
  });

  it('names a setting it does not know, with the one it was likely meant to be, instead of ignoring it', async () => {
    expect(() => loadConfig({ VINDBAAR_WORKER: '0' })).toThrow(/VINDBAAR_WORKER is not a setting of Vindbaar \(did you mean VINDBAAR_WORKERS\?\)/);
    expect(() => loadConfig({ VINDBAAR_FROBNICATE: '1' })).toThrow(/VINDBAAR_FROBNICATE is not a setting of Vindbaar \(see "Configuration" in the README\)/);
    // Other tools' variables, in the environment or in a .env file docker compose also reads, are theirs.
    expect(unknownSettings({ PGPORT: '5433', HOSTNAME: 'vm' }, { name: '.env', text: 'PGPORT=5433\nCOMPOSE_PROJECT_NAME=v\nPOSTGRES_PASSWORD=x\n' })).toEqual([]);
    // Every variable the code, the tests, the tools and the README name is known.
    const root = join(import.meta.dirname, '..');
    const text = execFileSync('git', ['grep', '-h', '-o', '-E', 'VINDBAAR_[A-Z0-9_]+', '--', 'src', 'test', 'bench', 'scripts', '.ci', 'README.md', 'docker-compose.yml'], { cwd: root, encoding: 'utf8' });
    // A name ending in "_" stands for a family ("VINDBAAR_CATALOG_*").
    const named = [...new Set(text.split('\n').filter((n) => n && !n.endsWith('_')))].filter((n) => n !== 'VINDBAAR_WORKER' && n !== 'VINDBAAR_FROBNICATE' && n !== 'VINDBAAR_SAMPEL_DATA');
    expect(unknownSettings(Object.fromEntries(named.map((n) => [n, 'x'])))).toEqual([]);
    const read = [...readFileSync(join(root, 'src/config.ts'), 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
    expect(read.filter((n) => !SETTINGS.includes(n))).toEqual([]);

    // A misspelt DATABASE_URL in .env: refused, not an embedded database made beside it.
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-dotenv-'));
    try {
      writeFileSync(
        join(dir, '.env'),
        'DATABSE_URL=postgresql://vb:geheim@127.0.0.1:1/vindbaar\nVINDBAAR_SAMPEL_DATA=false\nCERT="-----BEGIN\nregel\n-----END"\nLOG_LEVEL warn\n# a comment\nPGPORT=5433\n',
      );
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL'));
      // Run as the installed command is, from the folder that holds the .env file.
      const r = await run(process.execPath, [join(root, 'bin/vindbaar.js'), 'source', 'list'], { cwd: dir, env, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(2);
      const err = (r as { stderr: string }).stderr;
      expect(err).toContain('.env line 1: DATABSE_URL is not a setting of Vindbaar (did you mean DATABASE_URL?)');
      expect(err).toContain('.env line 2: VINDBAAR_SAMPEL_DATA is not a setting of Vindbaar (did you mean VINDBAAR_SAMPLE_DATA?)');
      expect(err).toContain('.env line 6 is not NAME=value (LOG_LEVEL has no "=")');
      expect(err.match(/^ {2}- /gm)).toHaveLength(3);
      expect(err).not.toMatch(/geheim|\n\s+at /);
      expect(readdirSync(dir)).toEqual(['.env']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses a number option that is not a whole number before starting anything', async () => {
    for (const args of [['worker', '-n', 'two'], ['worker', '--concurrency', '0'], ['links', 'check', '--max', 'abc']]) {
      const r = await run(process.execPath, [...CLI, ...args], { env: { ...process.env, DATABASE_URL: 'postgresql://127.0.0.1:1/none' }, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code, args.join(' ')).toBe(1);
      expect((r as { stderr: string }).stderr).toMatch(/argument '.*' is invalid\. Give a whole number of at least 1/);
    }
    for (const share of ['0.3abc', '20%', '1.5']) {
      const r = await run(process.execPath, [...CLI, 'source', 'add', 's', 'https://example.org/catalog.ttl', '--max-withdraw', share], { env: { ...process.env, DATABASE_URL: 'postgresql://127.0.0.1:1/none' }, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code, share).toBe(1);
      expect((r as { stderr: string }).stderr).toMatch(/argument '.*' is invalid\. Give a share from 0 to 1/);
    }
  });

  it('says that the port is taken, without a stack trace, and leaves the store free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-port-'));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const env = { ...process.env, DATABASE_URL: '', VINDBAAR_DATA_DIR: dir, PORT: String(port), VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_ADMIN_KEY: 'port-test-admin-key-0123456789' };
    try {
      const r = await run(process.execPath, [...CLI, 'serve'], { env, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(1);
      expect((r as { stderr: string }).stderr).toContain(`Port ${port} on 127.0.0.1 is in use by another process: stop it, or set PORT to another port.`);
      expect((r as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
      // The embedded store was closed: the next command opens it.
      expect((await run(process.execPath, [...CLI, 'key', 'list'], { env })).stdout).toBe('');
      const host = await run(process.execPath, [...CLI, 'serve'], { env: { ...env, HOST: 'localhost:3000' }, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((host as { code: number }).code).toBe(1);
      expect((host as { stderr: string }).stderr).toContain('HOST localhost:3000 is not an address of this machine (nor a name of one)');
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('reindex: says that Elasticsearch does not answer, without a stack trace or its password, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-reindex-'));
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const env = { ...process.env, DATABASE_URL: '', VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', ELASTICSEARCH_URL: `http://elastic:geheim@127.0.0.1:${closed}` };
    try {
      const r = await run(process.execPath, [...CLI, 'reindex'], { env, timeout: 90_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(1);
      const err = (r as { stderr: string }).stderr;
      expect(err).toContain(`Not done: Elasticsearch is not available (ELASTICSEARCH_URL: 127.0.0.1:${closed}). Search stays on the index it had`);
      expect(err).not.toMatch(/\n\s+at |geheim/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('says which database does not answer, without a stack trace or the password', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const r = await run(process.execPath, [...CLI, 'migrate'], { env: { ...process.env, DATABASE_URL: `postgresql://vb:geheim@127.0.0.1:${closed}/vindbaar` } }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    const err = (r as { stderr: string }).stderr;
    expect(err).toContain(`The database does not answer (DATABASE_URL: 127.0.0.1:${closed}/vindbaar)`);
    expect(err).not.toContain('geheim');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('writes commands into the audit log without the secrets in their URLs', async () => {
    const { commandLine } = await import('../src/store/audit.js');
    const line = commandLine(['ingest', 'https://user:p@ss@data.example.be/dump.ttl?apikey=s3cr3t&page=2', '--catalog', 'x']);
    expect(line).not.toMatch(/p@ss|ss@|s3cr3t/);
    expect(line).toContain('page=2');
    expect(line).toContain('data.example.be/dump.ttl');
    expect(commandLine(['key', 'create', '--org', 'Stad Gent'])).toBe('key create --org "Stad Gent"');
  });

  it('refuses allow-list ranges that are not ranges, and loads the sample only for the embedded store unless asked', () => {
    for (const bad of ['10.0.0.0/33', '300.0.0.0/8', 'fd00::/129'])
      expect(() => loadConfig({ VINDBAAR_HARVEST_ALLOW: bad }), bad).toThrow(/not a CIDR range/);
    expect(loadConfig({ VINDBAAR_HARVEST_ALLOW: '10.0.0.0/8,fd00::/8,data.example.be' }).harvest.allow).toHaveLength(3);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/vb' }).sampleData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/vb', VINDBAAR_SAMPLE_DATA: 'true' }).sampleData).toBe(true);
  });
});

describe.skipIf(!hasCorpus)('vindbaar ingest', () => {
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-'));
    const gz = gzipSync(readFileSync(ldesPage(7)));
    server = createServer((req, res) => {
      if (req.url === '/feed.trig') res.writeHead(200, { 'content-type': 'application/trig' }).end(gz);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ ...process.env, VINDBAAR_DATA_DIR: dir, DATABASE_URL: '' });

  it('ingests a gzipped TriG document from a URL, then finds it unchanged', async () => {
    const first = await run(process.execPath, [...CLI, 'ingest', `${url}/feed.trig`, '--catalog', 'federaal', '--quiet'], { env: env() });
    expect(first.stdout).toMatch(/Ingested \d+ records into "federaal".*By kind: .*Dataset 100/);
    const again = await run(process.execPath, [...CLI, 'ingest', `${url}/feed.trig`, '--catalog', 'federaal', '--quiet'], { env: env() });
    expect(again.stdout).toMatch(/0 created, 0 updated, \d+ unchanged/);
  });

  it('says why an input cannot be read, without a stack trace, and changes nothing', async () => {
    const fail = (args: string[]) => run(process.execPath, [...CLI, 'ingest', ...args, '--quiet'], { env: env() }).catch((e: { code: number; stderr: string }) => e) as Promise<{ code: number; stderr: string }>;
    const missing = await fail([`${url}/missing.ttl`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${url}/missing.ttl cannot be read: HTTP 404 Not Found. Nothing was changed.`);
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const closed = await fail([`http://127.0.0.1:${port}/none.ttl`]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/none\.ttl cannot be read: .*ECONNREFUSED.*Nothing was changed/);
    const nofile = await fail([join(dir, 'nothing-here.ttl')]);
    expect(nofile.code).toBe(1);
    expect(nofile.stderr).toContain('nothing-here.ttl: no such file. Nothing was changed.');
    const format = await fail([`${url}/feed.trig`, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be one of turtle, trig, ntriples, nquads, rdfxml, jsonld, not "xml".');
    for (const r of [missing, closed, nofile, format]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('counts the records with warnings once each, also those the reject policy turned away', async () => {
    const file = join(dir, 'untitled.ttl');
    writeFileSync(file, '@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://example.org/ds/1> a dcat:Dataset .\n<http://example.org/ds/2> a dcat:Dataset .\n');
    const r = await run(process.execPath, [...CLI, 'ingest', file, '--catalog', 'zonder-titel', '-p', 'dcat-ap-3.0.1', '--policy', 'reject', '--quiet'], { env: env() });
    expect(r.stdout).toMatch(/0 created, 0 updated, 0 unchanged, 2 rejected for violations/);
    expect(r.stdout).toMatch(/^2 records have warnings; the first: http:\/\/example\.org\/ds\/[12]: /m);
  });

  it('names the line of a syntax error and exits non-zero', async () => {
    const bad = join(dir, 'bad.ttl');
    writeFileSync(bad, '@prefix dct: <http://purl.org/dc/terms/> .\n<http://x.org/a> dct:title "open .\n');
    const r = await run(process.execPath, [...CLI, 'ingest', bad, '--quiet'], { env: env() }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    expect((r as { stderr: string }).stderr).toMatch(/bad\.ttl \(line \d+/);
  });
});

describe.skipIf(!hasCorpus)('vindbaar source and harvest', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof import('./support/corpus-http.js')['startCorpusServer']>>;
  const env = () => ({ ...process.env, VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_DEFAULT_PROFILE: 'none' });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-harvest-'));
    server = await (await import('./support/corpus-http.js')).startCorpusServer();
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a source, refuses a bad one, harvests it with a summary, and lists it with its last run', async () => {
    const added = await run(process.execPath, [...CLI, 'source', 'add', 'udata', `${server.url}/udata/partial/catalog.jsonld?page=1`, '--type', 'dcat', '--schedule', '0 3 * * *'], { env: env() });
    expect(added.stdout).toMatch(/Added source "udata"/);
    const bad = await run(process.execPath, [...CLI, 'source', 'add', 'Bad Id', 'ftp://x', '--type', 'nope'], { env: env() }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toMatch(/id: .*type: .*url: /s);
    const harvested = await run(process.execPath, [...CLI, 'harvest', 'udata'], { env: env() });
    expect(harvested.stdout).toMatch(/Run 1 succeeded in [\d.]+ s: 2 pages \(0 unchanged\), 5 records; 5 created/);
    const list = await run(process.execPath, [...CLI, 'source', 'list'], { env: env() });
    expect(list.stdout).toMatch(/udata\s+dcat .*0 3 \* \* \*\s+last run: succeeded, 5 records/);
    // A run under way says so once, with when it began and how far it got, rather than "running, …, running".
    expect(lastRunText({ status: 'running', started_at: '2026-03-01T10:00:00Z', finished_at: null, records: 250 })).toBe('run under way since 2026-03-01T10:00:00.000Z, 250 records so far');
    expect(lastRunText({ status: 'failed', started_at: new Date('2026-03-01T10:00:00Z'), finished_at: new Date('2026-03-01T10:01:00Z'), records: 0 })).toBe('last run: failed, 0 records, ended 2026-03-01T10:01:00.000Z');
    expect(lastRunText(undefined)).toBe('last run: never');
    const unknown = await run(process.execPath, [...CLI, 'harvest', 'nope'], { env: env() }).catch((e: { code: number; stderr: string }) => e);
    expect((unknown as { code: number }).code).toBe(2);
  });

  it('records the commands that change the catalogue in the audit log, with who ran them and how they ended, never a secret', async () => {
    const key = await run(process.execPath, [...CLI, 'key', 'create', '--role', 'publisher', '--org', 'Stad Gent', '--label', 'portaal'], { env: env() });
    const secret = key.stdout.trim();
    await run(process.execPath, [...CLI, 'source', 'add', 'priv', 'https://data.example.be/catalog.ttl', '--type', 'dcat', '--credentials', 'Bearer t0ken'], { env: env() });
    await run(process.execPath, [...CLI, 'source', 'remove', 'udata'], { env: env() });
    await run(process.execPath, [...CLI, 'key', 'revoke', 'key-nope'], { env: env() }).catch(() => undefined);
    const { openDb } = await import('../src/store/db.js');
    const db = await openDb({ dataDir: join(dir, 'pglite') });
    try {
      const rows = (await db.query<{ path: string; status: number; address: string; method: string; role: string }>("SELECT method, path, status, address, role FROM audit_log WHERE method = 'CLI' ORDER BY id")).rows;
      expect(rows.map((r) => [r.path, r.status])).toEqual([
        // Quoted where a shell would read a word otherwise.
        [`source add udata "${server.url}/udata/partial/catalog.jsonld?page=1" --type dcat`, 0],
        ['harvest udata', 0],
        ['harvest nope', 2],
        ['key create --role publisher --org "Stad Gent" --label portaal', 0],
        ['source add priv https://data.example.be/catalog.ttl --type dcat --credentials (hidden)', 0],
        ['source remove udata', 0],
        ['key revoke key-nope', 2],
      ]);
      expect(rows.every((r) => r.role === 'operator' && /.@./.test(r.address))).toBe(true);
      const all = JSON.stringify(rows);
      for (const s of [secret, 't0ken']) expect(all).not.toContain(s);
    } finally {
      await db.close();
    }
  });

  it('rotates a key, and lists which keys have ended or will', async () => {
    const old = (await run(process.execPath, [...CLI, 'key', 'create', '--org', 'Stad Brugge', '--label', 'portaal'], { env: env() })).stdout.trim();
    const oldId = `key-${old.split('_')[1]}`;
    const now = await run(process.execPath, [...CLI, 'key', 'rotate', oldId, '--grace-hours', '0'], { env: env() });
    const fresh = now.stdout.trim();
    expect(fresh).toMatch(/^vb_[a-z0-9]{8}_/);
    expect(now.stderr).toContain(`Store this key now: it is not shown again. ${oldId} no longer works`);
    const freshId = `key-${fresh.split('_')[1]}`;
    const later = await run(process.execPath, [...CLI, 'key', 'rotate', freshId, '--grace-hours', '3'], { env: env() });
    expect(later.stderr).toMatch(new RegExp(`${freshId} works until \\d{4}-\\d\\d-\\d\\dT`));
    const newest = `key-${later.stdout.trim().split('_')[1]}`;
    const list = (await run(process.execPath, [...CLI, 'key', 'list'], { env: env() })).stdout.split('\n');
    // A rotated key stops working when its grace runs out: the list says so, as it does for a revoked one.
    expect(list.find((l) => l.startsWith(oldId))).toMatch(/Stad Brugge\s+portaal {2}\(expired \d{4}-/);
    expect(list.find((l) => l.startsWith(freshId))).toMatch(/portaal {2}\(expires \d{4}-/);
    expect(list.find((l) => l.startsWith(newest))).toMatch(/portaal$/);
    const again = await run(process.execPath, [...CLI, 'key', 'rotate', oldId], { env: env() }).catch((e: { code: number; stderr: string }) => e);
    expect((again as { code: number }).code).toBe(2);
    expect((again as { stderr: string }).stderr).toContain(`No active key "${oldId}".`);
    const { openDb } = await import('../src/store/db.js');
    const db = await openDb({ dataDir: join(dir, 'pglite') });
    try {
      const rows = (await db.query<{ path: string; status: number }>("SELECT path, status FROM audit_log WHERE method = 'CLI' AND path LIKE 'key rotate%' ORDER BY id")).rows;
      expect(rows).toEqual([
        { path: `key rotate ${oldId} --grace-hours 0`, status: 0 },
        { path: `key rotate ${freshId} --grace-hours 3`, status: 0 },
        { path: `key rotate ${oldId} --grace-hours 24`, status: 2 },
      ]);
    } finally {
      await db.close();
    }
  });

  it('a source held by another run: names the process and when its hold runs out', async () => {
    await run(process.execPath, [...CLI, 'source', 'add', 'bezet', 'https://data.example.be/catalog.ttl', '--type', 'dcat'], { env: env() });
    const { openDb } = await import('../src/store/db.js');
    const db = await openDb({ dataDir: join(dir, 'pglite') });
    // As a harvest whose process was killed leaves it.
    await db.query("UPDATE sources SET lease_holder = 'harvester-2:4242:0b6c3e1e-4a7f-4c43-9d55-0d4b8f3d2a11', lease_until = '2099-01-01T00:00:00Z' WHERE id = 'bezet'");
    await db.close();
    const r = await run(process.execPath, [...CLI, 'harvest', 'bezet'], { env: env() }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    expect((r as { stderr: string }).stderr).toContain('Source "bezet" is being harvested by another run right now (harvester-2:4242; if that process has died, its hold runs out at 2099-01-01T00:00:00.000Z).');
    await run(process.execPath, [...CLI, 'source', 'remove', 'bezet'], { env: env() });
  });

  it('lists runs, shows one with its items, and confirms the withdrawals a run held back', async () => {
    let kept = 10;
    server.route('/krimp.ttl', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      const ids = Array.from({ length: kept }, (_, i) => i + 1);
      res.end(`@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
<https://krimp.example.be/catalog> a dcat:Catalog; dct:title "Krimp"@nl; ${ids.map((i) => `dcat:dataset <https://krimp.example.be/ds/${i}>`).join('; ')}.
${ids.map((i) => `<https://krimp.example.be/ds/${i}> a dcat:Dataset; dct:title "Dataset ${i}"@nl; dct:description "Beschrijving ${i}"@nl.`).join('\n')}`);
    });
    await run(process.execPath, [...CLI, 'source', 'add', 'krimp', `${server.url}/krimp.ttl`, '--type', 'dcat'], { env: env() });
    await run(process.execPath, [...CLI, 'harvest', 'krimp'], { env: env() });
    kept = 2;
    const held = await run(process.execPath, [...CLI, 'harvest', 'krimp'], { env: env() });
    const id = /Run (\d+) awaiting-confirmation/.exec(held.stdout)?.[1];
    expect(id, held.stdout).toBeDefined();
    expect(held.stdout).toContain(`8 withdrawals wait for confirmation (vindbaar run show ${id}, then vindbaar run confirm|dismiss ${id})`);
    const list = await run(process.execPath, [...CLI, 'run', 'list', 'krimp'], { env: env() });
    expect(list.stdout.trim().split('\n')[0]).toMatch(new RegExp(`^\\s*${id}\\s.*awaiting-confirmation.*8 withdrawals wait`));
    const show = await run(process.execPath, [...CLI, 'run', 'show', id!], { env: env() });
    expect(show.stdout.match(/pending-withdrawal/g)).toHaveLength(8);
    expect(show.stdout).toContain('https://krimp.example.be/ds/10');
    const confirmed = await run(process.execPath, [...CLI, 'run', 'confirm', id!], { env: env() });
    expect(confirmed.stdout).toContain(`Run ${id}: 8 records withdrawn.`);
    for (const args of [['run', 'confirm', id!], ['run', 'dismiss', 'abc'], ['run', 'show', '999'], ['run', 'list', 'nope']]) {
      const r = await run(process.execPath, [...CLI, ...args], { env: env() }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code, args.join(' ')).toBe(2);
    }
    const { openDb } = await import('../src/store/db.js');
    const db = await openDb({ dataDir: join(dir, 'pglite') });
    try {
      expect((await db.query("SELECT count(*)::int AS n FROM records WHERE source_id = 'krimp' AND deleted_at IS NULL AND kind = 'Dataset'")).rows[0]).toEqual({ n: 2 });
      const audit = (await db.query<{ path: string; status: number }>("SELECT path, status FROM audit_log WHERE method = 'CLI' AND path LIKE 'run %' ORDER BY id")).rows;
      expect(audit).toEqual([{ path: `run confirm ${id}`, status: 0 }, { path: `run confirm ${id}`, status: 2 }]);
    } finally {
      await db.close();
    }
    await run(process.execPath, [...CLI, 'source', 'remove', 'krimp'], { env: env() });
  });

  it('takes --schedule none, as its help says, for a source harvested on demand only', async () => {
    expect((await run(process.execPath, [...CLI, 'source', 'add', '--help'], { env: env() })).stdout).toMatch(/none:\s+on\s+demand\s+only/);
    const added = await run(process.execPath, [...CLI, 'source', 'add', 'op-vraag', 'https://data.example.be/catalog.ttl', '--type', 'dcat', '--schedule', 'none'], { env: env() });
    expect(added.stdout).toContain('harvested on demand.');
    expect(JSON.parse((await run(process.execPath, [...CLI, 'source', 'show', 'op-vraag'], { env: env() })).stdout)).toMatchObject({ id: 'op-vraag', schedule: null });
    await run(process.execPath, [...CLI, 'source', 'remove', 'op-vraag'], { env: env() });
  });
});

describe('vindbaar harvest stopped by a signal', () => {
  it('ends its run as failed, saying it was stopped, instead of leaving it running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-stop-'));
    // A catalogue whose second page never comes.
    const hanging = createServer((req, res) => {
      if (req.url?.includes('page=2')) return; // no answer
      res.writeHead(200, { 'content-type': 'text/turtle' });
      res.end(`@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix hydra: <http://www.w3.org/ns/hydra/core#>.
<http://example.org/ds/1> a dcat:Dataset; dct:title "Een"@nl.
<${'http://127.0.0.1:' + (hanging.address() as { port: number }).port}/cat?page=1> hydra:next <${'http://127.0.0.1:' + (hanging.address() as { port: number }).port}/cat?page=2>.`);
    });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
    const env = { ...process.env, VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_DEFAULT_PROFILE: 'none', VINDBAAR_HARVEST_TIMEOUT_MS: '60000' };
    try {
      await run(process.execPath, [...CLI, 'source', 'add', 'hangt', `${base}/cat?page=1`, '--type', 'dcat'], { env });
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [...CLI, 'harvest', 'hangt', '--quiet'], { env });
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      // Wait until the second page is asked for, then stop it.
      await new Promise<void>((resolve) => hanging.on('request', (req) => req.url?.includes('page=2') && setTimeout(resolve, 300)));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(out).toMatch(/Run 1 failed .*\nstopped by SIGTERM before the run ended/s);
      const list = await run(process.execPath, [...CLI, 'source', 'list'], { env });
      expect(list.stdout).toMatch(/last run: failed/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('vindbaar harvest stopped while its first page hangs', () => {
  it('says it was stopped, not that the source timed out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-stop-first-'));
    const hanging = createServer(() => undefined); // never answers
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
    const env = { ...process.env, VINDBAAR_DATA_DIR: dir, DATABASE_URL: '', VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_DEFAULT_PROFILE: 'none', VINDBAAR_HARVEST_TIMEOUT_MS: '60000' };
    try {
      await run(process.execPath, [...CLI, 'source', 'add', 'stil', `${base}/cat.ttl`, '--type', 'dcat'], { env });
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [...CLI, 'harvest', 'stil', '--quiet'], { env });
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      await new Promise<void>((resolve) => hanging.once('request', () => setTimeout(resolve, 300)));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(out).toMatch(/Run 1 failed .*\nstopped by the operator \(SIGINT\) before the run ended/s);
      expect(out).not.toMatch(/timed out/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!inject('pgUrl'))('a database user without the rights the README asks for', () => {
  it('worker: says what the user needs, without a stack trace', async () => {
    const pg = (await import('pg')).default;
    const server = inject('pgUrl');
    const suffix = Math.random().toString(36).slice(2, 8);
    const [user, db] = [`vb_norights_${suffix}`, `vb_norights_${suffix}`];
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${user} LOGIN`);
      await admin.query(`CREATE DATABASE ${db}`);
      const inDb = new pg.Client({ connectionString: server.replace(/\/[^/]*$/, `/${db}`) });
      await inDb.connect();
      await inDb.query(`GRANT CREATE ON SCHEMA public TO ${user}`);
      await inDb.end();
      const u = new URL(server);
      u.username = user;
      u.pathname = `/${db}`;
      // Tables in public, but no schema of its own for the job queue (no CREATE on the database).
      const env = { ...process.env, DATABASE_URL: u.toString(), VINDBAAR_LINK_CHECK: 'false' };
      await run(process.execPath, [...CLI, 'migrate'], { env });
      const r = await run(process.execPath, [...CLI, 'worker'], { env, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(1);
      const err = (r as { stderr: string }).stderr;
      expect(err).toContain(`The database user may not do this (DATABASE_URL: ${u.host}/${db}): permission denied for database ${db}.`);
      expect(err).toContain('GRANT CREATE ON DATABASE');
      expect(err).not.toMatch(/\n\s+at /);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${user}`).catch(() => undefined);
      await admin.end();
    }
  }, 120_000);

  it('migrate: a user with CREATE on the database only (the schema public closed, as since Postgres 15) is told the grant that is missing, which is enough', async () => {
    const pg = (await import('pg')).default;
    const server = inject('pgUrl');
    const suffix = Math.random().toString(36).slice(2, 8);
    const [user, db] = [`vb_dbonly_${suffix}`, `vb_dbonly_${suffix}`];
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    const inDb = new pg.Client({ connectionString: server.replace(/\/[^/]*$/, `/${db}`) });
    try {
      await admin.query(`CREATE ROLE ${user} LOGIN`);
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.query(`GRANT CREATE ON DATABASE ${db} TO ${user}`);
      await inDb.connect();
      // What Postgres 15 and later do by default; said outright so that an older server behaves alike.
      await inDb.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      const u = new URL(server);
      u.username = user;
      u.pathname = `/${db}`;
      const env = { ...process.env, DATABASE_URL: u.toString(), VINDBAAR_LINK_CHECK: 'false' };
      const r = await run(process.execPath, [...CLI, 'migrate'], { env, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(1);
      const err = (r as { stderr: string }).stderr;
      expect(err).toContain('permission denied for schema public');
      expect(err).toContain(`GRANT CREATE ON SCHEMA public TO ${user}`);
      expect(err).toContain(`ALTER DATABASE ${db} OWNER TO ${user}`);
      expect(err).not.toMatch(/\n\s+at /);
      // The grant named is the one missing: with it, migrate runs.
      await inDb.query(`GRANT CREATE ON SCHEMA public TO ${user}`);
      const ok = await run(process.execPath, [...CLI, 'migrate'], { env, timeout: 60_000 });
      expect(ok.stdout).toMatch(/^Applied 001_core\.sql/);
    } finally {
      await inDb.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${user}`).catch(() => undefined);
      await admin.end();
    }
  }, 120_000);

  it('a login Postgres refuses, or a database it does not have: one line saying what to correct, no stack trace or password', async () => {
    const pg = (await import('pg')).default;
    const server = inject('pgUrl');
    const suffix = Math.random().toString(36).slice(2, 8);
    const locked = `vb_nologin_${suffix}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${locked} NOLOGIN`);
      const url = (user: string, db: string) => {
        const u = new URL(server);
        u.username = user;
        u.password = 'geheim-wachtwoord';
        u.pathname = `/${db}`;
        return u;
      };
      const existing = new URL(server).pathname.slice(1);
      for (const [u, expected] of [
        [url(`vb_nobody_${suffix}`, existing), `Postgres refused the login (DATABASE_URL: ${new URL(server).host}/${existing}): role "vb_nobody_${suffix}" does not exist. Check the user and password in DATABASE_URL`],
        [url(locked, existing), `Postgres refused the login (DATABASE_URL: ${new URL(server).host}/${existing}): role "${locked}" is not permitted to log in.`],
        [url(new URL(server).username, `vb_nodb_${suffix}`), `Postgres refused the connection (DATABASE_URL: ${new URL(server).host}/vb_nodb_${suffix}): database "vb_nodb_${suffix}" does not exist. Create the database`],
      ] as const)
        for (const command of [['migrate'], ['serve'], ['source', 'list']]) {
          const r = await run(process.execPath, [...CLI, ...command], { env: { ...process.env, DATABASE_URL: u.toString(), PORT: '0' }, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
          expect((r as { code: number }).code, command.join(' ')).toBe(1);
          const err = (r as { stderr: string }).stderr;
          expect(err, command.join(' ')).toContain(expected);
          expect(err).not.toMatch(/\n\s+at |geheim/);
        }
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${locked}`).catch(() => undefined);
      await admin.end();
    }
  }, 240_000);
});

describe('docker-compose commands stopped as docker stops them', () => {
  /** The `command:` of a service in docker-compose.yml, split into words as compose does (no shell). */
  const composeCommand = (service: string): string[] => {
    const yml = readFileSync(join(import.meta.dirname, '../docker-compose.yml'), 'utf8');
    const block = yml.split(/\n(?= {2}\w[\w-]*:\n)/).find((b) => b.startsWith(`  ${service}:\n`) || b.includes(`\n  ${service}:\n`));
    const m = block && /\n {4}command: (.+)/.exec(block);
    if (!m) throw new Error(`no command for ${service}`);
    return m[1].trim().split(/\s+/);
  };
  const gone = (pgid: number) => {
    try {
      process.kill(-pgid, 0);
      return false;
    } catch {
      return true;
    }
  };

  // `npm start` too: a process manager that runs it signals npm alone, which passes the signal to its
  // script's process only (a shell in between kept the server running after npm had gone).
  for (const [service, command, started, stopping] of [
    ['app', () => composeCommand('app'), 'Vindbaar is serving', 'shutting down'],
    ['worker', () => composeCommand('worker'), 'harvest worker started', 'worker stopping'],
    ['npm start', () => ['npm', 'start'], 'Vindbaar is serving', 'shutting down'],
  ] as const)
    it(`${service}: SIGTERM to the command alone shuts down cleanly and leaves no process behind`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `vindbaar-compose-${service.replace(' ', '-')}-`));
      const { spawn } = await import('node:child_process');
      const [cmd, ...args] = command();
      // Its own process group, as a container's processes are: docker signals the first one only.
      const child = spawn(cmd === 'node' ? process.execPath : cmd, args, {
        cwd: join(import.meta.dirname, '..'),
        detached: true,
        env: { ...process.env, DATABASE_URL: '', VINDBAAR_DATA_DIR: dir, PORT: '0', VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_WORKERS: '0' },
      });
      const pgid = child.pid as number;
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.stderr.on('data', (d) => (out += String(d)));
      try {
        for (let i = 0; i < 600 && !out.includes(started); i++) await new Promise((r) => setTimeout(r, 100));
        expect(out).toContain(started);
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(out).toContain(stopping);
        for (let i = 0; i < 50 && !gone(pgid); i++) await new Promise((r) => setTimeout(r, 100));
        expect(gone(pgid), 'processes left running after the command exited').toBe(true);
      } finally {
        if (!gone(pgid)) process.kill(-pgid, 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
});

describe('vindbaar validate', () => {
  it('refuses a layer the profile does not have (which would check nothing and "conform"), an unknown output form and a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-cli-validate-'));
    const doc = join(dir, 'catalog.ttl');
    // A dataset without a description: a violation of DCAT-AP 3.0.1's core layer.
    writeFileSync(doc, '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n<http://example.org/ds/1> a dcat:Dataset ; dct:title "Een"@nl .\n');
    const validate = (args: string[]) => run(process.execPath, [...CLI, 'validate', ...args]).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    try {
      expect((await validate([doc, '-p', 'dcat-ap-3.0.1', '-l', 'core'])).code).toBe(1);
      const typo = await validate([doc, '-p', 'dcat-ap-3.0.1', '-l', 'core,recomended']);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('Profile dcat-ap-3.0.1 has no layer recomended; it has core, recommended, vocabularies, deprecated.');
      expect(typo.stdout).not.toMatch(/Conforms/);
      const output = await validate([doc, '-p', 'dcat-ap-3.0.1', '-o', 'yaml']);
      expect(output.code).toBe(2);
      expect(output.stderr).toContain('--output must be text, json, turtle or jsonld, not "yaml".');
      const missing = await validate([join(dir, 'none.ttl'), '-p', 'dcat-ap-3.0.1']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('none.ttl: no such file.');
      expect(missing.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
