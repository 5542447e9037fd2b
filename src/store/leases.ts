// Leases on work of which only one may run at a time across every process that shares the store (a
// reindex). A row, not a Postgres advisory lock: an advisory lock lives on one connection, which the
// embedded store and the pool do not set aside, and a row also tells who holds it and since when.
import { readFileSync, readlinkSync } from 'node:fs';
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
  for (let attempt = 0; ; attempt++) {
    const r = await db.query(
      `INSERT INTO leases (name, holder, until) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until,
         since = CASE WHEN leases.holder = EXCLUDED.holder THEN leases.since ELSE now() END
         WHERE leases.until < now() OR leases.holder = EXCLUDED.holder
       RETURNING name`,
      [name, holder, seconds],
    );
    if (r.rows.length > 0) return;
    const held = await db.query<{ holder: string; since: Date; until: Date }>('SELECT holder, since, until FROM leases WHERE name = $1', [name]);
    const h = held.rows[0];
    // Released between the two statements: try again (a few times: others may be trying too).
    if (!h) {
      if (attempt < 3) continue;
      throw new Error(`the ${name} lease could not be taken: it was released and taken again ${attempt + 1} times meanwhile`);
    }
    // A holder on this machine whose process is gone (killed, or cut off with the store) need not be
    // waited for until its lease runs out.
    if (deadHere(h.holder)) {
      const took = await db.query('UPDATE leases SET holder = $3, since = now(), until = now() + make_interval(secs => $4) WHERE name = $1 AND holder = $2 RETURNING name', [name, h.holder, holder, seconds]);
      if (took.rows.length > 0) return;
      // Someone else took it over first: name them, not the dead holder.
      if (attempt < 3) continue;
    }
    throw new LeaseTakenError(name, h.holder, h.since, h.until);
  }
}

/** This process's process-id namespace and the machine's boot: a process id means the same process only
 * where both are the same (containers sharing a host name have their own process ids). */
function pidSpace(): string | undefined {
  try {
    const ns = readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().slice(0, 8);
    return `${boot}-${ns}`;
  } catch {
    return undefined; // not Linux: a holder's liveness cannot be told, its lease runs out instead
  }
}
const SPACE = pidSpace();

let taken = 0;
/** How a holder names itself: the machine, the process (and where its id means something), when it
 * started and which of the process's takings it is (two in one process are two holders). */
export const holderName = (): string => `${hostname()} pid ${process.pid}${SPACE ? ` in ${SPACE}` : ''} at ${new Date().toISOString()} #${++taken}`;

/** Whether `holder` names a process in this process-id space that no longer runs. */
function deadHere(holder: string): boolean {
  const m = /^(.*) pid (\d+) in (\S+) at /.exec(holder);
  if (!m || !SPACE || m[1] !== hostname() || m[3] !== SPACE || Number(m[2]) === process.pid) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Passed to the work done under a lease: throws unless this process still holds it (and renews it). To
 * be called before a step that must not be taken by two at once. */
export type LeaseCheck = () => Promise<void>;

/** Runs `fn` holding the lease `name`, renewed every third of `seconds` while it runs, released after.
 * `fn` calls the check it is given before irreversible steps: a holder that lost its lease (the store
 * unreachable for longer than the lease) must not take them while another holder runs. */
export async function withLease<T>(db: Queryable, name: string, fn: (stillHeld: LeaseCheck) => Promise<T>, seconds = 60): Promise<T> {
  const holder = holderName();
  await takeLease(db, name, holder, seconds);
  const renewal = () => db.query('UPDATE leases SET until = now() + make_interval(secs => $3) WHERE name = $1 AND holder = $2 RETURNING name', [name, holder, seconds]);
  let lost: Error | undefined;
  const lose = () => (lost ??= new Error(`the ${name} lease was lost (not renewed within ${seconds} s, and taken over or run out)`));
  const renew = setInterval(() => {
    renewal()
      .then((r) => {
        if (r.rows.length === 0) lose();
      })
      .catch(() => undefined); // the store unreachable for a moment: the next renewal tries again
  }, Math.max(200, (seconds * 1000) / 3));
  renew.unref();
  const stillHeld: LeaseCheck = async () => {
    if (!lost && (await renewal()).rows.length === 0) lose();
    if (lost) throw lost;
  };
  try {
    const result = await fn(stillHeld);
    if (lost) throw lost;
    return result;
  } finally {
    clearInterval(renew);
    await db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]).catch(() => undefined);
  }
}
