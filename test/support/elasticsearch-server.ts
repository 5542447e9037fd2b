// Starts a throwaway Elasticsearch 8 node for the tests and benchmarks: the integ-test-zip distribution
// from Maven Central (mvn dependency:copy), cached outside the repository and unpacked once, one node on a
// free loopback port with security disabled, a small heap and a temporary data and log folder, run as a
// non-root system user (Elasticsearch refuses root). When the Elasticsearch artifact cannot be had, the
// OpenSearch integ-test-zip is tried the same way.
//
// The integ-test-zip ships only the core modules, without analysis-common: the language analyzers come
// from a small plugin of ours (elasticsearch-analysis/), compiled here with javac against the
// distribution's own jars.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync,
  openSync, closeSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres-server.js';

/** The newest 8.x integ-test-zip on Maven Central; it runs on JDK 17. */
export const ES_VERSION = process.env.VINDBAAR_ES_VERSION ?? '8.19.21';
/** The fallback: the newest OpenSearch line that still runs on JDK 17 (3.x needs 21). */
export const OPENSEARCH_VERSION = process.env.VINDBAAR_OPENSEARCH_VERSION ?? '2.19.6';
const ES_USER = 'vindbaar-es';
const PLUGIN_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'elasticsearch-analysis', 'VindbaarAnalysisPlugin.java');

export type SearchDistribution = 'elasticsearch' | 'opensearch';

export interface Installation {
  distribution: SearchDistribution;
  version: string;
  home: string;
}

