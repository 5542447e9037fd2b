// A task the service runs in the background every so often (link checks, KPI snapshots, mail
// delivery): at once, then at each interval, never two runs at a time, a failure logged and tried
// again next time. The timer does not keep the process alive; stop() waits for a run under way.
import type { Logger } from 'pino';

export interface Periodic {
  stop(): Promise<void>;
}

/** `immediate`: run once at once (a server's first start), or only after the first interval (a worker
 * joining others, which takes jobs first). */
export function every(intervalMs: number, task: () => Promise<unknown>, log: Logger, failure: string, immediate = true): Periodic {
  let busy: Promise<unknown> | undefined;
  const tick = () => {
    if (busy) return;
    busy = task()
      .catch((e: Error) => log.warn({ err: e.message }, failure))
      .finally(() => {
        busy = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  const first = immediate ? setImmediate(tick) : undefined;
  return {
    async stop() {
      clearInterval(timer);
      if (first) clearImmediate(first);
      await busy;
    },
  };
}
