#!/usr/bin/env node
// vindbaar serve | ingest | migrate | reindex | profiles | validate | source | harvest | worker | key | links
import { rideOutConnectionLoss } from './store/connection-loss.js';
import { stopOnSignals } from './shutdown.js';
import { DataDirInUseError } from './store/data-lock.js';
import { databaseRefusal } from './store/database-refusal.js';
import { reindex } from './search/reindex.js';
import { LeaseTakenError } from './store/leases.js';
import { checkIndex, checkPostgresIndex } from './search/verify.js';
import { ElasticsearchSearch } from './search/elasticsearch.js';
import { SearchUnavailableError } from './search/backend.js';
import 'dotenv/config';
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { logger } from './log.js';
import { auditedCommand } from './store/audit.js';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createServices } from './app.js';
import { buildServer } from './server.js';
import { loadSamplesIfEmpty } from './samples.js';
import { ensureAdminKey } from './store/keys.js';
import { formatForPath, formatForMediaType, type RdfFormat, FORMATS } from './rdf/formats.js';
import { maybeGunzip } from './rdf/decode.js';
import { openDb } from './store/db.js';
import { DatabaseNewerError, migrate } from './store/migrate.js';
import { RdfSyntaxError } from './rdf/errors.js';
import { join } from 'node:path';
import { boundMemoryFor } from './memory.js';
import { statSync } from 'node:fs';
import { harvestCommands } from './cli/harvest-commands.js';
import { keyCommands } from './cli/key-commands.js';
import { linkCommands } from './cli/link-commands.js';
import { refreshCommands } from './cli/refresh-commands.js';
import { runCommands } from './cli/run-commands.js';

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** The .env file dotenv read, for the names in it that Vindbaar does not know (see unknownSettings). */
function envFile(): { name: string; text: string } | undefined {
  const path = resolve(process.env.DOTENV_CONFIG_PATH ?? '.env');
  try {
    return { name: process.env.DOTENV_CONFIG_PATH ?? '.env', text: readFileSync(path, 'utf8') };
  } catch {
    return undefined;
  }
}

