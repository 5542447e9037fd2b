// One process at a time opens an embedded store: PGlite keeps the database in its own memory and writes
// it back to the data folder, so a second process (a CLI command while `serve` runs) works on a copy
// whose writes are lost, and may leave the folder unreadable. A lock file in the folder, naming the
// process that holds it, turns that into a clear refusal. A lock left by a process that is gone (a
// crash, a kill) is taken over.
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(dir: string, holder: { pid: number; command?: string; since?: string }) {
    super(
      `The embedded store in ${dir} is in use by process ${holder.pid}${holder.command ? ` (vindbaar ${holder.command})` : ''}${holder.since ? ` since ${holder.since}` : ''}. ` +
        'Only one process can open it at a time: stop that process first, or do this through its API; to run several processes, use a Postgres server (DATABASE_URL).',
    );
    this.name = 'DataDirInUseError';
  }
}

const held = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data folder's lock (again, within this process); returns the function that lets it go. */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, 'vindbaar.lock');
  const count = held.get(path) ?? 0;
  if (count === 0) {
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify({ pid: process.pid, command: process.argv.slice(2).join(' ').slice(0, 200), since: new Date().toISOString() }));
        closeSync(fd);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
        let holder: { pid: number; command?: string; since?: string } | undefined;
        try {
          holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
        } catch {
          holder = undefined; // unreadable: left half-written by a crash
        }
        if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DataDirInUseError(dir, holder);
        unlinkSync(path);
      }
    }
  }
  held.set(path, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(path) ?? 1) - 1;
    if (left > 0) return void held.set(path, left);
    held.delete(path);
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
}
