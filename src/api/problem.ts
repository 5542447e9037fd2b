// RFC 9457 problem details: every error leaves as application/problem+json saying what and where.
import type { FastifyReply } from 'fastify';

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

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
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