function config(): Config {
  try {
    return loadConfig(process.env, envFile());
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

// A reader that stops early (| head) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const program = new Command().name('vindbaar').description('Federated DCAT-AP metadata catalogue');

program
  .command('serve')
  .description('run the HTTP server (embedded store unless DATABASE_URL is set)')
  .action(async () => {
    const started = Date.now();
    const cfg = config();
    const log = logger(cfg.logLevel);
    rideOutConnectionLoss(log);
    const services = await createServices(cfg, log);
    if (!cfg.adminKey) {
      const key = await ensureAdminKey(services.db);
      if (key) {
        // Shown once: only its hash is stored.
        process.stderr.write(`\nAdministrator API key (shown once, store it now):\n  ${key}\n\n`);
      }
    }
    if (cfg.sampleData) await loadSamplesIfEmpty(services);
    const app = await buildServer(services);
    try {
      await app.listen({ port: cfg.port, host: cfg.host });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL' && code !== 'ENOTFOUND') throw e;
      console.error(
        code === 'EADDRINUSE'
          ? `Port ${cfg.port} on ${cfg.host} is in use by another process: stop it, or set PORT to another port.`
          : code === 'EACCES'
            ? `Listening on port ${cfg.port} needs privileges this process does not have: set PORT to 1024 or above.`
            : `HOST ${cfg.host} is not an address of this machine (nor a name of one): set HOST to one of its addresses, or 0.0.0.0 for all.`,
      );
      await app.close().catch(() => undefined);
      await services.close();
      process.exit(1);
    }
    services.startBackgroundIndexing();
    services.sparql.startBackgroundSync();
    // Embedded, the server runs harvest jobs itself; with VINDBAAR_WORKERS=0 it leaves them to `vindbaar worker`.
    if (cfg.harvest.workers > 0) await services.harvesting.startWorker(cfg.harvest.workers);
    // Follows the change feed (links, quality facts, the access register) and checks links when enabled.
    services.links.start();
    services.kpis.start();
    services.feedback.mail.start();
    log.info({ url: cfg.baseUrl, store: services.db.driver, ms: Date.now() - started }, 'Vindbaar is serving');
    stopOnSignals(log, async () => {
      await app.close();
      await services.close();
    });
  });

program
  .command('reindex')
  .description('rebuild the search index from the store while the service runs (Elasticsearch: a new index generation, then an atomic alias swap)')
  .option('--keep-old', 'keep the previous Elasticsearch index generation instead of deleting it')
  .option('--check', 'afterwards, compare the index with the store record by record')
  .action(async (opts: { keepOld?: boolean; check?: boolean }) => {
    const cfg = config();
    const log = logger(cfg.logLevel);
    const services = await createServices(cfg, log);
    try {
      const report = await reindex(services.db, services.search, log, { keepOld: opts.keepOld });
      console.log(
        `Reindexed ${report.indexed} records into ${report.index ?? 'search_docs'} in ${report.seconds.toFixed(1)} s (${report.caughtUp} caught up after the copy)` +
          (report.retired.length ? `; ${opts.keepOld ? 'kept' : 'deleted'} ${report.retired.join(', ')}` : ''),
      );
      if (opts.check) {
        const c = services.search instanceof ElasticsearchSearch ? await checkIndex(services.db, services.search) : await checkPostgresIndex(services.db);
        console.log(`Check: ${c.records} records, ${c.documents} documents; ${c.missing.length} missing, ${c.extra.length} extra, ${c.stale.length} stale`);
        for (const [what, list] of [['missing', c.missing], ['extra', c.extra], ['stale', c.stale]] as const)
          if (list.length > 0) console.log(`  ${what}: ${list.slice(0, 10).join(', ')}${list.length > 10 ? `, … (${list.length - 10} more)` : ''}`);
        if (c.missing.length + c.extra.length + c.stale.length > 0) process.exitCode = 1;
      }
    } catch (e) {
      if (e instanceof SearchUnavailableError) {
        // The copy is cut off before the alias moves: search stays on the index it had.
        console.error(`Not done: ${e.message} (ELASTICSEARCH_URL: ${hostOf(cfg.elasticsearchUrl)}). Search stays on the index it had; run reindex again once Elasticsearch answers.`);
        process.exitCode = 1;
      } else if (e instanceof LeaseTakenError) {
        console.error(`Not started: ${e.message}.`);
        process.exitCode = 1;
      } else throw e;
    } finally {
      await services.close();
    }
  });

program
  .command('ingest <input>')
  .description('ingest a DCAT document (file path or http(s) URL; any RDF syntax, gzip or not)')
  .option('-c, --catalog <id>', 'local catalogue to put the records in', 'default')
  .option('-f, --format <format>', `RDF syntax (${FORMATS.map((f) => f.format).join(', ')}); guessed from the name or Content-Type otherwise`)
  .option('--base <iri>', 'base IRI for relative IRIs')
  .option('--quiet', 'no progress output')
  .option('-p, --profile <id>', 'profile to validate records against ("none" to skip; default VINDBAAR_DEFAULT_PROFILE)')
  .option('--policy <policy>', 'accept-with-report (store with the report) or reject (do not store records with violations)', 'accept-with-report')
  .action(async (input: string, opts: { catalog: string; format?: RdfFormat; base?: string; quiet?: boolean; profile?: string; policy: string }) => {
    if (opts.policy !== 'accept-with-report' && opts.policy !== 'reject') {
      console.error(`--policy must be accept-with-report or reject, not "${opts.policy}".`);
      process.exit(2);
    }
    if (opts.format !== undefined && !FORMATS.some((f) => f.format === opts.format)) {
      console.error(`--format must be one of ${FORMATS.map((f) => f.format).join(', ')}, not "${opts.format}".`);
      process.exit(2);
    }
    const cfg = config();
    const started = Date.now();
    let stream: Readable;
    let format = opts.format;
    let base = opts.base;
    // The input is opened before the store: one that cannot be read changes nothing.
    if (/^https?:\/\//.test(input)) {
      let res: Response;
      try {
        res = await fetch(input, { headers: { accept: FORMATS.map((f) => f.mediaType).join(', ') } });
      } catch (e) {
        const cause = (e as Error & { cause?: Error & { code?: string } }).cause;
        console.error(`${input} cannot be read: ${cause?.message ?? (e as Error).message}. Nothing was changed.`);
        process.exit(1);
      }
      if (!res.ok || !res.body) {
        console.error(`${input} cannot be read: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}. Nothing was changed.`);
        process.exit(1);
      }
      format ??= formatForMediaType(res.headers.get('content-type') ?? undefined) ?? formatForPath(input);
      base ??= input;
      stream = Readable.fromWeb(res.body as never);
    } else {
      if (sizeOf(input) === undefined) {
        console.error(`${input}: no such file. Nothing was changed.`);
        process.exit(1);
      }
      format ??= formatForPath(input);
      base ??= `file://${resolve(input)}`;
      stream = createReadStream(input, { highWaterMark: 1 << 20 });
    }
    // A large file, or a download of unknown size: keep the heap close to what is live.
    boundMemoryFor(/^https?:\/\//.test(input) ? undefined : sizeOf(input));
    if (!format) {
      console.error(`Cannot tell the RDF syntax of ${input}; pass --format.`);
      process.exit(2);
    }
    const log = logger('warn');
    const services = await createServices(cfg, log);
    const tty = process.stderr.isTTY && !opts.quiet;
    let lastDraw = 0;
    try {
      const report = await auditedCommand(services.db, ['ingest', input, '--catalog', opts.catalog], () => services.ingest(maybeGunzip(stream), {
        catalogId: opts.catalog,
        source: { id: `file:${opts.catalog}:${input}`.slice(0, 500), kind: /^https?:/.test(input) ? 'url' : 'file', location: input },
        format,
        baseIRI: base,
        profile: opts.profile === 'none' ? null : opts.profile,
        policy: opts.policy as 'reject' | 'accept-with-report',
        onProgress: (p) => {
          if (opts.quiet || Date.now() - lastDraw < 250) return;
          lastDraw = Date.now();
          const s = (Date.now() - started) / 1000;
          const line = `${p.records} records (${p.created} new, ${p.updated} changed, ${p.unchanged} unchanged), ${p.quads} triples, ${Math.round(p.records / s)} records/s`;
          process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
        },
      }));
      if (tty) process.stderr.write('\n');
      const s = (Date.now() - started) / 1000;
      console.log(
        `Ingested ${report.records} records into "${opts.catalog}" in ${s.toFixed(1)} s: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged` +
          `${report.rejected > 0 ? `, ${report.rejected} rejected for violations` : ''}. ` +
          `By kind: ${Object.entries(report.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}.`,
      );
      // One record can be listed more than once (its warnings, then why the reject policy turned it
      // away): records are counted, not entries; the list stops at 1000 entries.
      const warned = new Set(report.warnings.map((w) => w.iri)).size;
      if (warned > 0)
        console.log(`${warned}${report.warnings.length >= 1000 ? ' or more' : ''} records have warnings; the first: ${report.warnings[0].iri}: ${report.warnings[0].messages.join(' ')}`);
    } catch (e) {
      if (tty) process.stderr.write('\n');
      if (e instanceof RdfSyntaxError) {
        console.error(`${input}${e.where ? ` (${e.where})` : ''}: ${e.message}. Records of the failing batch were not stored.`);
        process.exitCode = 1;
      } else if (e instanceof Error && e.name === 'EmptyInputError') {
        console.error(`${input}: ${e.message} Nothing was changed.`);
        process.exitCode = 1;
      } else if (e instanceof Error && e.name === 'UnknownProfileError') {
        console.error(`${e.message} Nothing was changed.`);
        process.exitCode = 2;
      } else throw e;
    } finally {
      await services.close();
    }
  });

const profiles = program.command('profiles').description('DCAT-AP profiles: list them, or compile their official shapes into schemas/');

profiles
  .command('list')
  .description('list the profiles and whether they are compiled')
  .action(async () => {
    const { profileIds, readManifest, schemaPath } = await import('./validation/profiles.js');
    const { existsSync } = await import('node:fs');
    for (const id of profileIds()) {
      const m = readManifest(id);
      console.log(`${id.padEnd(18)} ${m.title}${existsSync(schemaPath(id)) ? '' : '  (not compiled)'}  default layers: ${m.defaultLayers.join(', ')}`);
    }
  });

profiles
  .command('compile [ids...]')
  .description('compile the official SHACL shapes named by the manifests in dcat-profiles/ into JSON Schemas in schemas/')
  .option('--corpus <dir>', 'folder holding the shapes files the manifests name', process.env.VINDBAAR_CORPUS ?? '../shared/corpus')
  .action(async (ids: string[], opts: { corpus: string }) => {
    const { profileIds, compileFromCorpus, writeCompiled, ShapesFileError, UnknownProfileError } = await import('./validation/profiles.js');
    for (const id of ids.length > 0 ? ids : profileIds()) {
      try {
        const result = await compileFromCorpus(id, resolve(opts.corpus));
        writeCompiled(id, result);
        const r = result.report;
        console.log(`${id}: ${r.shapes} shapes, ${r.definitions} targeted, ${r.fragments} constraints compiled; ${r.notCompiled.length} not compiled (see schemas/${id}/compile-report.json)`);
      } catch (e) {
        if (e instanceof ShapesFileError || e instanceof UnknownProfileError) {
          console.error(`${id}: ${e.message}`);
          process.exitCode = 1;
        } else throw e;
      }
    }
  });

program
  .command('validate <file>')
  .description('validate a DCAT document against a profile; exits with 1 when it has violations')
  .requiredOption('-p, --profile <id>', 'profile to validate against (see "vindbaar profiles list")')
  .option('-l, --layers <layers>', 'comma-separated layers (default: the profile\'s default layers)')
  .option('-f, --format <format>', 'RDF syntax of the file; guessed from its name otherwise')
  .option('-o, --output <form>', 'text, json, turtle or jsonld', 'text')
  .option('--lang <lang>', 'language of the text report: nl or en', 'en')
  .action(async (file: string, opts: { profile: string; layers?: string; format?: RdfFormat; output: string; lang: 'nl' | 'en' }) => {
    const { profileValidator, readManifest, UnknownProfileError } = await import('./validation/profiles.js');
    const { buildReport, reportText, reportQuads } = await import('./validation/report.js');
    const { parseString } = await import('./rdf/parse.js');
    const { readFileSync } = await import('node:fs');
    if (!['text', 'json', 'turtle', 'jsonld'].includes(opts.output)) {
      console.error(`--output must be text, json, turtle or jsonld, not "${opts.output}".`);
      process.exit(2);
    }
    let layers: string[];
    try {
      const manifest = readManifest(opts.profile);
      layers = opts.layers?.split(',').map((l) => l.trim()) ?? manifest.defaultLayers;
      // A layer the profile does not have would check nothing, and the document would "conform".
      const has = [...new Set(manifest.shapes.map((s) => s.layer))];
      const unknown = layers.filter((l) => !has.includes(l));
      if (unknown.length > 0) {
        console.error(`Profile ${opts.profile} has no layer ${unknown.join(', ')}; it has ${has.join(', ')}.`);
        process.exit(2);
      }
    } catch (e) {
      if (e instanceof UnknownProfileError) {
        console.error(e.message);
        process.exit(2);
      }
      throw e;
    }
    if (opts.format !== undefined && !FORMATS.some((f) => f.format === opts.format)) {
      console.error(`--format must be one of ${FORMATS.map((f) => f.format).join(', ')}, not "${opts.format}".`);
      process.exit(2);
    }
    const format = opts.format ?? formatForPath(file);
    if (!format) {
      console.error(`Cannot tell the RDF syntax of ${file}; pass --format.`);
      process.exit(2);
    }
    if (sizeOf(file) === undefined) {
      console.error(`${file}: no such file.`);
      process.exit(2);
    }
    let quads;
    try {
      quads = await parseString(readFileSync(file, 'utf8'), { format, baseIRI: `file://${resolve(file)}` });
    } catch (e) {
      if (e instanceof RdfSyntaxError) {
        console.error(`${file}${e.where ? ` (${e.where})` : ''}: ${e.message}`);
        process.exit(2);
      }
      throw e;
    }
    const results = profileValidator(opts.profile, { layers }).validateDocument(quads);
    const report = buildReport(opts.profile, layers, quads, results);
    if (opts.output === 'json') console.log(JSON.stringify(report, null, 2));
    else if (opts.output === 'turtle' || opts.output === 'jsonld') {
      const { serialize } = await import('./rdf/write.js');
      const { REPORT_CONTEXT } = await import('./validation/report.js');
      process.stdout.write(await serialize(reportQuads(report), opts.output, { context: { '@context': REPORT_CONTEXT } }));
    } else process.stdout.write(reportText(report, opts.lang));
    process.exitCode = report.conforms ? 0 : 1;
  });

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const cfg = config();
    const db = await openDb({ databaseUrl: cfg.databaseUrl, dataDir: join(cfg.dataDir, 'pglite') });
    const applied = await migrate(db);
    console.log(applied.length > 0 ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
    // Migration 024 goes on without the extension where the database user may not create it.
    const accents = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'");
    if (accents.rows.length === 0)
      console.warn(
        'The unaccent extension is not installed, so search is accent-sensitive ("donnees" does not find "données"). ' +
          'To change that, a superuser creates it (CREATE EXTENSION unaccent), runs the second block of migrations/024_unaccent.sql, and then "vindbaar reindex".',
      );
    await db.close();
  });

harvestCommands(program, config);
keyCommands(program, config);
linkCommands(program, config);
refreshCommands(program, config);
runCommands(program, config);

/** A URL's host and port, without user and password. */
function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host;
  } catch {
    return 'the configured server';
  }
}

program.parseAsync().catch((e: unknown) => {
  // A refusal that says what to do, or a database that cannot be used (down, a wrong login, a host or
  // database that does not exist), needs no stack trace.
  const refusal = databaseRefusal(e, process.env.DATABASE_URL);
  if (refusal) console.error(refusal);
  else console.error(e instanceof DataDirInUseError || e instanceof DatabaseNewerError ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
