// Researchers' feedback: without an account, routed to the contact point through a mail outbox that a
// real SMTP server receives, answered by the publisher, made public, exported as DUV; hostile text
// escaped, huge bodies 413, floods 429, robots' posts dropped, nothing lost that was accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFeedback } from '../src/feedback/feedback.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Parser } from 'n3';
import { SMTPServer } from 'smtp-server';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { feedbackSection } from '../src/web/feedback-form.js';

const ADMIN = 'feedback-admin-key-0123456789abc';
const EX = 'https://data.example.be/id';
const RECORDS = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<${EX}/dataset/werk> a dcat:Dataset ; dct:title "Werkzoekenden"@nl ; dct:description "Aantal werkzoekenden per gemeente."@nl ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Loket Werk"@nl ; vcard:hasEmail <mailto:loket@werk.example.be> ] .
<${EX}/dataset/zonder> a dcat:Dataset ; dct:title "Zonder contact"@nl ; dct:description "Geen contactpunt."@nl .
`;

interface Received {
  to: string[];
  raw: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let services: Services;
let app: FastifyInstance;
let dir: string;
let werk: string;
let zonder: string;

const post = (id: string, payload: unknown, ip = '10.0.0.1', type = 'application/json') =>
  app.inject({ method: 'POST', url: `/api/v1/records/${id}/feedback`, headers: { 'content-type': type }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), remoteAddress: ip });
const admin = (method: 'GET' | 'PATCH', url: string, payload?: unknown, key = ADMIN) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) }, payload: payload ? JSON.stringify(payload) : undefined });

/** A received mail's text, its quoted-printable soft breaks and escapes undone (long lines, such as
 * the answer link, make the whole body quoted-printable). */
const textOf = (m: { raw: string }) => m.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

async function waitFor<T>(f: () => T | undefined, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'vb-feedback-'));
  services = await createServices(
    loadConfig({
      VINDBAAR_DATA_DIR: dir,
      VINDBAAR_ADMIN_KEY: ADMIN,
      VINDBAAR_SAMPLE_DATA: 'false',
      VINDBAAR_BASE_URL: 'http://vindbaar.test',
      VINDBAAR_CATALOG_CONTACT_EMAIL: 'catalogus@vindbaar.test',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      VINDBAAR_MAIL_FROM: 'Vindbaar <noreply@vindbaar.test>',
      VINDBAAR_FEEDBACK_PER_ADDRESS: '5',
    }),
    pino({ level: 'silent' }),
  );
  app = await buildServer(services);
  const r = await app.inject({ method: 'POST', url: '/api/v1/catalogs/werk/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${ADMIN}` }, payload: RECORDS });
  expect(r.statusCode, r.body).toBe(200);
  const id = async (iri: string) => (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri])).rows[0].id;
  werk = await id(`${EX}/dataset/werk`);
  zonder = await id(`${EX}/dataset/zonder`);
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('feedback through the API', () => {
  let id: string;

  it('accepts a report without an account and mails the contact point over SMTP', async () => {
    const res = await post(werk, { kind: 'error', message: 'De cijfers voor Gent in 2023 staan dubbel.', email: 'onderzoeker@univ.example', name: 'An' });
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().id;
    expect(res.json()).toMatchObject({ kind: 'error', status: 'open', answer: null });
    expect(res.json().email).toBeUndefined();
    expect(await services.feedback.mail.deliverDue()).toBe(1);
    const mail = await waitFor(() => received.find((m) => m.to.includes('loket@werk.example.be')));
    expect(mail.raw).toMatch(/Subject: .*Werkzoekenden/);
    expect(textOf(mail)).toContain('De cijfers voor Gent in 2023 staan dubbel.');
    expect(mail.raw).toMatch(/Reply-To: onderzoeker@univ\.example/i);
    // A record without a contact point: the catalogue's address.
    expect((await post(zonder, { kind: 'question', message: 'Wie beheert deze dataset eigenlijk?' })).statusCode).toBe(201);
    await services.feedback.mail.deliverDue();
    await waitFor(() => received.find((m) => m.to.includes('catalogus@vindbaar.test')));
  });

  it('takes the same message from the same sender once', async () => {
    const again = await post(werk, { kind: 'error', message: 'De cijfers voor Gent in 2023 staan dubbel.', email: 'onderzoeker@univ.example', name: 'An' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(id);
    expect((await services.db.query('SELECT 1 FROM mail_outbox WHERE feedback_id = $1', [id])).rows).toHaveLength(1);
  });

  it('lets the publisher answer, mails the answer, and shows question and answer once made public, also as DUV', async () => {
    const list = (await admin('GET', '/api/v1/feedback?status=open')).json();
    expect(list.total).toBe(2);
    expect(list.items.find((f: { id: string }) => f.id === id)).toMatchObject({ email: 'onderzoeker@univ.example', recordId: werk });
    expect((await app.inject({ url: `/api/v1/records/${werk}/feedback` })).json().feedback).toEqual([]);
    const patched = await admin('PATCH', `/api/v1/feedback/${id}`, { answer: 'Dank u, het dubbele jaar is verwijderd.', status: 'fixed', public: true });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'fixed', public: true, answer: 'Dank u, het dubbele jaar is verwijderd.' });
    await services.feedback.mail.deliverDue();
    const answerMail = await waitFor(() => received.find((m) => m.to.includes('onderzoeker@univ.example')));
    expect(answerMail.raw).toContain('het dubbele jaar is verwijderd');
    const one = (await admin('GET', `/api/v1/feedback/${id}`)).json();
    expect(one.mails).toHaveLength(2);
    expect(one.mails.every((m: { sentAt: string | null }) => m.sentAt)).toBe(true);

    const pub = (await app.inject({ url: `/api/v1/records/${werk}/feedback` })).json().feedback;
    expect(pub).toMatchObject([{ id, status: 'fixed', answer: 'Dank u, het dubbele jaar is verwijderd.' }]);
    expect(JSON.stringify(pub)).not.toContain('onderzoeker@');
    const ttl = await app.inject({ url: `/api/v1/records/${werk}/feedback`, headers: { accept: 'text/turtle' } });
    const quads = new Parser({ format: 'text/turtle' }).parse(ttl.body);
    expect(quads.some((q) => q.predicate.value === 'http://www.w3.org/ns/duv#hasFeedback' && q.subject.value === `${EX}/dataset/werk`)).toBe(true);
    expect(quads.some((q) => q.object.value === 'http://www.w3.org/ns/oa#replying')).toBe(true);
    // Each message is named by an address anyone may read: a fragment of this public list.
    const message = quads.find((q) => q.predicate.value === 'http://www.w3.org/ns/duv#hasFeedback')!.object.value;
    expect(message).toBe(`http://vindbaar.test/api/v1/records/${werk}/feedback#${id}`);
    expect((await app.inject({ url: new URL(message).pathname })).statusCode).toBe(200);
    expect(ttl.body).not.toContain('onderzoeker@');
    const page = await app.inject({ url: `/datasets/${werk}` });
    expect(page.body).toContain('het dubbele jaar is verwijderd');
  });

  it('lets the contact point answer from the link in the mail, without a key, on a page; a wrong key opens nothing', async () => {
    const res = await post(werk, { kind: 'question', message: 'Vanaf welk jaar zijn er cijfers per gemeente?', email: 'vrager@univ.example', name: 'Bo' });
    const asked = res.json().id as string;
    await services.feedback.mail.deliverDue();
    const mail = await waitFor(() => received.find((m) => textOf(m).includes('Vanaf welk jaar zijn er cijfers per gemeente?')));
    const link = /Beantwoorden \/ answer: (\S+)/.exec(textOf(mail))![1];
    expect(link).toMatch(new RegExp(`/feedback/${asked}/answer\\?key=`));
    const path = link.replace(/^https?:\/\/[^/]+/, '');
    const page = await app.inject({ url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Vanaf welk jaar zijn er cijfers per gemeente?');
    expect(page.body).not.toContain('vrager@univ.example');
    const key = new URL(link).searchParams.get('key')!;
    const form = (k: string, fields: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/feedback/${asked}/answer`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ key: k, ...fields }).toString() });
    const saved = await form(key, { answer: 'Vanaf 2010, per gemeente.', status: 'answered', public: 'true' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Opgeslagen. Het antwoord wordt naar de afzender gemaild.');
    expect(await getFeedback(services.db, asked)).toMatchObject({ answer: 'Vanaf 2010, per gemeente.', status: 'answered', public: true });
    await services.feedback.mail.deliverDue();
    await waitFor(() => received.find((m) => m.to.includes('vrager@univ.example')));
    // The key opens this message only, and a made-up one nothing.
    expect((await app.inject({ url: `/feedback/${id}/answer?key=${encodeURIComponent(key)}` })).statusCode).toBe(403);
    expect((await form(`${key.split('.')[0]}.forged`, { answer: 'x' })).statusCode).toBe(403);
    expect((await app.inject({ url: `/en/feedback/${asked}/answer?key=${encodeURIComponent(key)}` })).body).toContain('Answer a message');

    // Emptying the answer withdraws it: no blank answer on the public page, the message is open again.
    const emptied = await form(key, { answer: '  ', status: 'answered', public: 'true' });
    expect(emptied.statusCode).toBe(200);
    expect(await getFeedback(services.db, asked)).toMatchObject({ answer: null, answeredAt: null, status: 'open', public: true });
    const listed = (await app.inject({ url: `/api/v1/records/${werk}/feedback` })).json().feedback;
    expect(listed.find((f: { id: string }) => f.id === asked)).toMatchObject({ answer: null, status: 'open' });
  });

  it('keeps an answer that is only whitespace from replacing a real one through the API, and withdraws on an empty one', async () => {
    const res = await post(werk, { kind: 'question', message: 'Is er ook een uitsplitsing naar leeftijd?', name: 'Cas' });
    const asked = res.json().id as string;
    const answered = await admin('PATCH', `/api/v1/feedback/${asked}`, { answer: 'Ja, in de tabel per leeftijdsgroep.' });
    expect(answered.json()).toMatchObject({ status: 'answered', answer: 'Ja, in de tabel per leeftijdsgroep.' });
    expect(answered.json().answeredAt).not.toBeNull();
    const blank = await admin('PATCH', `/api/v1/feedback/${asked}`, { answer: ' \n ' });
    expect(blank.statusCode).toBe(200);
    expect(blank.json()).toMatchObject({ status: 'open', answer: null, answeredAt: null });
    // A status chosen with it stands.
    await admin('PATCH', `/api/v1/feedback/${asked}`, { answer: 'Ja.' });
    expect((await admin('PATCH', `/api/v1/feedback/${asked}`, { answer: '', status: 'fixed' })).json()).toMatchObject({ status: 'fixed', answer: null });
  });

  it('lets a publisher see and answer only feedback on its own organisation\'s records', async () => {
    const key = (await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${ADMIN}` }, payload: { role: 'publisher', organisation: 'Elders', label: 'x' } })).json().key;
    expect((await admin('GET', '/api/v1/feedback', undefined, key)).json().total).toBe(0);
    expect((await admin('GET', `/api/v1/feedback/${id}`, undefined, key)).statusCode).toBe(404);
    expect((await admin('PATCH', `/api/v1/feedback/${id}`, { status: 'open' }, key)).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/feedback' })).statusCode).toBe(401);
  });
});

