// Starting a server program for the tests: spawn it, keep what it says on stderr, and wait until an
// HTTP probe answers, failing with its last words if it exits or stays silent too long.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export async function startServerProcess(
  name: string,
  command: string,
  args: string[],
  probe: string,
  options: { timeoutMs: number; cwd?: string },
): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] } satisfies SpawnOptions);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${stderr.slice(-500)}`);
    try {
      if ((await fetch(probe)).ok) return child;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > options.timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within ${options.timeoutMs / 1000} s: ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
