// Dereferenceable IRIs. IRIs minted here (for datasets and services that came in as blank nodes) are
// ${baseUrl}/id/{kind}/{digest}; asking for one redirects (303 See Other: the IRI names a dataset, not
// a document) to the record's document, which then negotiates its representation. Any other IRI held
// here, such as a harvested dataset's original IRI, resolves through /resolve?iri=.
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
        summary: 'Finds the record describing an IRI (a harvested dataset keeps its original IRI): 303 See Other to it',
        tags: ['linked data'],
        querystring: { type: 'object', properties: { iri: { type: 'string', minLength: 1, maxLength: 4000 } }, required: ['iri'] },
        response: { 303: { type: 'null', description: 'See Other' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const found = await recordWithIri(services, req.query.iri);
      if (!found) throw problem(404, 'Not Found', `No record has the IRI ${req.query.iri}.`);
      return redirect(reply, found.id);
    },
  );
}
