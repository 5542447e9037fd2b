// Rows of the audit log (migration 021): requests made with an API key (api/audit.ts), and commands an
// operator runs on the server (the CLI), so that a key made or a source removed from a shell is no less
// accountable than one made over the API.
import { hostname, userInfo } from 'node:os';
import type { Queryable } from './db.js';
import { SECRET_PARAM } from '../public-url.js';

export interface AuditEntry {
  keyId?: string | null;
  keyPrefix?: string | null;
  role?: string | null;
  organisation?: string | null;
  /** An HTTP method, or CLI for a command. */
  method: string;
  /** The request's path, or the command with its arguments (never a secret). */
  path: string;
  route?: string | null;
  /** The HTTP status, or a command's exit code. */
  status: number;
  /** The client's address, or user@host for a command. */
  address?: string | null;
  durationMs?: number | null;
}

export async function writeAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    'INSERT INTO audit_log (key_id, key_prefix, role, organisation, method, path, route, status, address, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
    [e.keyId ?? null, e.keyPrefix ?? null, e.role ?? null, e.organisation ?? null, e.method, e.path.slice(0, 2000), e.route ?? null, e.status, e.address ?? null, e.durationMs ?? null],
  );
}

/** Who runs a command here: the operating system's user at this host. */
/** Who runs a command: user@host. */
export function operator(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name stands.
  }
  return `${user}@${hostname()}`;
}


/** A word of a command as the log shows it: a URL's user, password and secret-looking query values
 * hidden, quoted if need be. */
function shown(word: string): string {
  let w = word;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(w))
    try {
      const u = new URL(w);
      if (u.username || u.password) {
        u.username = '(hidden)';
        u.password = '';
      }
      for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.set(k, '(hidden)');
      w = u.toString();
    } catch {
      // Not a URL after all: whatever follows a scheme up to an @ may still be a password.
      w = w.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1(hidden)@');
    }
  return /^[\w./:@=,+()-]+$/.test(w) ? w : JSON.stringify(w);
}

/** A command as the audit log shows it (see shown). */
export function commandLine(words: (string | undefined)[]): string {
  return words.filter((w): w is string => w !== undefined).map(shown).join(' ');
}

/**
 * Runs a command that changes the catalogue and records it in the audit log with its exit code (1 if
 * it threw). `words` is the command line as it should be shown: leave secrets out. A failing write to
 * the log is reported and does not change the command's outcome.
 */
export async function auditedCommand<T>(db: Queryable, words: (string | undefined)[], fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let status = 1;
  try {
    const result = await fn();
    status = typeof process.exitCode === 'number' ? process.exitCode : 0;
    return result;
  } finally {
    await writeAudit(db, {
      method: 'CLI',
      path: commandLine(words),
      route: words[0] ?? null,
      role: 'operator',
      status,
      address: operator(),
      durationMs: Date.now() - started,
    }).catch((e: Error) => console.error(`The audit log could not be written: ${e.message}`));
  }
}
