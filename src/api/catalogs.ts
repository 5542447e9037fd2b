// GET /api/v1/catalogs: the local catalogues with their record counts.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { catalogTitleSql } from '../store/records.js';

export async function catalogRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get(
    '/api/v1/catalogs',
    {
      schema: {
        summary: 'Local catalogues',
        tags: ['records'],
        response: {
          200: {
            type: 'object',
            properties: {
              '@context': { type: 'string' },
              totalItems: { type: 'integer' },
              member: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { id: { type: 'string' }, iri: { type: 'string' }, title: { type: 'string' }, records: { type: 'object', additionalProperties: { type: 'integer' } } },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const r = await services.db.query<{ id: string; iri: string | null; title: string | null; kind: string | null; n: number }>(
        `SELECT c.id, c.iri, ${catalogTitleSql()} AS title, r.kind, count(r.id)::int AS n FROM catalogs c
         LEFT JOIN records r ON r.catalog_id = c.id AND r.deleted_at IS NULL
         -- A catalogue whose sources were all removed keeps its row for the tombstones of its
         -- records (they answer 410 Gone), but is no longer one of the catalogues offered here.
         WHERE EXISTS (SELECT 1 FROM records l WHERE l.catalog_id = c.id AND l.deleted_at IS NULL)
            OR EXISTS (SELECT 1 FROM sources s WHERE s.catalog_id = c.id)
         GROUP BY c.id, c.iri, c.title, r.kind ORDER BY c.id`,
      );
      const byId = new Map<string, { id: string; iri?: string; title?: string; records: Record<string, number> }>();
      for (const row of r.rows) {
        // No "iri": null: the context maps iri to @id, which JSON-LD processors refuse to be null.
        const c = byId.get(row.id) ?? { id: row.id, ...(row.iri ? { iri: row.iri } : {}), ...(row.title ? { title: row.title } : {}), records: {} };
        if (row.kind) c.records[row.kind] = row.n;
        byId.set(row.id, c);
      }
      return { '@context': `${services.config.baseUrl}/context.jsonld`, totalItems: byId.size, member: [...byId.values()] };
    },
  );
}
