// Feedback from researchers on a dataset or service: an error in the data, or a question. No account
// is needed (an email address is optional, to get the answer). Each accepted message is stored and, in
// the same transaction, a mail to the record's contact point (or the catalogue's) is put in the mail
// outbox; the same message sent twice by the same sender within an hour is accepted once. Publishers
// answer and set a status; an answer they make public is shown on the record's page.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../store/db.js';
import { Where } from '../store/where.js';
import type { JsonNode } from '../dcat/json.js';
import { iris, isNode, list } from '../dcat/values.js';

export type FeedbackKind = 'error' | 'question';
export type FeedbackStatus = 'open' | 'answered' | 'fixed';
export const FEEDBACK_KINDS: FeedbackKind[] = ['error', 'question'];
export const FEEDBACK_STATUSES: FeedbackStatus[] = ['open', 'answered', 'fixed'];

export const MESSAGE_MIN = 10;
export const MESSAGE_MAX = 5_000;
/** More links than this in one message is what spam looks like, not a report. */
const MAX_LINKS = 5;
const EMAIL_CORE = String.raw`[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+`;
const EMAIL = new RegExp(`^${EMAIL_CORE}$`);
/** An address as a form or the API may send it: blank (none), or one address with spaces around it. */
export const OPTIONAL_EMAIL_PATTERN = String.raw`^\s*(?:${EMAIL_CORE})?\s*$`;
const FEEDBACK_KINDS_OF_RECORD = ['Dataset', 'DatasetSeries', 'DataService'];

export interface Feedback {
  id: string;
  recordId: string;
  recordIri: string;
  catalogId: string;
  kind: FeedbackKind;
  message: string;
  name: string | null;
  email: string | null;
  lang: string | null;
  status: FeedbackStatus;
  answer: string | null;
  public: boolean;
  createdAt: Date;
  updatedAt: Date;
  answeredAt: Date | null;
}

export interface NewFeedback {
  recordId: string;
  kind: FeedbackKind;
  message: string;
  name?: string;
  email?: string;
  lang?: string;
  /** The sender's network address; only its hash is kept. */
  client?: string;
}

/** Feedback that cannot be accepted, with the field at fault. */
export class FeedbackRejected extends Error {
  constructor(
    readonly status: 400 | 404 | 429,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'FeedbackRejected';
  }
}

export interface MailSettings {
  /** Where feedback goes when a record names no contact point with an email address. */
  fallbackTo?: string;
  /** Base URL of the site, for links in the mails. */
  baseUrl: string;
  siteName: string;
  /** The page where the contact point answers a message, from the link in the mail (no API key). */
  answerUrl?: (feedbackId: string) => Promise<string>;
}

const COLUMNS = `id, record_id AS "recordId", record_iri AS "recordIri", catalog_id AS "catalogId", kind, message, name, email, lang, status, answer, public,
  created_at AS "createdAt", updated_at AS "updatedAt", answered_at AS "answeredAt"`;

/** The email addresses of a record's contact points (vcard:hasEmail, mailto: IRIs or plain). */
export function contactEmails(record: JsonNode): string[] {
  return list(record.contactPoint)
    .filter(isNode)
    .flatMap((c) => [...iris(c.hasEmail), ...list(c.hasEmail).filter((v): v is string => typeof v === 'string')])
    .map((e) => e.replace(/^mailto:/i, '').trim())
    .filter((e, i, all) => EMAIL.test(e) && all.indexOf(e) === i);
}

function clean(text: string | undefined, max: number): string | undefined {
  // Control characters other than line breaks and tabs have no place in a message.
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const t = text?.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
  return t ? t.slice(0, max) : undefined;
}

