// A task the service runs in the background every so often (link checks, KPI snapshots, mail
// delivery): at once, then at each interval, never two runs at a time, a failure logged and tried
// again next time. The timer does not keep the process alive; stop() waits for a run under way.
import type { Logger } from 'pino';

export interface Periodic {
  stop(): Promise<void>;
}

export function every(intervalMs: number, task: () => Promise<unknown>, log: Logger, failure: string): Periodic {
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
  const first = setImmediate(tick);
  return {
    async stop() {
      clearInterval(timer);
      clearImmediate(first);
      await busy;
    },
  };
}
