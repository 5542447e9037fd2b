// An operator's answer to a run that would withdraw more than its source's share of records: confirm
// (the records are withdrawn now) or dismiss (they stay). Only the latest run of a source can be
// answered: a later run has seen the source since, and its view wins.
import type { Services } from '../app.js';
import { withdrawRecords } from '../store/records.js';
import { addItems, clearPendingWithdrawals, getRun, pendingWithdrawals, type Run } from '../store/runs.js';

export class WithdrawalStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WithdrawalStateError';
  }
}

export async function answerWithdrawals(services: Services, runId: string, confirm: boolean, by: string): Promise<Run> {
  const { db } = services;
  const run = await getRun(db, runId);
  if (!run) throw new WithdrawalStateError(`No run with id "${runId}".`);
  if (run.status !== 'awaiting-confirmation') throw new WithdrawalStateError(`Run ${runId} ${statusWords(run.status)}; only a run awaiting confirmation can be answered.`);
  const later = await db.query('SELECT 1 FROM harvest_runs WHERE source_id = $1 AND id > $2 LIMIT 1', [run.sourceId, runId]);
  if (later.rows.length > 0) throw new WithdrawalStateError(`Source "${run.sourceId}" has been harvested again since run ${runId}; answer the latest run instead.`);
  await db.transaction(async (tx) => {
    // Checked again under a lock: a run of the source that started meanwhile supersedes this one.
    const now = await tx.query<{ status: string }>('SELECT status FROM harvest_runs WHERE id = $1 FOR UPDATE', [runId]);
    if (now.rows[0]?.status !== 'awaiting-confirmation') throw new WithdrawalStateError(`Run ${runId} ${statusWords(now.rows[0]?.status)}; only a run awaiting confirmation can be answered.`);
    const ids = await pendingWithdrawals(tx, runId);
    const seq = await tx.query<{ n: number }>('SELECT COALESCE(max(seq), 0)::int AS n FROM harvest_items WHERE run_id = $1', [runId]);
    let gone: string[] = [];
    if (confirm) {
      // Only records that are still as the run left them: one changed since came back in some other way.
      const still = await tx.query<{ id: string }>(
        'SELECT id FROM records WHERE id = ANY($1::text[]) AND source_id = $2 AND deleted_at IS NULL AND last_modified <= $3',
        [ids, run.sourceId, run.startedAt],
      );
      gone = await withdrawRecords(tx, still.rows.map((r) => r.id));
      const iris = await tx.query<{ id: string; iri: string }>('SELECT id, iri FROM records WHERE id = ANY($1::text[])', [gone]);
      await addItems(tx, runId, seq.rows[0].n + 1, iris.rows.map((r) => ({ action: 'deleted', recordId: r.id, iri: r.iri, location: null, message: `withdrawal confirmed by ${by}` })));
    }
    await clearPendingWithdrawals(tx, runId);
    await tx.query(
      `UPDATE harvest_runs SET status = 'succeeded', deleted = deleted + $2, pending_withdrawals = 0,
         error = $3 WHERE id = $1 AND status = 'awaiting-confirmation'`,
      [runId, gone.length, confirm ? null : `${ids.length} withdrawals dismissed by ${by}`],
    );
  });
  await services.reindexPending().catch(() => undefined);
  return (await getRun(db, runId)) as Run;
}

/** A run's status as a sentence says it ("Run 3 succeeded", not "Run 3 is succeeded"). */
function statusWords(status: string | undefined): string {
  switch (status) {
    case 'running':
      return 'is still running';
    case 'succeeded':
      return 'succeeded';
    case 'partial':
      return 'read only part of its source';
    case 'failed':
      return 'failed';
    case 'superseded':
      return 'was superseded by a later run';
    case 'awaiting-confirmation':
      return 'is awaiting confirmation';
    case undefined:
      return 'no longer exists';
    default:
      return `has status ${status}`;
  }
}
