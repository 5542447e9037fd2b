// Thematic views, defined by the operator for thematic portals:
//   GET    /api/v1/views        every view
//   GET    /api/v1/views/{id}   one view, with where it is served
//   PUT    /api/v1/views/{id}   create or replace it (administrator key)
//   DELETE /api/v1/views/{id}   remove it (administrator key)
// Reading is open like the rest of the catalogue: portals discover views here and harvest their DCAT.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { deleteView, listViews, putView, type LangText, type ThematicView, type ViewFilters } from '../store/thematic-views.js';
import { requireKey } from './auth.js';
import { VIEW_ID_PATTERN } from './patterns.js';
import { problem } from './problem.js';
import { checkViewFilters, VIEW_FILTERS, viewOrNotFound } from './view-scope.js';

const langText = (max: number, description: string) => ({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { nl: { type: 'string', minLength: 1, maxLength: max, pattern: '\\S' }, en: { type: 'string', minLength: 1, maxLength: max, pattern: '\\S' } },
  description,
});
const filterValues = { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 2000 } };
const viewBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'filters'],
  properties: {
    title: langText(200, 'Title per page language (nl, en): at least one'),
    description: langText(5000, 'Description per page language (nl, en)'),
    filters: {
      type: 'object',
      // Names are checked by the handler, which names the unknown ones and lists those it knows.
      additionalProperties: filterValues,
      minProperties: 1,
      description: `Filters in the search API's vocabulary (${VIEW_FILTERS.join(', ')}); values as the search API takes them: IRIs, or codes such as theme=ECON, format=CSV, accessRights=public`,
    },
  },
} as const;
const viewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'object', additionalProperties: { type: 'string' } },
    description: { type: 'object', additionalProperties: { type: 'string' } },
    filters: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    page: { type: 'string', description: 'The web page (Dutch; English under /en)' },
    catalog: { type: 'string', description: 'The view as a DCAT catalogue, Hydra-paged' },
    search: { type: 'string', description: 'The search API within the view' },
    embed: { type: 'string', description: 'The list to show in an iframe' },
  },
} as const;
const params = { type: 'object', properties: { id: { type: 'string', pattern: VIEW_ID_PATTERN } }, required: ['id'] } as const;

export const viewPagePath = (id: string) => `/views/${id}`;
export const viewCatalogPath = (id: string) => `/catalog/views/${id}`;

export function viewJson(base: string, v: ThematicView) {
  return {
    id: v.id,
    title: v.title,
    description: v.description,
    filters: v.filters,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    page: `${base}${viewPagePath(v.id)}`,
    catalog: `${base}${viewCatalogPath(v.id)}`,
    search: `${base}/api/v1/search?view=${v.id}`,
    embed: `${base}/embed/search?view=${v.id}`,
  };
}

/** Text per language without blanks around it. */
const trimmed = (t: LangText | undefined): LangText => Object.fromEntries(Object.entries(t ?? {}).map(([k, v]) => [k, v.trim()]));

export async function thematicViewRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  const admin = requireKey(services, ['admin']);

  app.get(
    '/api/v1/views',
    {
      schema: {
        summary: 'Thematic views: named slices of the catalogue for thematic portals',
        tags: ['views'],
        response: { 200: { type: 'object', properties: { totalItems: { type: 'integer' }, member: { type: 'array', items: viewSchema } } } },
      },
    },
    async () => {
      const views = await listViews(services.db);
      return { totalItems: views.length, member: views.map((v) => viewJson(base, v)) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/views/:id',
    { schema: { summary: 'One thematic view and where it is served', tags: ['views'], params, response: { 200: viewSchema, 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } } } },
    async (req) => viewJson(base, await viewOrNotFound(services, req.params.id)),
  );

  app.put<{ Params: { id: string }; Body: { title: LangText; description?: LangText; filters: Record<string, unknown> } }>(
    '/api/v1/views/:id',
    {
      onRequest: admin,
      schema: {
        summary: 'Create or replace a thematic view',
        description: 'The filters bound every way the view is served: its page, its DCAT catalogue, the search API with ?view= and the embeddable list.',
        tags: ['views'],
        security: [{ bearer: [] }],
        params,
        body: viewBody,
        response: { 200: viewSchema, 201: viewSchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const filters: ViewFilters = checkViewFilters(req.body.filters);
      const { view, created } = await putView(services.db, req.params.id, { title: trimmed(req.body.title), description: trimmed(req.body.description), filters });
      if (created) reply.code(201).header('location', `/api/v1/views/${view.id}`);
      return viewJson(base, view);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/views/:id',
    {
      onRequest: admin,
      schema: {
        summary: 'Remove a thematic view',
        tags: ['views'],
        security: [{ bearer: [] }],
        params,
        response: { 204: { type: 'null' }, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      if (!(await deleteView(services.db, req.params.id))) throw problem(404, 'Not Found', `There is no thematic view "${req.params.id}".`);
      return reply.code(204).send();
    },
  );
}
