// The feedback part of a record's page: the questions and reports its publisher made public with
// their answers, and a form to report an error or ask a question. The form works without script; it
// carries a signed time token and a field people never see, which together keep most spam out.
import { html, trimText, type SafeHtml } from './html.js';
import { formatDate, MESSAGES, type PageLang } from './i18n.js';

export interface PublicFeedback {
  kind: string;
  message: string;
  answer: string | null;
  status: string;
  createdAt: Date;
}

export interface FeedbackView {
  lang: PageLang;
  /** Where the form posts (the answer opens at the form: a refusal's reason and the kept text are in view). */
  action: string;
  token: string;
  items: PublicFeedback[];
  /** The visitor has just sent a message. */
  sent: boolean;
  /** Whether a message is mailed (the record gives a contact email, or the catalogue has one to fall
   * back on): the form must not promise delivery when it is only kept. */
  mailed: boolean;
  /** Why the visitor's last post was refused, in the page's language; the form keeps what was typed. */
  error?: string;
  /** The field the refusal is about: marked invalid and described by the reason (WCAG 3.3.1). */
  errorField?: 'message' | 'email' | 'kind';
  values?: { kind?: string; message?: string; name?: string; email?: string };
}

/**
 * The form, with the record's contact points (`contacts`, as the page lists them): when a message is only
 * kept, not mailed, a reader who needs an answer soon is shown the web address or phone number the
 * record does give, rather than left to wait on a catalogue nobody may read.
 */
export function feedbackSection(v: FeedbackView, contacts: SafeHtml[] = []): SafeHtml {
  const t = MESSAGES[v.lang].feedback;
  const values = v.values ?? {};
  const question = values.kind === 'question';
  const invalid = (field: FeedbackView['errorField']) => (v.error && v.errorField === field ? html` aria-invalid="true" aria-describedby="fb-error"` : '');
  return html`<section id="feedback" aria-labelledby="feedback-title">
<h2 id="feedback-title">${t.title}</h2>
${v.sent ? html`<p class="notice" role="status">${v.mailed ? t.thanks : t.thanksUnmailed}</p>` : ''}
${
  v.items.length
    ? html`<h3>${t.publicTitle}</h3><ul class="qa">${v.items.map(
        (f) => html`<li><p><span class="badge ${f.kind === 'error' ? 'restricted' : 'kind'}">${t.kind[f.kind] ?? f.kind}</span> <span class="count">${formatDate(f.createdAt.toISOString(), v.lang) ?? ''}</span></p>
<p class="pre">${trimText(f.message, 5000)}</p>${f.answer ? html`<p><strong>${t.answer}:</strong></p><p class="pre">${trimText(f.answer, 5000)}</p>` : html`<p class="count">${t.status[f.status] ?? f.status}</p>`}</li>`,
      )}</ul>`
    : ''
}
<form method="post" action="${v.action}#feedback" class="feedback">
<p>${v.mailed ? t.intro : t.introUnmailed}</p>
${!v.mailed && contacts.length ? html`<p>${t.direct} ${contacts.map((c, i) => html`${i ? '; ' : ''}${c}`)}</p>` : ''}
${v.error ? html`<p class="notice error" role="alert" id="fb-error">${v.error}</p>` : ''}
<fieldset${invalid('kind')}><legend>${t.what}</legend>
<label><input type="radio" name="kind" value="error"${question ? '' : html` checked`}> ${t.kind.error}</label>
<label><input type="radio" name="kind" value="question"${question ? html` checked` : ''}> ${t.kind.question}</label>
</fieldset>
<p><label for="fb-message">${t.message}</label><br><textarea id="fb-message" name="message" rows="6" minlength="10" maxlength="5000" required${invalid('message')}>${values.message ?? ''}</textarea></p>
<p><label for="fb-name">${t.name}</label><br><input id="fb-name" name="name" maxlength="200" autocomplete="name" value="${values.name ?? ''}"></p>
<p><label for="fb-email">${t.email}</label><br><input id="fb-email" name="email" type="email" maxlength="254" autocomplete="email" value="${values.email ?? ''}"${invalid('email')}></p>
<p class="hp" aria-hidden="true"><label for="fb-website">${t.honeypot}</label><input id="fb-website" name="website" tabindex="-1" autocomplete="off"></p>
<input type="hidden" name="token" value="${v.token}">
<input type="hidden" name="lang" value="${v.lang}">
<p><button type="submit">${t.send}</button></p>
<p class="count">${v.mailed ? t.privacy : t.privacyUnmailed}</p>
</form>
</section>`;
}
