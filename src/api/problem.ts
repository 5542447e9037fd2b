// RFC 9457 problem details: every error leaves as application/problem+json saying what and where, or as
// a short web page with the same status when the client is a browser (it asks for HTML first).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { choose, type Offer } from './negotiate.js';
import { escapeHtml } from '../web/html.js';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'HttpProblem';
  }
}

export function problem(status: number, title: string, detail?: string, extra: Record<string, unknown> = {}): HttpProblem {
  return new HttpProblem({ type: 'about:blank', title, status, detail, ...extra });
}

const ERROR_OFFERS: Offer[] = [
  { type: 'application/problem+json', format: 'json' },
  { type: 'application/json', format: 'json' },
  { type: 'text/html', format: 'html' },
];

/** Renders the error page browsers get; the web pages set one in the site's frame (see web/routes.ts). */
export type ProblemPage = (p: Problem, req: FastifyRequest) => { html: string; csp: string };
let problemPage: ProblemPage | undefined;

export function setProblemPage(page: ProblemPage | undefined): void {
  problemPage = page;
}

export function sendProblem(reply: FastifyReply, given: Problem): FastifyReply {
  // Every problem names its type (RFC 9457, 3.1.1: about:blank when the status says it all), whichever
  // path made it: clients that dispatch on type need not guess what a missing one means.
  const p: Problem = { type: given.type ?? 'about:blank', ...given };
  // A 401 names the scheme that would do (RFC 9110, 11.6.1): an API key or token as a bearer credential.
  if (p.status === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', 'Bearer realm="vindbaar"');
  // A page or a problem document, by Accept: caches keep a 404 or a 410 (RFC 9111, 4.2.2) and must not
  // give a browser's page to a program, or the other way round.
  const vary = String(reply.getHeader('vary') ?? '');
  if (!vary.split(',').some((h) => h.trim().toLowerCase() === 'accept')) reply.header('vary', vary ? `${vary}, Accept` : 'Accept');
  if (choose(reply.request?.headers.accept, ERROR_OFFERS)?.format === 'html') {
    if (problemPage && reply.request) {
      const page = problemPage(p, reply.request);
      return reply.code(p.status).type('text/html; charset=utf-8').header('content-security-policy', page.csp).send(page.html);
    }
    return reply
      .code(p.status)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(
        `<!doctype html>\n<html lang="nl"><head><meta charset="utf-8"><title>${p.status} ${escapeHtml(p.title)} · Vindbaar</title>` +
          `<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style></head>` +
          `<body><main><h1>${p.status} ${escapeHtml(p.title)}</h1>${p.detail ? `<p>${escapeHtml(p.detail)}</p>` : ''}<p><a href="/">Vindbaar</a></p></main></body></html>\n`,
      );
  }
  return reply.code(p.status).type('application/problem+json').send(p);
}

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
  },
  required: ['title', 'status'],
  additionalProperties: true,
} as const;

/** A withdrawn record stays known until it is purged: what is asked of it is gone, not something that
 * never was. The same 410 for the record and for everything asked about it (its quality, links,
 * validation), with when and where its history is. */
export function withdrawnProblem(record: { id: string; kind: string; iri: string; deleted_at: Date }, baseUrl: string): HttpProblem {
  return problem(410, 'Gone', `The ${record.kind} "${record.iri}" was withdrawn on ${record.deleted_at.toISOString()}.`, {
    iri: record.iri,
    withdrawn: record.deleted_at.toISOString(),
    versions: `${baseUrl}/api/v1/records/${record.id}/versions`,
  });
}