/** Checks a submission; throws FeedbackRejected naming the field. */
export function checkFeedback(input: NewFeedback): Required<Pick<NewFeedback, 'kind' | 'message'>> & Pick<NewFeedback, 'name' | 'email' | 'lang'> {
  if (!FEEDBACK_KINDS.includes(input.kind)) throw new FeedbackRejected(400, 'kind', `kind must be ${FEEDBACK_KINDS.join(' or ')}`);
  const raw = input.message?.trim() ?? '';
  if (raw.length > MESSAGE_MAX) throw new FeedbackRejected(400, 'message', `The message is longer than ${MESSAGE_MAX} characters.`);
  const message = clean(raw, MESSAGE_MAX) ?? '';
  if (message.length < MESSAGE_MIN) throw new FeedbackRejected(400, 'message', `Write at least ${MESSAGE_MIN} characters.`);
  if ((message.match(/https?:\/\//gi) ?? []).length > MAX_LINKS) throw new FeedbackRejected(400, 'message', `A message may hold at most ${MAX_LINKS} links.`);
  const email = clean(input.email, 254);
  if (email && !EMAIL.test(email)) throw new FeedbackRejected(400, 'email', `"${email.slice(0, 80)}" is not an email address.`);
  const lang = input.lang && /^[a-z]{2}$/.test(input.lang) ? input.lang : undefined;
  return { kind: input.kind, message, name: clean(input.name, 200), email, lang };
}

const hashClient = (client: string | undefined) => (client ? createHash('sha256').update(`vindbaar-feedback:${client}`).digest('hex').slice(0, 32) : null);

/** How many messages one address may have accepted in ten minutes. */
export const FEEDBACK_WINDOW_MINUTES = 10;

/** Stores a submission and queues the mail to the record's contact point. Returns the stored feedback.
 * `perAddress` bounds the messages accepted from one address in ten minutes: only accepted ones
 * count, so a researcher whose first tries were refused (too short, a typo in the address) is not
 * locked out by them. */
export async function submitFeedback(db: Db, input: NewFeedback, mail: MailSettings, perAddress = Infinity): Promise<Feedback> {
  const checked = checkFeedback(input);
  const rec = await db.query<{ id: string; iri: string; kind: string; catalog_id: string; json: JsonNode }>(
    'SELECT id, iri, kind, catalog_id, json FROM records WHERE id = $1 AND deleted_at IS NULL',
    [input.recordId],
  );
  const record = rec.rows[0];
  if (!record || !FEEDBACK_KINDS_OF_RECORD.includes(record.kind)) throw new FeedbackRejected(404, undefined, `No dataset or data service with id "${input.recordId}".`);
  const client = hashClient(input.client);
  // The id, and the answer link made from it, before the transaction: the link's key comes from the
  // store too, and the embedded store runs one statement at a time.
  const id = randomBytes(9).toString('base64url');
  const answerLink = mail.answerUrl ? await mail.answerUrl(id) : `${mail.baseUrl}/api/v1/feedback/${id}`;
  return db.transaction(async (tx) => {
    // The same message from the same sender within the hour (a double click, a resent form) is one.
    const same = await tx.query<Feedback>(
      `SELECT ${COLUMNS} FROM feedback WHERE record_id = $1 AND message = $2 AND client IS NOT DISTINCT FROM $3 AND created_at > now() - interval '1 hour' LIMIT 1`,
      [record.id, checked.message, client],
    );
    if (same.rows[0]) return same.rows[0];
    if (client && Number.isFinite(perAddress)) {
      const recent = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM feedback WHERE client = $1 AND created_at > now() - interval '${FEEDBACK_WINDOW_MINUTES} minutes'`,
        [client],
      );
      if (recent.rows[0].n >= perAddress)
        throw new FeedbackRejected(429, undefined, `This address has sent ${recent.rows[0].n} messages in the last ${FEEDBACK_WINDOW_MINUTES} minutes, the most it may; send yours again later.`);
    }
    const row = await tx.query<Feedback>(
      `INSERT INTO feedback (id, record_id, record_iri, catalog_id, kind, message, name, email, lang, client)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [id, record.id, record.iri, record.catalog_id, checked.kind, checked.message, checked.name ?? null, checked.email ?? null, checked.lang ?? null, client],
    );
    const to = contactEmails(record.json)[0] ?? mail.fallbackTo;
    if (to) {
      const title = titleOf(record.json) ?? record.iri;
      const page = `${mail.baseUrl}/${record.kind === 'DataService' ? 'dataservices' : 'datasets'}/${encodeURIComponent(record.id)}`;
      await queueMail(tx, {
        feedbackId: id,
        to,
        replyTo: checked.email,
        subject: `[${mail.siteName}] ${checked.kind === 'error' ? 'Fout gemeld / error reported' : 'Vraag / question'}: ${title}`.slice(0, 250),
        body: [
          `${checked.kind === 'error' ? 'Een gebruiker meldt een fout in' : 'Een gebruiker heeft een vraag over'} / ${checked.kind === 'error' ? 'A user reports an error in' : 'A user has a question about'}:`,
          `${title}`,
          page,
          '',
          checked.message,
          '',
          `${checked.name ? `${checked.name} ` : ''}${checked.email ? `<${checked.email}>` : '(geen e-mailadres / no email address)'}`,
          '',
          `Beantwoorden / answer: ${answerLink}`,
        ].join('\n'),
      });
    }
    return row.rows[0];
  });
}

function titleOf(record: JsonNode): string | undefined {
  const t = record.title;
  if (typeof t === 'string') return t;
  if (isNode(t)) {
    const v = (t.nl ?? t.en ?? Object.values(t)[0]) as unknown;
    return Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

export async function queueMail(tx: Queryable, m: { feedbackId: string; to: string; replyTo?: string; subject: string; body: string }): Promise<void> {
  await tx.query('INSERT INTO mail_outbox (feedback_id, to_address, reply_to, subject, body) VALUES ($1, $2, $3, $4, $5)', [m.feedbackId, m.to, m.replyTo ?? null, m.subject, m.body]);
}

export async function getFeedback(db: Queryable, id: string): Promise<Feedback | undefined> {
  return (await db.query<Feedback>(`SELECT ${COLUMNS} FROM feedback WHERE id = $1`, [id])).rows[0];
}

export interface FeedbackFilter {
  status?: FeedbackStatus;
  recordId?: string;
  /** Only feedback on records of these catalogues (a publisher sees its own). */
  catalogIds?: string[];
  publicOnly?: boolean;
  limit: number;
  offset: number;
}

export async function listFeedback(db: Queryable, f: FeedbackFilter): Promise<{ total: number; items: Feedback[] }> {
  const w = new Where();
  if (f.status) w.add('status = ?', f.status);
  if (f.recordId) w.add('record_id = ?', f.recordId);
  if (f.catalogIds) w.add('catalog_id = ANY(?::text[])', f.catalogIds);
  if (f.publicOnly) w.raw('public');
  const { clause, params } = w;
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM feedback ${clause}`, params)).rows[0].n;
  const items = await db.query<Feedback>(`SELECT ${COLUMNS} FROM feedback ${clause} ORDER BY created_at DESC, id LIMIT ${f.limit} OFFSET ${f.offset}`, params);
  return { total, items: items.rows };
}

export interface FeedbackUpdate {
  status?: FeedbackStatus;
  answer?: string;
  public?: boolean;
}

/**
 * A publisher's answer or change of status. An answer to a sender who left an address is mailed to them.
 * An empty answer withdraws the one given before (a public page then shows the question unanswered),
 * and a message marked answered only because of it is open again.
 */
export async function updateFeedback(db: Db, id: string, u: FeedbackUpdate, mail: MailSettings): Promise<Feedback | undefined> {
  const answer = u.answer === undefined ? undefined : (clean(u.answer, MESSAGE_MAX) ?? '');
  const withdrawn = answer === '';
  return db.transaction(async (tx) => {
    const before = await tx.query<Feedback>(`SELECT ${COLUMNS} FROM feedback WHERE id = $1 FOR UPDATE`, [id]);
    const old = before.rows[0];
    if (!old) return undefined;
    const status = u.status ?? (answer && old.status === 'open' ? 'answered' : withdrawn && old.status === 'answered' ? 'open' : old.status);
    // The time of the answer changes only with its text.
    const answeredAt = withdrawn ? 'none' : answer && answer !== old.answer ? 'now' : 'keep';
    const r = await tx.query<Feedback>(
      `UPDATE feedback SET status = $2, answer = CASE WHEN $5 = 'none' THEN NULL ELSE COALESCE($3, answer) END, public = COALESCE($4, public), updated_at = now(),
         answered_at = CASE $5 WHEN 'none' THEN NULL WHEN 'now' THEN now() ELSE answered_at END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, status, withdrawn ? null : (answer ?? null), u.public ?? null, answeredAt],
    );
    const now = r.rows[0];
    if (answer && answer !== old.answer && old.email)
      await queueMail(tx, {
        feedbackId: id,
        to: old.email,
        subject: `[${mail.siteName}] Antwoord / answer`,
        body: [
          old.lang === 'en' ? 'An answer to your message:' : 'Een antwoord op je bericht:',
          '',
          answer,
          '',
          '---',
          old.message,
          '',
          `${mail.baseUrl}/api/v1/records/${encodeURIComponent(old.recordId)}`,
        ].join('\n'),
      });
    return now;
  });
}

export interface MailRow {
  id: string;
  to: string;
  subject: string;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export async function mailsOf(db: Queryable, feedbackId: string): Promise<MailRow[]> {
  const r = await db.query<MailRow>(
    `SELECT id::text, to_address AS "to", subject, created_at AS "createdAt", sent_at AS "sentAt", attempts, last_error AS "lastError" FROM mail_outbox WHERE feedback_id = $1 ORDER BY id`,
    [feedbackId],
  );
  return r.rows;
}
