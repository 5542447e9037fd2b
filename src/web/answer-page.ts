// The page where a record's contact point answers a researcher's message, reached from the link in the
// mail that brought the message: the key in the link stands for the mail, so no account or API key is
// needed, and it opens this one message only. The answer goes through the same path as the API's
// (mailed to a sender who left an address; public if the contact point says so).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { FEEDBACK_STATUSES, getFeedback, updateFeedback, type Feedback, type FeedbackStatus } from '../feedback/feedback.js';
import { html, trimText, type SafeHtml } from './html.js';
import { formatDate, localePath, MESSAGES, type PageLang } from './i18n.js';
import { layout, sendPage } from './layout.js';
import { recordHref } from './search-page.js';
import { text } from './values.js';
import type { JsonNode } from '../dcat/json.js';

const ANSWER_MAX = 5_000;

function answerForm(lang: PageLang, f: Feedback, key: string, record: { id: string; kind: string; title: string } | undefined, notice?: SafeHtml): SafeHtml {
  const t = MESSAGES[lang].answer;
  const kind = MESSAGES[lang].feedback.kind[f.kind] ?? f.kind;
  return html`<h1>${t.title}</h1>
${notice ? html`<p class="notice open" role="status">${notice}</p>` : ''}
<dl class="facts">
<dt>${t.about}</dt><dd>${record ? html`<a href="${recordHref(lang, record)}">${trimText(record.title, 300)}</a>` : f.recordIri}</dd>
<dt>${kind}</dt><dd><p class="description">${trimText(f.message, ANSWER_MAX)}</p></dd>
<dt>${t.from}</dt><dd>${f.name ? trimText(f.name, 200) : t.anonymous}</dd>
<dt>${t.received}</dt><dd>${formatDate(f.createdAt, lang) ?? ''}</dd>
</dl>
<form method="post" action="${localePath(lang, `/feedback/${encodeURIComponent(f.id)}/answer`)}">
<input type="hidden" name="key" value="${key}">
<label for="answer-text">${t.answer}</label>
<textarea id="answer-text" name="answer" rows="8" maxlength="${String(ANSWER_MAX)}">${f.answer ?? ''}</textarea>
<label for="answer-status">${t.status}</label>
<select id="answer-status" name="status">${FEEDBACK_STATUSES.map((s) => html`<option value="${s}"${s === f.status ? html` selected` : ''}>${t.statuses[s] ?? s}</option>`)}</select>
<label for="answer-public"><input type="checkbox" id="answer-public" name="public" value="true"${f.public ? html` checked` : ''}> ${t.public}</label>
<button type="submit">${t.save}</button>
</form>`;
}

export function answerRoutes(app: FastifyInstance, services: Services, lang: PageLang, pagePath: (req: FastifyRequest) => string): void {
  const t = MESSAGES[lang].answer;
  const path = localePath(lang, '/feedback/:id/answer');
  // The page's address holds the key: not cached (and pages send referrers to this site only).
  const page = (reply: FastifyReply, req: FastifyRequest, body: SafeHtml, status = 200) =>
    sendPage(reply.header('cache-control', 'no-store'), layout({ lang, title: t.title, path: pagePath(req).replace(/\?.*$/, ''), body }), status);
  const opened = async (id: string, key: string | undefined) => ((await services.feedback.tokens.answerAllowed(id, key)) ? getFeedback(services.db, id) : undefined);
  const recordOf = async (f: Feedback) => {
    const r = await services.db.query<{ id: string; kind: string; json: JsonNode }>('SELECT id, kind, json FROM records WHERE id = $1', [f.recordId]);
    const row = r.rows[0];
    return row ? { id: row.id, kind: row.kind, title: text(row.json.title, lang) ?? f.recordIri } : undefined;
  };
  const schema = { hide: true, params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } };

  app.get<{ Params: { id: string }; Querystring: { key?: string } }>(path, { schema: { ...schema, querystring: { type: 'object', properties: { key: { type: 'string', maxLength: 200 } } } } }, async (req, reply) => {
    const f = await opened(req.params.id, req.query.key);
    if (!f) return page(reply, req, html`<h1>${t.title}</h1><p class="notice closed">${t.invalid}</p>`, 403);
    return page(reply, req, answerForm(lang, f, req.query.key!, await recordOf(f)));
  });

  app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>(
    path,
    { bodyLimit: 64 * 1024, schema: { ...schema, body: { type: 'object', additionalProperties: { type: 'string' } } } },
    async (req, reply) => {
      const body = req.body ?? {};
      const f = await opened(req.params.id, body.key);
      if (!f) return page(reply, req, html`<h1>${t.title}</h1><p class="notice closed">${t.invalid}</p>`, 403);
      const chosen = FEEDBACK_STATUSES.includes(body.status as FeedbackStatus) ? (body.status as FeedbackStatus) : undefined;
      const answer = (body.answer ?? '').slice(0, ANSWER_MAX);
      // The form always sends the status it shows: left as it was while the answer is emptied, it
      // is not a choice, and the withdrawal reopens an answered message.
      const status = !answer.trim() && f.answer && chosen === f.status ? undefined : chosen;
      const updated = await updateFeedback(services.db, f.id, { answer: answer.trim() || f.answer ? answer : undefined, status, public: body.public === 'true' }, services.feedback.settings);
      const mailed = !!(updated?.answer && updated.answer !== f.answer && f.email);
      return page(reply, req, answerForm(lang, updated ?? f, body.key!, await recordOf(f), html`${t.saved}${mailed ? html` ${t.mailed}` : ''}`));
    },
  );
}