export interface EsServer {
  url: string;
  distribution: SearchDistribution;
  version: string;
  /** The node's main log, for error messages. */
  logFile: string;
  /** A file that holds the reason when the node failed to start. */
  failureFile: string;
  /** Resolves when the cluster is yellow or green; rejects with the log's tail when it does not get there. */
  ready: Promise<void>;
  /** Kills the JVM at once (SIGKILL), as a crash would; data and settings stay for restart(). */
  kill(): Promise<void>;
  /** Starts the JVM again on the same data, port and settings, and waits until it is ready. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where downloads and unpacked distributions are kept (outside the repository, readable by the node's user). */
export function searchCacheDir(): string {
  if (process.env.VINDBAAR_CACHE_DIR) return join(process.env.VINDBAAR_CACHE_DIR, 'search');
  // root's home is closed to other users; the node runs as a system user and must read its install.
  return process.getuid?.() === 0 ? '/var/cache/vindbaar/search' : join(homedir(), '.cache', 'vindbaar', 'search');
}

function run(cmd: string, args: string[], what: string, options: { cwd?: string; timeout?: number } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: options.timeout ?? 600_000, cwd: options.cwd });
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what} (exit ${r.status}): ${tail(`${r.stdout}\n${r.stderr}`, 15)}`);
  return r.stdout;
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The JDK the node runs on: JAVA_HOME, else the one `java` on PATH belongs to. Needs 17 or newer. */
export function javaHome(): string {
  let home = process.env.JAVA_HOME;
  if (!home) {
    const java = spawnSync('sh', ['-c', 'readlink -f "$(command -v java)"'], { encoding: 'utf8' }).stdout.trim();
    if (!java) throw new Error('no Java found (apt-get install openjdk-17-jre-headless, or set JAVA_HOME)');
    home = dirname(dirname(java));
  }
  const v = spawnSync(join(home, 'bin', 'java'), ['-version'], { encoding: 'utf8' });
  const major = Number(/version "(\d+)/.exec(`${v.stderr}${v.stdout}`)?.[1] ?? 0);
  if (major < 17) throw new Error(`Java 17 or newer is needed, ${home} has ${major || 'none'}`);
  return home;
}

/** Downloads (once) and unpacks (once) one integ-test-zip; returns its folder. */
function installZip(group: string, artifact: string, version: string): string {
  const root = join(searchCacheDir(), artifact, version);
  const home = join(root, `${artifact}-${version}`);
  if (existsSync(join(home, '.complete'))) return home;
  mkdirSync(root, { recursive: true, mode: 0o755 });
  for (let d = root; d !== dirname(d) && d.startsWith(searchCacheDir()); d = dirname(d)) chmodSync(d, 0o755);
  const coordinates = `${group}:${artifact}:${version}:zip`;
  run('mvn', [
    '-B', '-q', 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
    `-Dartifact=${coordinates}`, `-DoutputDirectory=${root}`, '-Dmdep.overWriteReleases=true',
  ], `mvn dependency:copy ${coordinates}`, { cwd: root });
  const zip = join(root, `${artifact}-${version}.zip`);
  // Unpack beside the final place and rename, so that a run that stops half-way leaves nothing half-done.
  const staging = mkdtempSync(join(root, '.unpack-'));
  try {
    run('unzip', ['-q', zip, '-d', staging], `unzip ${zip}`);
    rmSync(home, { recursive: true, force: true });
    renameSync(join(staging, `${artifact}-${version}`), home);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(zip, { force: true }); // Maven's local repository keeps a copy
  }
  writeFileSync(join(home, '.complete'), `${coordinates}\n`);
  return home;
}

/** Compiles and installs the analysis plugin when it is missing or its source changed. */
function installAnalysisPlugin(home: string, java: string): void {
  const source = readFileSync(PLUGIN_SOURCE);
  const hash = createHash('sha256').update(source).digest('hex');
  const dir = join(home, 'plugins', 'vindbaar-analysis');
  if (existsSync(join(dir, 'source.sha256')) && readFileSync(join(dir, 'source.sha256'), 'utf8') === hash) return;
  const build = mkdtempSync(join(tmpdir(), 'vindbaar-es-plugin-'));
  try {
    run(join(java, 'bin', 'javac'), ['-nowarn', '--release', '17', '-cp', join(home, 'lib', '*'), '-d', join(build, 'classes'), PLUGIN_SOURCE], 'javac vindbaar-analysis');
    const staging = join(build, 'vindbaar-analysis');
    mkdirSync(staging);
    run(join(java, 'bin', 'jar'), ['cf', join(staging, 'vindbaar-analysis.jar'), '-C', join(build, 'classes'), '.'], 'jar vindbaar-analysis');
    writeFileSync(join(staging, 'plugin-descriptor.properties'), [
      'description=Language analyzers and filters from Lucene, under the names of analysis-common (tests only)',
      `version=${ES_VERSION}`, 'name=vindbaar-analysis', 'classname=org.vindbaar.analysis.VindbaarAnalysisPlugin',
      'java.version=17', `elasticsearch.version=${ES_VERSION}`, '',
    ].join('\n'));
    writeFileSync(join(staging, 'source.sha256'), hash);
    rmSync(dir, { recursive: true, force: true });
    cpSync(staging, dir, { recursive: true });
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
}

/**
 * Makes sure a distribution is unpacked in the cache: Elasticsearch, else OpenSearch (each error is kept,
 * so that the final one says exactly what failed). Synchronous: it is a no-op once cached.
 */
export function installSearchServer(): Installation {
  const java = javaHome();
  const failures: string[] = [];
  if (process.env.VINDBAAR_SEARCH_DISTRIBUTION !== 'opensearch') {
    try {
      const home = installZip('org.elasticsearch.distribution.integ-test-zip', 'elasticsearch', ES_VERSION);
      installAnalysisPlugin(home, java);
      return { distribution: 'elasticsearch', version: ES_VERSION, home };
    } catch (e) {
      failures.push(`Elasticsearch ${ES_VERSION}: ${(e as Error).message}`);
    }
  }
  try {
    const home = installZip('org.opensearch.distribution.integ-test-zip', 'opensearch', OPENSEARCH_VERSION);
    return { distribution: 'opensearch', version: OPENSEARCH_VERSION, home };
  } catch (e) {
    failures.push(`OpenSearch ${OPENSEARCH_VERSION}: ${(e as Error).message}`);
  }
  throw new Error(`no search server could be installed:\n${failures.join('\n')}`);
}

/** The system user the node runs as when we are root (created once). */
function nodeUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (spawnSync('id', ['-u', ES_USER]).status !== 0)
    run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', ES_USER], `useradd ${ES_USER}`);
  const id = (flag: string) => Number(run('id', [flag, ES_USER], 'id').trim());
  return { uid: id('-u'), gid: id('-g') };
}

function chownTree(path: string, user: { uid: number; gid: number }): void {
  run('chown', ['-R', `${user.uid}:${user.gid}`, path], `chown ${path}`);
  chownSync(path, user.uid, user.gid);
}

/**
 * Starts a node and returns at once, with its URL and a `ready` promise: the caller can go on with other
 * work while the JVM boots (about 15 s on two cores).
 */
export async function launchElasticsearch(options: { timeoutMs?: number } = {}): Promise<EsServer> {
  const install = installSearchServer();
  const java = javaHome();
  const user = nodeUser();
  const os = install.distribution === 'opensearch';
  const dir = mkdtempSync(join(tmpdir(), 'vindbaar-es-'));
  const config = join(dir, 'config');
  cpSync(join(install.home, 'config'), config, { recursive: true });
  for (const d of ['data', 'logs', 'tmp']) mkdirSync(join(dir, d));
  const [httpPort, transportPort] = [await freePort(), await freePort()];
  const settings = [
    'cluster.name: vindbaar-test',
    'node.name: node-1',
    'discovery.type: single-node',
    'network.host: 127.0.0.1',
    `http.port: ${httpPort}`,
    `transport.port: ${transportPort}`,
    `path.data: ${join(dir, 'data')}`,
    `path.logs: ${join(dir, 'logs')}`,
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'action.destructive_requires_name: false',
    ...(os ? [] : ['xpack.security.enabled: false']),
  ];
  writeFileSync(join(config, os ? 'opensearch.yml' : 'elasticsearch.yml'), `${settings.join('\n')}\n`);
  chmodSync(dir, 0o755);
  if (user) chownTree(dir, user);

  const prefix = os ? 'OPENSEARCH' : 'ES';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    [`${prefix}_JAVA_HOME`]: java,
    [`${prefix}_PATH_CONF`]: config,
    [`${prefix}_TMPDIR`]: join(dir, 'tmp'),
    [`${prefix}_JAVA_OPTS`]: process.env.VINDBAAR_ES_JAVA_OPTS ?? '-Xms256m -Xmx512m',
  };
  const bin = join(install.home, 'bin', os ? 'opensearch' : 'elasticsearch');
  const [cmd, args] = user ? ['runuser', ['-u', ES_USER, '--', bin]] : [bin, []];
  const consoleFile = join(dir, 'console.log');
  const url = `http://127.0.0.1:${httpPort}`;
  const logFile = join(dir, 'logs', 'vindbaar-test.log');
  const failureFile = join(dir, 'failed');
  const label = `${install.distribution} ${install.version}`;
  const logTail = () => {
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    return tail(read(logFile) || read(consoleFile), 20);
  };

  // One JVM at a time in this folder; kill() and restart() replace it, keeping data, port and settings.
  let child: ChildProcess;
  let exited: string | undefined;
  let exit: Promise<void>;
  const spawnNode = () => {
    const out = openSync(consoleFile, 'a');
    child = spawn(cmd, args, { cwd: dir, env, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    exited = undefined;
    exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    }));
    const ready = waitForElasticsearch(url, { timeoutMs: options.timeoutMs ?? 120_000, exited: () => exited })
      .catch((e: Error) => {
        const message = `${label} did not start at ${url}: ${e.message}\n--- last lines of ${existsSync(logFile) ? logFile : consoleFile}:\n${logTail()}`;
        try { writeFileSync(failureFile, message); } catch { /* folder gone */ }
        throw new Error(message);
      });
    ready.catch(() => undefined); // the caller decides whether to wait
    return ready;
  };
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid && !exited) process.kill(-child.pid, signal);
    } catch { /* already gone */ }
  };
  // If this process ends without calling stop(), do not leave a JVM behind.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const ready = spawnNode();

  let stopped = false;
  return {
    url,
    distribution: install.distribution,
    version: install.version,
    logFile,
    failureFile,
    ready,
    async kill() {
      killGroup('SIGKILL');
      await exit;
    },
    async restart() {
      if (!exited) throw new Error('the node is still running');
      await spawnNode();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a node and waits until the cluster is yellow or green. */
export async function startElasticsearch(options: { timeoutMs?: number } = {}): Promise<EsServer> {
  const server = await launchElasticsearch(options);
  try {
    await server.ready;
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

/**
 * Waits until the node at `url` answers with a yellow or green cluster. `failed` (a file some other
 * process writes when the node could not start) and `exited` end the wait early.
 */
export async function waitForElasticsearch(
  url: string,
  options: { timeoutMs?: number; failureFile?: string; exited?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let last = 'no answer yet';
  for (;;) {
    const gone = options.exited?.();
    if (gone) throw new Error(`the node ${gone}`);
    if (options.failureFile && existsSync(options.failureFile)) throw new Error(readFileSync(options.failureFile, 'utf8'));
    try {
      const r = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, { signal: AbortSignal.timeout(5_000) });
      const body = (await r.json()) as { status?: string };
      if (r.ok && (body.status === 'green' || body.status === 'yellow')) return;
      last = `cluster health ${r.status} ${body.status ?? ''}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs ?? 120_000} ms (${last})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
