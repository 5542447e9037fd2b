// Configuration from the environment (and a .env file), checked once at start with clear errors.
import { delimiter, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { profileIds } from './validation/profiles.js';

export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  databaseUrl?: string;
  elasticsearchUrl?: string;
  /** How to reach Elasticsearch: credentials, TLS and the index name prefix (used with elasticsearchUrl). */
  elasticsearch: ElasticsearchConfig;
  dataDir: string;
  sampleData: boolean;
  adminKey?: string;
  bodyLimit: number;
  allowRemoteContexts: boolean;
  /** Folders of extra JSON-LD contexts, each with an index.json of URL -> file. */
  jsonldContexts: string[];
  /** Profile records are validated against when their source claims none; undefined: no validation. */
  defaultProfile?: string;
  logLevel: string;
  harvest: HarvestConfig;
  /** How this catalogue describes itself in its DCAT output (/catalog, dumps, the feed). */
  catalog: CatalogDescription;
  sparql: SparqlConfig;
  linkCheck: LinkCheckConfig;
  feedback: FeedbackConfig;
  /** Above this event-loop delay new requests get 503 with Retry-After (0: never). */
  maxEventLoopDelayMs: number;
  limits: LimitsConfig;
  oidc: OidcConfig;
  /** Which sites may show the embeddable lists (/embed/...) in a frame: the sources of their
   * Content-Security-Policy frame-ancestors ("*": any site). Every other page may be framed by none. */
  embedAncestors: string;
}

export interface OidcConfig {
  /** The identity provider whose access tokens are accepted as bearer credentials (absent: API keys only). */
  issuer?: string;
  /** The audience tokens must be issued for (this service's client id or API identifier). */
  audience?: string;
  /** Where the issuer's signing keys are (default: from its discovery document). */
  jwksUrl?: string;
  /** Claim holding the role ("admin" or "publisher", or a list holding one of them). */
  roleClaim: string;
  /** Claim holding a publisher's organisation. */
  organisationClaim: string;
}

export interface LimitsConfig {
  /** Requests per minute from one address without a key (0: no limit). */
  perAddress: number;
  /** Requests per minute with one API key (0: no limit). */
  perKey: number;
  /** Dumps, search exports and SPARQL queries answered at once by one process (0: no limit). */
  expensive: number;
  /** Which proxies' X-Forwarded-For is believed: "true", "false", or addresses and CIDR
   * ranges (with the names loopback, linklocal, uniquelocal). The client's address is what the
   * per-address limit, the feedback limit and the audit log see. */
  trustProxy: boolean | string;
}

export interface FeedbackConfig {
  /** SMTP server for the mail outbox (smtp://user:pass@host:587, smtps://...); absent: mails wait in the outbox. */
  smtpUrl?: string;
  /** Sender of the mails. */
  from: string;
  /** Feedback messages one address may send in ten minutes. */
  perAddress: number;
}

export interface LinkCheckConfig {
  /** Whether `serve` and `worker` check the access, download and endpoint links of the records. */
  enabled: boolean;
  /** CIDR ranges and host names that may be checked although private or loopback. */
  allow: string[];
  /** Requests in flight to one host. */
  perHost: number;
  /** Least time between two requests to one host. */
  perHostIntervalMs: number;
  timeoutMs: number;
  /** Tries of a link that fails transiently before it counts as broken. */
  attempts: number;
  /** First wait before trying a link again (doubled each time). */
  backoffMs: number;
  /** Links checked at once over all hosts. */
  concurrency: number;
  recheckOkHours: number;
  recheckBrokenHours: number;
  /** A host name that resolves whenever the network is up (see quality/link-checking.ts). */
  probeHost: string;
}

export interface SparqlConfig {
  /** A SPARQL store kept in step with the catalogue (absent: Oxigraph embedded in a worker thread). */
  url?: string;
  /** What runs at `url`: an Oxigraph server or Virtuoso. */
  store: 'oxigraph' | 'virtuoso';
  /** Longest a query may run before it is stopped and answered with 503. */
  timeoutMs: number;
  /** Most results a query returns (a larger or absent LIMIT is lowered to it). */
  maxResults: number;
}

export interface CatalogDescription {
  title: string;
  description: string;
  /** The publishing organisation's IRI and name (dct:publisher, mandatory in DCAT-AP). */
  publisher: string;
  publisherName: string;
  /** The language of title and description. */
  language: string;
  /** Licence of the catalogue's metadata (dct:license). */
  license: string;
  /** E-mail address of the catalogue's contact point. */
  contactEmail?: string;
}

