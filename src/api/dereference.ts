// Dereferenceable IRIs. IRIs minted here (for datasets and services that came in as blank nodes) are
// ${baseUrl}/id/{kind}/{digest}; asking for one redirects (303 See Other: the IRI names a dataset, not
// a document) to the record's document, which then negotiates its representation. Any other IRI held
// here, such as a harvested dataset's original IRI, resolves through /resolve?iri=: a record's IRI
// (written with either scheme, with or without a trailing slash), else the records that hold it as a
// node (record_nodes) or give it as a link (record_links), each looked up by its index.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../app.js';
import { problem } from './problem.js';
import { SUFFIX_OF, splitSuffix } from './negotiate.js';

/** The live record with this IRI, the primary one when copies exist; else a withdrawn one (410). */
async function recordWithIri(services: Services, iri: string): Promise<{ id: string } | undefined> {
  const r = await services.db.query<{ id: string }>(
    `SELECT id FROM records WHERE iri = $1 ORDER BY (deleted_at IS NULL) DESC, (duplicate_of IS NULL) DESC, first_seen LIMIT 1`,
    [iri],
  );
  return r.rows[0];
}

/** The other spellings two portals may give one http(s) IRI: either scheme, with or without a trailing
 * slash (as the duplicate keys compare them, see dcat/identity.ts); none for other IRIs. */
export function iriVariants(iri: string): string[] {
  const m = /^https?:\/\/(.*?)\/*$/i.exec(iri);
  if (!m) return [];
  const rest = m[1];
  const out = new Set<string>();
  for (const scheme of ['http://', 'https://']) for (const slash of ['', '/']) out.add(`${scheme}${rest}${slash}`);
  out.delete(iri);
  return [...out];
}

/** A live record whose IRI is written otherwise (records_iri index; a handful of values). */
async function recordWithIriVariant(services: Services, iri: string): Promise<{ id: string } | undefined> {
  const variants = iriVariants(iri);
  if (variants.length === 0) return undefined;
  const r = await services.db.query<{ id: string }>(
    `SELECT id FROM records WHERE iri = ANY($1::text[]) ORDER BY (deleted_at IS NULL) DESC, (duplicate_of IS NULL) DESC, first_seen LIMIT 1`,
    [variants],
  );
  return r.rows[0];
}

/** At most this many records are listed for an IRI several hold. */
const HOLDERS_LISTED = 100;

interface Holder {
  id: string;
  iri: string;
  kind: string;
  withdrawn: boolean;
}

/** The records that hold an IRI as one of their nodes (record_nodes) or give it as an access,
 * download or endpoint URL (record_links), in any of its spellings; copies counted once, by their
 * primary; live ones first. Both lookups are index scans on the IRI. */
async function recordsHolding(services: Services, iri: string, limit: number): Promise<Holder[]> {
  const spellings = [iri, ...iriVariants(iri)];
  const r = await services.db.query<Holder>(
    `SELECT p.id, p.iri, p.kind, p.deleted_at IS NOT NULL AS withdrawn
     FROM (SELECT record_id FROM record_nodes WHERE iri = ANY($1::text[]) UNION SELECT record_id FROM record_links WHERE url = ANY($1::text[])) h
     JOIN records r ON r.id = h.record_id
     JOIN records p ON p.id = COALESCE(r.duplicate_of, r.id)
     GROUP BY p.id, p.iri, p.kind, p.deleted_at, p.first_seen
     ORDER BY (p.deleted_at IS NULL) DESC, p.first_seen, p.id LIMIT $2`,
    [spellings, limit],
  );
  return r.rows;
}

export async function dereferenceRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  const redirect = (reply: FastifyReply, id: string, suffix?: string) => {
    reply.header('vary', 'Accept');
    return reply.code(303).header('location', `${base}/api/v1/records/${id}${suffix ? `.${suffix}` : ''}`).send();
  };
  app.get<{ Params: { '*': string } }>(
    '/id/*',
    {
      schema: {
        summary: 'An IRI minted by this catalogue: 303 See Other to the document of the record it names',
        description: 'A suffix (.ttl, .jsonld, .rdf, .nt, .nq, .trig, .json, .html) is kept on the redirect.',
        tags: ['linked data'],
        response: { 303: { type: 'null', description: 'See Other' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const path = req.params['*'];
      const { id: bare, format } = splitSuffix(path);
      // The IRI as minted: the suffix belongs to the URL, not to the IRI.
      const found = (await recordWithIri(services, `${base}/id/${bare}`)) ?? (format ? undefined : await recordWithIri(services, `${base}/id/${path}`));
      if (!found) throw problem(404, 'Not Found', `No record has the IRI ${base}/id/${bare}.`);
      return redirect(reply, found.id, format ? SUFFIX_OF[format] : undefined);
    },
  );
  app.get<{ Querystring: { iri: string } }>(
    '/resolve',
    {
      schema: {
        summary: 'Finds the record describing an IRI, or the records holding it: 303 See Other to the one, 300 Multiple Choices listing several',
        description:
          "A record's IRI (a harvested dataset keeps its original IRI), also as written with the other of http and https or with or without a trailing slash; else the IRI of a node records hold (a distribution, an agent, a contact point), or an access, download or endpoint URL they give.",
        tags: ['linked data'],
        querystring: { type: 'object', properties: { iri: { type: 'string', minLength: 1, maxLength: 4000 } }, required: ['iri'] },
        response: {
          300: {
            description: 'Multiple Choices: the records that hold the IRI (copies of one dataset counted once, by their primary)',
            type: 'object',
            properties: {
              iri: { type: 'string' },
              records: {
                type: 'array',
                items: { type: 'object', properties: { id: { type: 'string' }, iri: { type: 'string' }, kind: { type: 'string' }, href: { type: 'string' }, withdrawn: { type: 'boolean' } } },
              },
              more: { type: 'boolean', description: 'More records hold it than are listed' },
            },
          },
          303: { type: 'null', description: 'See Other' },
          404: { $ref: 'Problem#' },
        },
      },
    },
    async (req, reply) => {
      const asked = req.query.iri.trim();
      const found = (await recordWithIri(services, asked)) ?? (await recordWithIriVariant(services, asked));
      if (found) return redirect(reply, found.id);
      const holders = await recordsHolding(services, asked, HOLDERS_LISTED + 1);
      if (holders.length === 0) throw problem(404, 'Not Found', `No record has or holds the IRI ${asked}.`);
      if (holders.length === 1) return redirect(reply, holders[0].id);
      // Several records hold it (an agent described in each dataset it published): the list, the
      // first (a live one, the first seen) as the preferred choice.
      const more = holders.length > HOLDERS_LISTED;
      const listed = holders.slice(0, HOLDERS_LISTED);
      reply.header('location', `${base}/api/v1/records/${listed[0].id}`);
      return reply.code(300).send({
        iri: asked,
        records: listed.map((r) => ({ id: r.id, iri: r.iri, kind: r.kind, href: `${base}/api/v1/records/${r.id}`, ...(r.withdrawn ? { withdrawn: true } : {}) })),
        ...(more ? { more } : {}),
      });
    },
  );
}
