// Leases on work of which only one may run at a time across every process that shares the store (a
// reindex). A row, not a Postgres advisory lock: an advisory lock lives on one connection, which the
// embedded store and the pool do not set aside, and a row also tells who holds it and since when.
import { hostname } from 'node:os';
import type { Queryable } from './db.js';

export class LeaseTakenError extends Error {
  constructor(
    readonly lease: string,
    readonly holder: string,
    readonly since: Date,
    readonly until: Date,
  ) {
    super(`${lease} is already running (${holder}, since ${since.toISOString()}); if that process died, its lease runs out at ${until.toISOString()}`);
    this.name = 'LeaseTakenError';
  }
}

/** Takes the lease `name` for `seconds`, or says who has it. */
export async function takeLease(db: Queryable, name: string, holder: string, seconds: number): Promise<void> {
  const r = await db.query(
    `INSERT INTO leases (name, holder, until) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, since = now(), until = EXCLUDED.until
       WHERE leases.until < now() OR leases.holder = EXCLUDED.holder
     RETURNING name`,
    [name, holder, seconds],
  );
  if (r.rows.length > 0) return;
  const held = await db.query<{ holder: string; since: Date; until: Date }>('SELECT holder, since, until FROM leases WHERE name = $1', [name]);
  const h = held.rows[0];
  // Released between the two statements: try once more.
  if (!h) return takeLease(db, name, holder, seconds);
  // A holder on this machine whose process is gone (killed, or cut off with the store) need not be
  // waited for until its lease runs out.
  if (deadHere(h.holder)) {
    const took = await db.query('UPDATE leases SET holder = $3, since = now(), until = now() + make_interval(secs => $4) WHERE name = $1 AND holder = $2 RETURNING name', [name, h.holder, holder, seconds]);
    if (took.rows.length > 0) return;
  }
  throw new LeaseTakenError(name, h.holder, h.since, h.until);
}

let taken = 0;
/** How a holder names itself: the machine, the process, when it started and which of the process's
 * takings it is (two in one process are two holders). */
export const holderName = (): string => `${hostname()} pid ${process.pid} at ${new Date().toISOString()} #${++taken}`;

/** Whether `holder` names a process on this machine that no longer runs. */
function deadHere(holder: string): boolean {
  const m = /^(.*) pid (\d+) at /.exec(holder);
  if (!m || m[1] !== hostname() || Number(m[2]) === process.pid) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `fn` holding the lease `name`, renewed every third of `seconds` while it runs, released after. */
export async function withLease<T>(db: Queryable, name: string, fn: () => Promise<T>, seconds = 60): Promise<T> {
  const holder = holderName();
  await takeLease(db, name, holder, seconds);
  let lost: Error | undefined;
  const renew = setInterval(() => {
    db.query('UPDATE leases SET until = now() + make_interval(secs => $3) WHERE name = $1 AND holder = $2 RETURNING name', [name, holder, seconds])
      .then((r) => {
        if (r.rows.length === 0) lost = new Error(`the ${name} lease was taken over (this process did not renew it in time)`);
      })
      .catch(() => undefined); // the store unreachable for a moment: the next renewal tries again
  }, Math.max(200, (seconds * 1000) / 3));
  renew.unref();
  try {
    const result = await fn();
    if (lost) throw lost;
    return result;
  } finally {
    clearInterval(renew);
    await db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]).catch(() => undefined);
  }
}