export interface HarvestConfig {
  /** CIDR ranges and host names a harvest may reach although private or loopback (VINDBAAR_HARVEST_ALLOW). */
  allow: string[];
  /** Largest response a harvest reads, after decompression. */
  maxBytes: number;
  timeoutMs: number;
  /** Requests in flight per host. */
  perHost: number;
  /** Attempts per request before a page counts as failed. */
  attempts: number;
  backoffMs: number;
  /** Days a withdrawn record stays as a tombstone (410 Gone) before it is purged. */
  tombstoneDays: number;
  /** Harvest jobs `serve` runs in its own process (0: leave them to `vindbaar worker` processes). */
  workers: number;
  /** Seconds after which a job whose worker went silent is retried elsewhere. */
  jobExpireSeconds: number;
  /** How often an idle worker looks for jobs. */
  pollSeconds: number;
  /** First delay before a failed or lost job is tried again (doubled on each retry). */
  retryDelaySeconds: number;
  /** How long a run's hold on its source lasts without renewal (a dead worker's hold runs out). */
  leaseSeconds: number;
}

export interface ElasticsearchConfig {
  /** An API key (the base64 "id:key" form Elasticsearch prints). */
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM file of the CA that signed the cluster's certificate (for https with a private CA). */
  caFile?: string;
  /** false only for test clusters with self-signed certificates. */
  verifyTls: boolean;
  /** Index and alias names start with this. */
  indexPrefix: string;
  /** Replicas of the records index (0 on a single node). */
  replicas: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function bool(name: string, value: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  problems.push(`${name} must be true or false, not "${value}"`);
  return fallback;
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
    return fallback;
  }
  return n;
}

function url(name: string, value: string | undefined, protocols: string[], problems: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const u = new URL(value);
    if (!protocols.includes(u.protocol)) problems.push(`${name} must use ${protocols.join(' or ')}, not ${u.protocol}`);
    return value;
  } catch {
    problems.push(`${name} is not a valid URL: "${withoutUserInfo(value)}"`);
    return undefined;
  }
}

/** A URL as a message may show it: what stands between "//" and the last "@" (user and password, as in
 * DATABASE_URL or SMTP_URL) is left out, even when the URL does not parse (a "#" or "/" in a password). */
function withoutUserInfo(value: string): string {
  const start = value.indexOf('//');
  const at = value.lastIndexOf('@');
  return start >= 0 && at > start ? `${value.slice(0, start + 2)}…@${value.slice(at + 1)}` : value;
}

/** Sizes like "20mb", "512kb" or a byte count. */
function size(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const m = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!m) {
    problems.push(`${name} must be a size such as 20mb, not "${value}"`);
    return fallback;
  }
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Number(m[1]) * unit;
}

