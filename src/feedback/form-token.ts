// Spam resistance without third-party services: the feedback form carries a token signed by the
// service with the time the page was made. A post without a valid token, sooner than a person can
// write (3 s) or from a page older than a day is refused; so is one that fills the hidden field
// people never see (a honeypot). The signing key is made once and shared by every process through
// the database.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.js';

export const MIN_AGE_MS = 3_000;
export const MAX_AGE_MS = 24 * 3600_000;
/** How long the answer link in a mail to a contact point works. */
export const ANSWER_LINK_MS = 183 * 24 * 3600_000;

export class FormTokens {
  private key?: Promise<Buffer>;
  constructor(private readonly db: Queryable) {}

  private secret(): Promise<Buffer> {
    this.key ??= (async () => {
      await this.db.query("INSERT INTO app_secrets (name, value) VALUES ('feedback-form', $1) ON CONFLICT (name) DO NOTHING", [randomBytes(32).toString('base64')]);
      const r = await this.db.query<{ value: string }>("SELECT value FROM app_secrets WHERE name = 'feedback-form'");
      return Buffer.from(r.rows[0].value, 'base64');
    })();
    this.key.catch(() => {
      this.key = undefined;
    });
    return this.key;
  }

  private async sign(recordId: string, at: number): Promise<string> {
    return createHmac('sha256', await this.secret()).update(`${recordId}\n${at}`).digest('base64url');
  }

  async issue(recordId: string, now = Date.now()): Promise<string> {
    return `${now.toString(36)}.${await this.sign(recordId, now)}`;
  }

  /** The key of the answer link in the mail to a record's contact point: whoever holds the mail may
   * answer that one message (and only it), for half a year, without an account or an API key. */
  async answerToken(feedbackId: string, now = Date.now()): Promise<string> {
    return this.issue(`answer\n${feedbackId}`, now);
  }

  /** Whether an answer link's key is valid for `feedbackId`. */
  async answerAllowed(feedbackId: string, token: string | undefined, now = Date.now()): Promise<boolean> {
    const [t, sig] = (token ?? '').split('.');
    const at = parseInt(t ?? '', 36);
    if (!t || !sig || !Number.isFinite(at) || now - at > ANSWER_LINK_MS || at - now > 60_000) return false;
    const expected = Buffer.from(await this.sign(`answer\n${feedbackId}`, at));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** Why a token does not allow a post for `recordId`, or undefined when it does. */
  async refusal(recordId: string, token: string | undefined, now = Date.now()): Promise<string | undefined> {
    const [t, sig] = (token ?? '').split('.');
    const at = parseInt(t ?? '', 36);
    if (!t || !sig || !Number.isFinite(at)) return 'the form is incomplete; reload the page and try again';
    const expected = Buffer.from(await this.sign(recordId, at));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'the form is not valid for this record; reload the page and try again';
    if (now - at < MIN_AGE_MS) return 'the form was sent too quickly; wait a moment and send it again';
    if (now - at > MAX_AGE_MS) return 'the form is older than a day; reload the page and try again';
    return undefined;
  }
}
