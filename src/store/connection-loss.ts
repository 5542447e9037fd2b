// Losing the database for a while (a restart, a failover, a network cut) is an outage to ride out, not
// a reason for a long-running process to end: what was in hand fails and is retried (harvest jobs
// expire and run again, the outbox keeps what was not indexed). pg-boss 10 completes and fails jobs
// without awaiting the result, so during an outage its rejections reach the process unhandled; the
// serve and worker commands log those and go on. Any other unhandled rejection still ends the process.
import type { Logger } from 'pino';

const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);

export function isConnectionLoss(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  if (!err) return false;
  if (err.code && CODES.has(err.code)) return true;
  return /Connection terminated|Client has encountered a connection error|terminating connection|timeout exceeded when trying to connect/i.test(err.message ?? '');
}

/** For long-running commands: database outages are logged and ridden out; other failures end the process. */
export function rideOutConnectionLoss(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isConnectionLoss(reason)) {
      log.warn({ err: (reason as Error).message }, 'database connection lost; the work in hand is retried when it is back');
      return;
    }
    log.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
}

/** The store did not answer within the time a caller can wait (a server that takes connections but
 * never answers). */
export class StoreTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms / 1000} s`);
    this.name = 'StoreTimeoutError';
  }
}

/** `work`, or a StoreTimeoutError after `ms` (the work itself is not stopped). */
export function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(ms)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