function hostOr(base: string): string {
  try {
    return new URL(base).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** By default only proxies on this machine or a private network are believed: a client that reaches
 * the service directly cannot choose the address it is counted under. */
/** VINDBAAR_EMBED_ANCESTORS: origins separated by spaces or commas ("https://werk.vlaanderen.be",
 * "https://*.vlaanderen.be", "'self'"), "*" for any site (the default), or "'none'". Each checked, so
 * that no value can add a directive of its own to the policy. */
function embedAncestors(value: string | undefined, problems: string[]): string {
  const parts = (value ?? '').split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return '*';
  const source = /^(\*|'self'|'none'|https?:|(https?:\/\/)?(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:(\d{1,5}|\*))?)$/i;
  for (const p of parts) if (!source.test(p)) problems.push(`VINDBAAR_EMBED_ANCESTORS: "${p}" is not an origin (https://portal.example.be, https://*.example.be), 'self', 'none' or *`);
  if (parts.includes("'none'") && parts.length > 1) problems.push("VINDBAAR_EMBED_ANCESTORS: 'none' stands alone");
  return parts.join(' ');
}

function trustProxy(value: string | undefined, problems: string[]): boolean | string {
  const v = (value ?? '').trim();
  if (v === '') return 'loopback, linklocal, uniquelocal';
  if (v === 'true' || v === 'false') return v === 'true';
  for (const part of v.split(',').map((p) => p.trim()))
    if (!['loopback', 'linklocal', 'uniquelocal'].includes(part) && !/^[0-9a-f.:]+(\/\d{1,3})?$/i.test(part))
      problems.push(`VINDBAAR_TRUST_PROXY: "${part}" is not an address, a CIDR range, loopback, linklocal or uniquelocal`);
  return v;
}

/** Every variable the service reads (the README's "Configuration"). */
export const SETTINGS = [
  'PORT', 'HOST', 'DATABASE_URL', 'LOG_LEVEL', 'SMTP_URL', 'SPARQL_URL', 'SPARQL_STORE',
  'ELASTICSEARCH_URL', 'ELASTICSEARCH_API_KEY', 'ELASTICSEARCH_USERNAME', 'ELASTICSEARCH_PASSWORD', 'ELASTICSEARCH_CA_FILE',
  'ELASTICSEARCH_VERIFY_TLS', 'ELASTICSEARCH_INDEX_PREFIX', 'ELASTICSEARCH_REPLICAS',
  'VINDBAAR_ADMIN_KEY', 'VINDBAAR_BASE_URL', 'VINDBAAR_BODY_LIMIT', 'VINDBAAR_CACHE_DIR', 'VINDBAAR_DATA_DIR', 'VINDBAAR_DEFAULT_PROFILE',
  'VINDBAAR_PGLITE_TEMPLATE', 'VINDBAAR_SAMPLE_DATA', 'VINDBAAR_JSONLD_CONTEXTS', 'VINDBAAR_JSONLD_REMOTE_CONTEXTS', 'VINDBAAR_WORKERS',
  'VINDBAAR_CATALOG_TITLE', 'VINDBAAR_CATALOG_DESCRIPTION', 'VINDBAAR_CATALOG_LANGUAGE', 'VINDBAAR_CATALOG_PUBLISHER',
  'VINDBAAR_CATALOG_PUBLISHER_NAME', 'VINDBAAR_CATALOG_LICENSE', 'VINDBAAR_CATALOG_CONTACT_EMAIL',
  'VINDBAAR_HARVEST_ALLOW', 'VINDBAAR_HARVEST_MAX_BYTES', 'VINDBAAR_HARVEST_TIMEOUT_MS', 'VINDBAAR_HARVEST_ATTEMPTS', 'VINDBAAR_HARVEST_BACKOFF_MS',
  'VINDBAAR_HARVEST_PER_HOST', 'VINDBAAR_HARVEST_JOB_EXPIRE_SECONDS', 'VINDBAAR_HARVEST_LEASE_SECONDS', 'VINDBAAR_HARVEST_RETRY_DELAY_SECONDS',
  'VINDBAAR_HARVEST_POLL_SECONDS', 'VINDBAAR_TOMBSTONE_DAYS', 'VINDBAAR_SPARQL_TIMEOUT_MS', 'VINDBAAR_SPARQL_MAX_RESULTS',
  'VINDBAAR_LINK_CHECK', 'VINDBAAR_LINK_CHECK_ALLOW', 'VINDBAAR_LINK_CHECK_PER_HOST', 'VINDBAAR_LINK_CHECK_CONCURRENCY', 'VINDBAAR_LINK_CHECK_TIMEOUT_MS',
  'VINDBAAR_LINK_CHECK_ATTEMPTS', 'VINDBAAR_LINK_CHECK_BACKOFF_MS', 'VINDBAAR_LINK_CHECK_INTERVAL_MS', 'VINDBAAR_LINK_CHECK_RECHECK_HOURS',
  'VINDBAAR_LINK_CHECK_BROKEN_RECHECK_HOURS', 'VINDBAAR_LINK_CHECK_PROBE_HOST', 'VINDBAAR_MAIL_FROM', 'VINDBAAR_FEEDBACK_PER_ADDRESS',
  'VINDBAAR_MAX_EVENT_LOOP_DELAY_MS', 'VINDBAAR_RATE_LIMIT_PER_ADDRESS', 'VINDBAAR_RATE_LIMIT_PER_KEY', 'VINDBAAR_EXPENSIVE_CONCURRENCY',
  'VINDBAAR_OIDC_ISSUER', 'VINDBAAR_OIDC_AUDIENCE', 'VINDBAAR_OIDC_JWKS_URL', 'VINDBAAR_OIDC_ROLE_CLAIM', 'VINDBAAR_OIDC_ORGANISATION_CLAIM',
  'VINDBAAR_TRUST_PROXY', 'VINDBAAR_EMBED_ANCESTORS',
];

/** Read by the tests, benchmarks and conformance scripts, which run the commands in their environment. */
const TOOL_SETTINGS = [
  'VINDBAAR_CORPUS', 'VINDBAAR_REQUIRE_SERVICES', 'VINDBAAR_ES_VERSION', 'VINDBAAR_OPENSEARCH_VERSION', 'VINDBAAR_ES_JAVA_OPTS',
  'VINDBAAR_SEARCH_DISTRIBUTION', 'VINDBAAR_PYTHON', 'VINDBAAR_CONFORMANCE_VENV',
];

/** The edit distance of two names, a swap of neighbours counting as one (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** The setting a misspelt name most likely meant: near enough that it is no other tool's variable. */
function meant(name: string, loose: boolean): string | undefined {
  let best: { setting: string; d: number } | undefined;
  for (const setting of SETTINGS) {
    const d = distance(name.toUpperCase(), setting);
    if (!best || d < best.d) best = { setting, d };
  }
  if (!best) return undefined;
  const near = loose ? Math.max(3, Math.floor(best.setting.length / 4)) : best.setting.length >= 8 ? 2 : 1;
  return best.d <= near ? best.setting : undefined;
}

/**
 * Names that look like settings but are none, which would otherwise be ignored without a word (a
 * misspelt DATABASE_URL gives an embedded database): every VINDBAAR_ name in the environment, and in
 * the .env file also a name near one of ours and a line that is no NAME=value. The .env file may hold
 * other tools' variables (docker compose reads it too), so only those near ours are named.
 */
export function unknownSettings(env: NodeJS.ProcessEnv, envFile?: { name: string; text: string }): string[] {
  const problems: string[] = [];
  const known = new Set([...SETTINGS, ...TOOL_SETTINGS]);
  const unknown = (name: string, where: string) => {
    const guess = meant(name, name.startsWith('VINDBAAR_'));
    return `${where}${name} is not a setting of Vindbaar (${guess ? `did you mean ${guess}?` : 'see "Configuration" in the README'})`;
  };
  const fromFile = new Set<string>();
  if (envFile) {
    const lines = envFile.text.replace(/^\uFEFF/, '').split(/\r?\n/);
    let quote: string | undefined;
    lines.forEach((line, i) => {
      // The lines of a value in quotes that spans several (a PEM certificate) are part of that value.
      if (quote) {
        if (line.includes(quote)) quote = undefined;
        return;
      }
      if (/^\s*(#|$)/.test(line)) return;
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=|:\s)\s*(["'`]?)(.*)$/.exec(line);
      if (!m) {
        // Never the line itself: it may hold a password.
        const start = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(line)?.[1];
        problems.push(`${envFile.name} line ${i + 1} is not NAME=value${start && start.length <= 60 ? ` (${start} has no "=")` : ''}`);
        return;
      }
      const [, name, open, rest] = m;
      if (open && !rest.includes(open)) quote = open;
      fromFile.add(name);
      if (!known.has(name) && (name.startsWith('VINDBAAR_') || meant(name, false))) problems.push(unknown(name, `${envFile.name} line ${i + 1}: `));
    });
  }
  for (const name of Object.keys(env))
    if (name.startsWith('VINDBAAR_') && !known.has(name) && !fromFile.has(name)) problems.push(unknown(name, ''));
  return problems;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile?: { name: string; text: string }): Config {
  const problems: string[] = unknownSettings(env, envFile);
  const port = int('PORT', env.PORT, 3000, 0, 65535, problems);
  const host = env.HOST || '127.0.0.1';
  const baseUrl = url('VINDBAAR_BASE_URL', env.VINDBAAR_BASE_URL, ['http:', 'https:'], problems) ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  const config: Config = {
    port,
    host,
    baseUrl: baseUrl.replace(/\/$/, ''),
    databaseUrl: url('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:'], problems),
    elasticsearchUrl: url('ELASTICSEARCH_URL', env.ELASTICSEARCH_URL, ['http:', 'https:'], problems),
    elasticsearch: {
      apiKey: env.ELASTICSEARCH_API_KEY || undefined,
      username: env.ELASTICSEARCH_USERNAME || undefined,
      password: env.ELASTICSEARCH_PASSWORD || undefined,
      caFile: env.ELASTICSEARCH_CA_FILE ? resolve(env.ELASTICSEARCH_CA_FILE) : undefined,
      verifyTls: bool('ELASTICSEARCH_VERIFY_TLS', env.ELASTICSEARCH_VERIFY_TLS, true, problems),
      indexPrefix: env.ELASTICSEARCH_INDEX_PREFIX || 'vindbaar',
      replicas: int('ELASTICSEARCH_REPLICAS', env.ELASTICSEARCH_REPLICAS, 0, 0, 10, problems),
    },
    dataDir: resolve(env.VINDBAAR_DATA_DIR || './data'),
    // The sample catalogue is for trying the embedded service; a deployment on a Postgres server starts
    // empty unless it asks for it.
    sampleData: bool('VINDBAAR_SAMPLE_DATA', env.VINDBAAR_SAMPLE_DATA, !env.DATABASE_URL, problems),
    adminKey: env.VINDBAAR_ADMIN_KEY || undefined,
    bodyLimit: size('VINDBAAR_BODY_LIMIT', env.VINDBAAR_BODY_LIMIT, 50 * 1024 * 1024, problems),
    allowRemoteContexts: bool('VINDBAAR_JSONLD_REMOTE_CONTEXTS', env.VINDBAAR_JSONLD_REMOTE_CONTEXTS, false, problems),
    jsonldContexts: contextFolders(env.VINDBAAR_JSONLD_CONTEXTS, problems),
    defaultProfile: env.VINDBAAR_DEFAULT_PROFILE === 'none' ? undefined : env.VINDBAAR_DEFAULT_PROFILE || 'dcat-ap-3.0.1',
    logLevel: env.LOG_LEVEL || 'info',
    sparql: {
      url: url('SPARQL_URL', env.SPARQL_URL, ['http:', 'https:'], problems),
      store: env.SPARQL_STORE === 'virtuoso' ? 'virtuoso' : 'oxigraph',
      timeoutMs: int('VINDBAAR_SPARQL_TIMEOUT_MS', env.VINDBAAR_SPARQL_TIMEOUT_MS, 10_000, 100, 600_000, problems),
      maxResults: int('VINDBAAR_SPARQL_MAX_RESULTS', env.VINDBAAR_SPARQL_MAX_RESULTS, 10_000, 1, 10_000_000, problems),
    },
    catalog: {
      title: env.VINDBAAR_CATALOG_TITLE || 'Vindbaar',
      description: env.VINDBAAR_CATALOG_DESCRIPTION || 'Catalogus van datasets en dataservices, geharvest uit en aangeleverd door de portalen van de publicerende organisaties.',
      publisher: url('VINDBAAR_CATALOG_PUBLISHER', env.VINDBAAR_CATALOG_PUBLISHER, ['http:', 'https:'], problems) ?? `${baseUrl.replace(/\/$/, '')}/id/organisation/catalogue`,
      publisherName: env.VINDBAAR_CATALOG_PUBLISHER_NAME || 'Vindbaar',
      language: env.VINDBAAR_CATALOG_LANGUAGE || 'nl',
      contactEmail: env.VINDBAAR_CATALOG_CONTACT_EMAIL || undefined,
      license: url('VINDBAAR_CATALOG_LICENSE', env.VINDBAAR_CATALOG_LICENSE, ['http:', 'https:'], problems) ?? 'http://publications.europa.eu/resource/authority/licence/CC0',
    },
    harvest: {
      allow: (env.VINDBAAR_HARVEST_ALLOW ?? '').split(',').map((a) => a.trim()).filter(Boolean),
      maxBytes: size('VINDBAAR_HARVEST_MAX_BYTES', env.VINDBAAR_HARVEST_MAX_BYTES, 1024 ** 3, problems),
      timeoutMs: int('VINDBAAR_HARVEST_TIMEOUT_MS', env.VINDBAAR_HARVEST_TIMEOUT_MS, 30_000, 100, 600_000, problems),
      perHost: int('VINDBAAR_HARVEST_PER_HOST', env.VINDBAAR_HARVEST_PER_HOST, 2, 1, 32, problems),
      attempts: int('VINDBAAR_HARVEST_ATTEMPTS', env.VINDBAAR_HARVEST_ATTEMPTS, 4, 1, 10, problems),
      backoffMs: int('VINDBAAR_HARVEST_BACKOFF_MS', env.VINDBAAR_HARVEST_BACKOFF_MS, 1_000, 0, 60_000, problems),
      tombstoneDays: int('VINDBAAR_TOMBSTONE_DAYS', env.VINDBAAR_TOMBSTONE_DAYS, 90, 0, 36_500, problems),
      workers: int('VINDBAAR_WORKERS', env.VINDBAAR_WORKERS, 1, 0, 64, problems),
      jobExpireSeconds: int('VINDBAAR_HARVEST_JOB_EXPIRE_SECONDS', env.VINDBAAR_HARVEST_JOB_EXPIRE_SECONDS, 4 * 3600, 1, 7 * 24 * 3600, problems),
      pollSeconds: int('VINDBAAR_HARVEST_POLL_SECONDS', env.VINDBAAR_HARVEST_POLL_SECONDS, 2, 1, 600, problems),
      leaseSeconds: int('VINDBAAR_HARVEST_LEASE_SECONDS', env.VINDBAAR_HARVEST_LEASE_SECONDS, 60, 2, 3600, problems),
      retryDelaySeconds: int('VINDBAAR_HARVEST_RETRY_DELAY_SECONDS', env.VINDBAAR_HARVEST_RETRY_DELAY_SECONDS, 60, 0, 86_400, problems),
    },
    oidc: {
      issuer: url('VINDBAAR_OIDC_ISSUER', env.VINDBAAR_OIDC_ISSUER, ['https:', 'http:'], problems),
      audience: env.VINDBAAR_OIDC_AUDIENCE || undefined,
      jwksUrl: url('VINDBAAR_OIDC_JWKS_URL', env.VINDBAAR_OIDC_JWKS_URL, ['https:', 'http:'], problems),
      roleClaim: env.VINDBAAR_OIDC_ROLE_CLAIM || 'vindbaar_role',
      organisationClaim: env.VINDBAAR_OIDC_ORGANISATION_CLAIM || 'vindbaar_organisation',
    },
    limits: {
      perAddress: int('VINDBAAR_RATE_LIMIT_PER_ADDRESS', env.VINDBAAR_RATE_LIMIT_PER_ADDRESS, 1_200, 0, 10_000_000, problems),
      perKey: int('VINDBAAR_RATE_LIMIT_PER_KEY', env.VINDBAAR_RATE_LIMIT_PER_KEY, 6_000, 0, 10_000_000, problems),
      expensive: int('VINDBAAR_EXPENSIVE_CONCURRENCY', env.VINDBAAR_EXPENSIVE_CONCURRENCY, 4, 0, 1_000, problems),
      trustProxy: trustProxy(env.VINDBAAR_TRUST_PROXY, problems),
    },
    embedAncestors: embedAncestors(env.VINDBAAR_EMBED_ANCESTORS, problems),
    maxEventLoopDelayMs: int('VINDBAAR_MAX_EVENT_LOOP_DELAY_MS', env.VINDBAAR_MAX_EVENT_LOOP_DELAY_MS, 10_000, 0, 600_000, problems),
    feedback: {
      smtpUrl: url('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:'], problems),
      from: env.VINDBAAR_MAIL_FROM || `Vindbaar <noreply@${hostOr(baseUrl)}>`,
      perAddress: int('VINDBAAR_FEEDBACK_PER_ADDRESS', env.VINDBAAR_FEEDBACK_PER_ADDRESS, 5, 1, 10_000, problems),
    },
    linkCheck: {
      enabled: bool('VINDBAAR_LINK_CHECK', env.VINDBAAR_LINK_CHECK, true, problems),
      allow: (env.VINDBAAR_LINK_CHECK_ALLOW ?? '').split(',').map((a) => a.trim()).filter(Boolean),
      perHost: int('VINDBAAR_LINK_CHECK_PER_HOST', env.VINDBAAR_LINK_CHECK_PER_HOST, 4, 1, 16, problems),
      perHostIntervalMs: int('VINDBAAR_LINK_CHECK_INTERVAL_MS', env.VINDBAAR_LINK_CHECK_INTERVAL_MS, 0, 0, 60_000, problems),
      timeoutMs: int('VINDBAAR_LINK_CHECK_TIMEOUT_MS', env.VINDBAAR_LINK_CHECK_TIMEOUT_MS, 10_000, 100, 120_000, problems),
      attempts: int('VINDBAAR_LINK_CHECK_ATTEMPTS', env.VINDBAAR_LINK_CHECK_ATTEMPTS, 3, 1, 10, problems),
      backoffMs: int('VINDBAAR_LINK_CHECK_BACKOFF_MS', env.VINDBAAR_LINK_CHECK_BACKOFF_MS, 2_000, 0, 600_000, problems),
      concurrency: int('VINDBAAR_LINK_CHECK_CONCURRENCY', env.VINDBAAR_LINK_CHECK_CONCURRENCY, 32, 1, 512, problems),
      recheckOkHours: int('VINDBAAR_LINK_CHECK_RECHECK_HOURS', env.VINDBAAR_LINK_CHECK_RECHECK_HOURS, 7 * 24, 1, 365 * 24, problems),
      probeHost: env.VINDBAAR_LINK_CHECK_PROBE_HOST || 'publications.europa.eu',
      recheckBrokenHours: int('VINDBAAR_LINK_CHECK_BROKEN_RECHECK_HOURS', env.VINDBAAR_LINK_CHECK_BROKEN_RECHECK_HOURS, 24, 1, 365 * 24, problems),
    },
  };
  for (const [name, list] of [['VINDBAAR_HARVEST_ALLOW', config.harvest.allow], ['VINDBAAR_LINK_CHECK_ALLOW', config.linkCheck.allow]] as const)
    for (const entry of list)
      if (entry.includes('/') && !validCidr(entry)) problems.push(`${name}: "${entry}" is not a CIDR range (address/prefix, at most /32 for IPv4 and /128 for IPv6) or a host name`);
  if (config.oidc.issuer && !config.oidc.audience) problems.push('VINDBAAR_OIDC_ISSUER is set without VINDBAAR_OIDC_AUDIENCE (tokens issued for other services must not be accepted)');
  if (!config.oidc.issuer && (config.oidc.audience || config.oidc.jwksUrl)) problems.push('VINDBAAR_OIDC_AUDIENCE or VINDBAAR_OIDC_JWKS_URL is set without VINDBAAR_OIDC_ISSUER');
  if (config.adminKey !== undefined && config.adminKey.length < 24) problems.push('VINDBAAR_ADMIN_KEY must be at least 24 characters long');
  if (config.defaultProfile !== undefined && !profileIds().includes(config.defaultProfile))
    problems.push(`VINDBAAR_DEFAULT_PROFILE "${config.defaultProfile}" is not a profile (${profileIds().join(', ')}, or none)`);
  if (env.SPARQL_STORE !== undefined && env.SPARQL_STORE !== '' && !['oxigraph', 'virtuoso'].includes(env.SPARQL_STORE)) problems.push(`SPARQL_STORE "${env.SPARQL_STORE}" is not oxigraph or virtuoso`);
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) problems.push(`LOG_LEVEL "${config.logLevel}" is not a pino level`);
  const es = config.elasticsearch;
  if (es.username !== undefined && es.password === undefined) problems.push('ELASTICSEARCH_USERNAME is set without ELASTICSEARCH_PASSWORD');
  if (es.password !== undefined && es.username === undefined) problems.push('ELASTICSEARCH_PASSWORD is set without ELASTICSEARCH_USERNAME');
  if (es.caFile !== undefined && !existsSync(es.caFile)) problems.push(`ELASTICSEARCH_CA_FILE: ${es.caFile} does not exist`);
  if (es.apiKey !== undefined && es.username !== undefined) problems.push('set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, not both');
  if (!/^[a-z0-9][a-z0-9_-]{0,60}$/.test(es.indexPrefix)) problems.push(`ELASTICSEARCH_INDEX_PREFIX "${es.indexPrefix}" must be lowercase letters, digits, - or _`);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** An address range as the allow-lists take it: an IPv4 or IPv6 address and a prefix length it can have. */
function validCidr(entry: string): boolean {
  const m = /^([0-9a-f.:]+)\/(\d{1,3})$/i.exec(entry);
  if (!m) return false;
  const bits = Number(m[2]);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(m[1])) return m[1].split('.').every((o) => Number(o) <= 255) && bits <= 32;
  return m[1].includes(':') && bits <= 128;
}

/** VINDBAAR_JSONLD_CONTEXTS: folders separated by the system's path separator, each with an index.json. */
function contextFolders(value: string | undefined, problems: string[]): string[] {
  const folders = (value ?? '').split(delimiter).map((f) => f.trim()).filter(Boolean).map((f) => resolve(f));
  for (const f of folders) if (!existsSync(join(f, 'index.json'))) problems.push(`VINDBAAR_JSONLD_CONTEXTS: ${f} has no index.json (a map of context URL to file)`);
  return folders;
}
