// The geographic facts of a GeoDCAT-AP record, as a geodata user looks for them: reference system,
// spatial resolution, spatial representation, the parties responsible in their INSPIRE roles, and the
// degree of conformity to each specification. Records harvested over CSW carry them (see
// harvest/iso19139/); a record without any shows no section.
import type { JsonNode, JsonValue } from '../dcat/json.js';
import { termForPredicate } from '../dcat/context.js';
import { PREFIXES } from '../rdf/namespaces.js';
import { lastSegment } from '../search/labels.js';
import { externalLink, html, trimText, type SafeHtml } from './html.js';
import type { Messages, PageLang } from './i18n.js';
import { iriOf, isNode, list, literal, nameOf, text } from './values.js';

// The key the record's JSON uses for a property (a term of the context, else the compact IRI).
const key = (prefix: keyof typeof PREFIXES, local: string) => termForPredicate(`${PREFIXES[prefix]}${local}`).key;
const GEODCAT_ROLES = ['custodian', 'owner', 'originator', 'distributor', 'pointOfContact', 'principalInvestigator', 'processor', 'resourceProvider', 'user', 'author'];
const CRS = /^https?:\/\/www\.opengis\.net\/def\/crs\//;

const values = (node: JsonNode, k: string): JsonValue[] => list(node[k]);
const nodesAt = (node: JsonNode, k: string): JsonNode[] => values(node, k).filter(isNode);

/** A number for people: at most four decimals, without trailing zeros. */
function number(v: string | undefined, lang: PageLang): string | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB', { maximumFractionDigits: 4 }) : v;
}

export function geoSection(json: JsonNode, lang: PageLang, t: Messages, labels: Map<string, string>): SafeHtml | '' {
  const g = t.geo;
  const label = (iri: string) => labels.get(iri) ?? lastSegment(iri);
  const link = (v: JsonValue): SafeHtml | undefined => {
    const iri = iriOf(v);
    const name = nameOf(v, lang) ?? (isNode(v) ? text(v.title, lang) : undefined);
    if (iri) return externalLink(iri, trimText(name ?? label(iri), 300));
    return name ? html`${trimText(name, 300)}` : undefined;
  };
  const rows: SafeHtml[] = [];
  const row = (name: string, items: (SafeHtml | undefined)[]) => {
    const shown = items.filter((x): x is SafeHtml => x !== undefined);
    if (shown.length) rows.push(html`<dt>${name}</dt><dd>${shown.map((x, i) => html`${i ? html`<br>` : ''}${x}`)}</dd>`);
  };

  // Reference systems: GeoDCAT-AP's own property, and CRS IRIs given as dct:conformsTo (DCAT-AP's way).
  const systems = [...values(json, key('geodcat', 'referenceSystem')), ...list(json.conformsTo).filter((c) => CRS.test(iriOf(c) ?? ''))];
  row(g.referenceSystem, [...new Map(systems.map((s) => [iriOf(s) ?? JSON.stringify(s), s])).values()].map(link));

  const resolution: (SafeHtml | undefined)[] = list(json.spatialResolutionInMeters).map((m) => html`${number(literal(m), lang)} m`);
  for (const m of nodesAt(json, key('dqv', 'hasQualityMeasurement'))) {
    const metric = iriOf(list(m[key('dqv', 'isMeasurementOf')])[0]) ?? '';
    const value = literal(m[key('dqv', 'value')]);
    if (metric.endsWith('spatialResolutionAsScale') && value && Number(value) > 0) resolution.push(html`${g.scale} 1:${Math.round(1 / Number(value)).toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB')}`);
    else if (/spatialResolutionAs(Distance|VerticalDistance|AngularDistance)$/.test(metric) && value) resolution.push(html`${number(value, lang)} ${lastSegment(iriOf(list(m[termForPredicate('http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure').key])[0]) ?? '')}`);
  }
  for (const t of values(json, key('geodcat', 'spatialResolutionAsText'))) resolution.push(html`${trimText(text(t, lang) ?? literal(t) ?? '', 300)}`);
  row(g.resolution, resolution);

  // Representation: the dataset's, and its distributions' (ISO 19139 puts it on each).
  const techniques = [...values(json, key('adms', 'representationTechnique')), ...list(json.distribution).filter(isNode).flatMap((d) => values(d, key('adms', 'representationTechnique')))];
  row(g.representation, [...new Map(techniques.map((x) => [iriOf(x) ?? JSON.stringify(x), x])).values()].map(link));

  const roleName = (role: string) => g.role[role] ?? role;
  const parties: (SafeHtml | undefined)[] = [];
  for (const role of GEODCAT_ROLES) for (const a of values(json, key('geodcat', role))) parties.push(html`${link(a) ?? ''} (${roleName(role)})`);
  for (const q of nodesAt(json, key('prov', 'qualifiedAttribution'))) {
    const agent = list(q[key('prov', 'agent')])[0];
    const role = iriOf(list(q[key('dcat', 'hadRole')])[0]);
    if (agent !== undefined) parties.push(html`${link(agent) ?? ''}${role ? html` (${roleName(lastSegment(role))})` : ''}`);
  }
  row(g.parties, parties);

  // Conformity: each activity that tested the resource against a specification, with its outcome.
  const conformity: (SafeHtml | undefined)[] = [];
  for (const activity of nodesAt(json, key('prov', 'wasUsedBy'))) {
    const spec = nodesAt(activity, key('prov', 'qualifiedAssociation'))
      .flatMap((a) => nodesAt(a, key('prov', 'hadPlan')))
      .flatMap((p) => values(p, key('prov', 'wasDerivedFrom')))[0];
    const degree = nodesAt(activity, key('prov', 'generated')).map((r) => iriOf(list(r[key('dct', 'type')])[0])).find((d) => d !== undefined);
    if (spec === undefined && degree === undefined) continue;
    const outcome = degree ? (g.degree[lastSegment(degree)] ?? lastSegment(degree)) : undefined;
    conformity.push(html`${spec !== undefined ? (link(spec) ?? '') : ''}${outcome ? html`: <strong>${outcome}</strong>` : ''}`);
  }
  row(g.conformity, conformity);

  if (rows.length === 0) return '';
  return html`<section aria-labelledby="geo-title">
<h2 id="geo-title">${g.title}</h2>
<dl class="facts">${rows}</dl>
</section>`;
}