describe('feedback that is not accepted', () => {
  it('refuses empty, too short, link-stuffed, badly addressed and unknown-record feedback with a problem naming the field', async () => {
    const cases: [unknown, number, string | undefined][] = [
      [{ kind: 'error', message: 'kort' }, 400, 'message'],
      [{ kind: 'error', message: `Koop nu ${Array.from({ length: 8 }, (_, i) => `https://spam${i}.example`).join(' ')}` }, 400, 'message'],
      [{ kind: 'error', message: 'Een lang genoeg bericht hier.', email: 'geen adres' }, 400, 'email'],
      [{ kind: 'compliment', message: 'Een lang genoeg bericht hier.' }, 400, undefined],
    ];
    for (const [body, status, field] of cases) {
      const r = await post(werk, body, '10.0.0.2');
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      if (field) expect(r.json().field).toBe(field);
    }
    expect((await post('no-such-record', { kind: 'error', message: 'Een lang genoeg bericht hier.' }, '10.0.0.3')).statusCode).toBe(404);
    // Reading the feedback of a record that does not exist is a 404 too, not an empty list.
    const read = await app.inject({ url: '/api/v1/records/no-such-record/feedback' });
    expect(read.statusCode).toBe(404);
    expect(read.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers a huge body with 413 and keeps nothing of it', async () => {
    const before = (await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM feedback')).rows[0].n;
    const r = await post(werk, { kind: 'error', message: 'x'.repeat(200_000) }, '10.0.0.4');
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect((await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM feedback')).rows[0].n).toBe(before);
  });

  it('stops a flood from one address with 429 while others go on, and loses none it accepted', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await post(werk, { kind: 'question', message: `Vraag nummer ${i} over de gemeenten.` }, '10.9.9.9')).statusCode);
    expect(codes.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    const flooded = await post(werk, { kind: 'question', message: 'Nog een vraag na de limiet.' }, '10.9.9.9');
    expect(flooded.headers['content-type']).toMatch(/problem\+json/);
    expect((await post(werk, { kind: 'question', message: 'Een andere onderzoeker vraagt iets.' }, '10.8.8.8')).statusCode).toBe(201);
    const stored = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM feedback WHERE message LIKE 'Vraag nummer %'");
    expect(stored.rows[0].n).toBe(5);
  });

  it('counts only accepted messages against the limit: a researcher\'s refused tries do not lock them out', async () => {
    for (const message of ['kort', 'te kort', 'nog kort']) expect((await post(werk, { kind: 'error', message }, '10.7.7.7')).statusCode).toBe(400);
    for (let i = 0; i < 5; i++) expect((await post(werk, { kind: 'error', message: `Fout nummer ${i} in de kolommen.` }, '10.7.7.7')).statusCode).toBe(201);
    const sixth = await post(werk, { kind: 'error', message: 'Nog een fout na de limiet.' }, '10.7.7.7');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['content-type']).toMatch(/problem\+json/);
    expect(sixth.json().detail).toMatch(/5 messages in the last 10 minutes/);
  });

  it('keeps script in a message as text: escaped on the page, plain in the mail', async () => {
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> klopt niet';
    const r = await post(werk, { kind: 'error', message: hostile }, '10.0.0.5');
    expect(r.statusCode).toBe(201);
    await admin('PATCH', `/api/v1/feedback/${r.json().id}`, { public: true });
    const page = (await app.inject({ url: `/datasets/${werk}` })).body;
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});

describe('the feedback form on the page', () => {
  const form = (id: string, fields: Record<string, string>, ip: string) =>
    app.inject({ method: 'POST', url: `/datasets/${id}/feedback`, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams(fields).toString(), remoteAddress: ip });

  it('carries a signed token; a post sooner than a person writes, or with a forged token, is refused with a page that says why', async () => {
    const page = (await app.inject({ url: `/datasets/${werk}` })).body;
    const token = page.match(/name="token" value="([^"]+)"/)![1];
    const quick = await form(werk, { kind: 'error', message: 'Te snel verstuurd bericht.', token }, '10.1.0.1');
    expect(quick.statusCode).toBe(400);
    expect(quick.headers['content-type']).toMatch(/text\/html/);
    // The page again, the reason in its language, the text as it was typed.
    expect(quick.body).toContain('Het formulier werd te snel verstuurd');
    expect(quick.body).toContain('>Te snel verstuurd bericht.</textarea>');
    const short = await form(werk, { kind: 'question', message: 'Kort', email: 'geen-adres', token: await services.feedback.tokens.issue(werk, Date.now() - 10_000) }, '10.1.0.9');
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Je bericht is te kort');
    expect(short.body).toMatch(/value="question" checked/);
    // The field it is about is marked, and tied to the reason, for screen readers; the others are not.
    expect(short.body).toContain('<p class="notice error" role="alert" id="fb-error">');
    expect(short.body).toMatch(/<textarea id="fb-message"[^>]* aria-invalid="true" aria-describedby="fb-error">/);
    expect(short.body).not.toMatch(/<input id="fb-email"[^>]*aria-invalid/);
    expect(quick.body).not.toContain('aria-invalid');
    const forged = await form(werk, { kind: 'error', message: 'Vervalst formulier bericht.', token: `${Date.now().toString(36)}.abc` }, '10.1.0.1');
    expect(forged.statusCode).toBe(400);
    // Past the limit of accepted messages: the page again, saying to wait, with the text kept.
    const aged = await services.feedback.tokens.issue(werk, Date.now() - 10_000);
    for (let i = 0; i < 5; i++) expect((await form(werk, { kind: 'error', message: `Formulierfout nummer ${i} gevonden.`, token: aged }, '10.1.0.7')).statusCode).toBe(303);
    const limited = await form(werk, { kind: 'error', message: 'Nog een fout gevonden.', token: aged }, '10.1.0.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Verstuur dit over een tiental minuten opnieuw');
    expect(limited.body).toContain('>Nog een fout gevonden.</textarea>');
  });

  it('accepts a post made at a person\'s pace and says thank you; a robot filling the hidden field is told the same and kept out', async () => {
    const token = await services.feedback.tokens.issue(werk, Date.now() - 10_000);
    const ok = await form(werk, { kind: 'question', message: 'Vanaf welk jaar zijn er cijfers?', name: 'Bo', token }, '10.1.0.2');
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/datasets/${werk}?feedback=sent#feedback`);
    expect((await app.inject({ url: ok.headers.location as string })).body).toContain('Bedankt, je bericht is verstuurd');
    const robot = await form(werk, { kind: 'question', message: 'Cheap pills at the best price!', website: 'http://spam.example', token }, '10.1.0.3');
    expect(robot.statusCode).toBe(303);
    const kept = await services.db.query<{ message: string }>("SELECT message FROM feedback WHERE message IN ('Vanaf welk jaar zijn er cijfers?', 'Cheap pills at the best price!')");
    expect(kept.rows.map((r) => r.message)).toEqual(['Vanaf welk jaar zijn er cijfers?']);
  });
});

describe('the form where nothing can be mailed', () => {
  it('does not promise delivery to a contact point: it says the message is kept, not mailed', () => {
    const view = { action: '/datasets/x/feedback', token: 't', items: [], sent: true, mailed: false };
    const nl = String(feedbackSection({ ...view, lang: 'nl' }));
    expect(nl).toContain('niet gemaild');
    expect(nl).not.toContain('verstuurd naar het contactpunt');
    expect(String(feedbackSection({ ...view, lang: 'en' }))).toContain('not mailed');
    expect(String(feedbackSection({ ...view, lang: 'nl', mailed: true }))).toContain('verstuurd naar het contactpunt');
  });
});
