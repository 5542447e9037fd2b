// The mail outbox's delivery job: sends due messages by SMTP (SMTP_URL) a few at a time, retries
// failures with growing delays (1, 2, 4 ... minutes, at most a day apart, ten tries), and leaves every
// message in the outbox with its state, so that the admin API shows what was sent and what was not.
// Without SMTP configured nothing is sent and messages wait, readable.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Queryable } from '../store/db.js';
import { every, type Periodic } from '../periodic.js';

const MAX_ATTEMPTS = 10;

export class MailDelivery {
  private readonly transport?: Transporter;
  private periodic?: Periodic;

  constructor(
    private readonly db: Queryable,
    smtpUrl: string | undefined,
    private readonly from: string,
    private readonly log: Logger,
  ) {
    if (smtpUrl) this.transport = nodemailer.createTransport(smtpUrl);
  }

  get configured(): boolean {
    return !!this.transport;
  }

  /** Sends up to `limit` due messages; returns how many went out. */
  async deliverDue(limit = 20): Promise<number> {
    if (!this.transport) return 0;
    // Claimed by moving their next attempt ahead, so that two processes do not send one message twice.
    const due = await this.db.query<{ id: string; to_address: string; reply_to: string | null; subject: string; body: string; attempts: number }>(
      `UPDATE mail_outbox SET next_attempt_at = now() + interval '10 minutes', attempts = attempts + 1
       WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id::text, to_address, reply_to, subject, body, attempts`,
      [limit, MAX_ATTEMPTS],
    );
    let sent = 0;
    for (const m of due.rows) {
      try {
        await this.transport.sendMail({ from: this.from, to: m.to_address, replyTo: m.reply_to ?? undefined, subject: m.subject, text: m.body });
        await this.db.query('UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = $1', [m.id]);
        sent++;
      } catch (e) {
        const wait = Math.min(24 * 60, 2 ** (m.attempts - 1));
        await this.db.query(`UPDATE mail_outbox SET last_error = $2, next_attempt_at = now() + make_interval(mins => $3) WHERE id = $1`, [m.id, (e as Error).message.slice(0, 500), wait]);
        this.log.warn({ mail: m.id, attempt: m.attempts, err: (e as Error).message }, 'mail not sent; will retry');
      }
    }
    return sent;
  }

  start(intervalMs = 30_000, immediate = true): void {
    if (this.transport) this.periodic = every(intervalMs, () => this.deliverDue(), this.log, 'mail delivery round failed', immediate);
  }

  async close(): Promise<void> {
    await this.periodic?.stop();
    this.transport?.close();
  }
}
