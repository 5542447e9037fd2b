// Starts bench/server-main.ts in a child process and talks to it over its standard streams.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** Stops the server and returns its peak RSS in MB. */
  stop(): Promise<number>;
}

/** A Vindbaar server on `dbUrl` in its own process; `env` is added to its configuration. Node flags
 * (e.g. --cpu-prof) can be given in BENCH_SERVER_NODE_FLAGS to look inside it. */
export async function startServerProcess(dbUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', join(here, 'server-main.ts'), dbUrl], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_SERVER_ENV: JSON.stringify(env) },
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the benchmark server exited before it listened');
  const { url } = JSON.parse(first.value as string) as { url: string };
  return {
    url,
    pid: child.pid as number,
    async stop() {
      child.stdin!.end();
      const last = await lines.next();
      return last.done ? 0 : (JSON.parse(last.value as string) as { peakRssMB: number }).peakRssMB;
    },
  };
}
