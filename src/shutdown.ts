// Stopping on a signal: what is running is closed in order, but the process ends within a deadline
// even when something cannot close (a database that takes connections and never answers), so that an
// orchestrator's SIGTERM is never followed by a hang until SIGKILL.
import type { Logger } from 'pino';

const DEADLINE_MS = 25_000;

/** On SIGINT and SIGTERM: logs, runs `close`, and exits; after the deadline it exits anyway. */
export function stopOnSignals(log: Logger, close: () => Promise<void>, message = 'shutting down', deadlineMs = DEADLINE_MS): void {
  const stop = async (signal: string) => {
    log.info({ signal }, message);
    setTimeout(() => {
      log.error({ signal, seconds: deadlineMs / 1000 }, 'could not close in time; stopping anyway');
      process.exit(1);
    }, deadlineMs).unref();
    try {
      await close();
      process.exit(0);
    } catch (e) {
      log.error({ err: e }, 'error while closing');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
