// What a command says when Postgres cannot be reached or will not let it in: one line that names where
// DATABASE_URL points (never its password) and what to change, instead of a stack trace. These are
// mistakes in the configuration or a server that is not there, not faults of the program.
import { isConnectionLoss } from './connection-loss.js';

/** Where a DATABASE_URL points: host, port and database, without user or password. */
export function databaseWhere(databaseUrl: string | undefined): string {
  try {
    const u = new URL(databaseUrl ?? '');
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

// Node's TLS verification failures, as the pg driver passes them on.
const TLS_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** The message for an error that keeps a command from using the database at all, or undefined. */
export function databaseRefusal(e: unknown, databaseUrl: string | undefined): string | undefined {
  if (!databaseUrl || typeof e !== 'object' || e === null) return undefined;
  const err = e as Error & { code?: string; hostname?: string };
  const where = `DATABASE_URL: ${databaseWhere(databaseUrl)}`;
  const code = typeof err.code === 'string' ? err.code : '';
  if (isConnectionLoss(e))
    return `The database does not answer (${where}): ${err.message || code}. Check that it runs and that the address, port and credentials are right.`;
  // Class 28, invalid authorization: a wrong password, a role that does not exist or may not log in,
  // no pg_hba.conf line for this user and address.
  if (code.startsWith('28'))
    return `Postgres refused the login (${where}): ${err.message}. Check the user and password in DATABASE_URL, and that the server's pg_hba.conf admits this user from this machine.`;
  if (code === '3D000') return `Postgres refused the connection (${where}): ${err.message}. Create the database (createdb) or correct its name in DATABASE_URL.`;
  let host: string | undefined;
  try {
    host = new URL(databaseUrl).hostname;
  } catch {
    host = undefined;
  }
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && err.hostname !== undefined && err.hostname === host)
    return `The database host ${host} cannot be found (${where}): ${code === 'EAI_AGAIN' ? 'the name server did not answer' : 'no such host name'}. Check the host in DATABASE_URL.`;
  if (TLS_CODES.test(code) || /does not support SSL connections/.test(err.message ?? ''))
    return `The TLS connection to the database failed (${where}): ${err.message}. Check sslmode in DATABASE_URL (and the server's certificate).`;
  // Postgres's insufficient_privilege: most often the job queue's schema, made at the first start of serve or worker.
  if (code === '42501')
    return (
      `The database user may not do this (${where}): ${err.message}. It needs to create tables in the schema public and ` +
      `a schema of its own for the harvest job queue: ${grantsNeeded(databaseUrl)}; see "Running against Postgres" in the README.`
    );
  return undefined;
}

/**
 * The grants a database user lacks, as statements to run. Since Postgres 15 the schema public is no
 * longer writable by every user, so CREATE on the database alone (a schema of its own for the job
 * queue) does not let migrations create their tables; the database's owner has both.
 */
function grantsNeeded(databaseUrl: string): string {
  let user = '<user>';
  let db = '<database>';
  try {
    const u = new URL(databaseUrl);
    user = decodeURIComponent(u.username) || user;
    db = decodeURIComponent(u.pathname.slice(1)) || db;
  } catch {
    // The placeholders stand.
  }
  return `make it the database's owner (ALTER DATABASE ${db} OWNER TO ${user}), or GRANT CREATE ON DATABASE ${db} TO ${user} and, in that database, GRANT CREATE ON SCHEMA public TO ${user}`;
}
