// gmd:dataQualityInfo and resolution → conformity, lineage and spatial resolution.
//
// Each conformity statement (DQ_ConformanceResult) becomes a PROV activity that used the resource
// against a plan derived from the cited specification and generated a result typed with the INSPIRE
// degree of conformity; a passed one is also a dct:conformsTo. The reference XSLT repeats the full set
// of activities once per specification; one activity per statement says the same thing once.
import type { MappingContext } from './context.js';
import { citationDates } from './dates.js';
import { lang, toIri, typed, type Node } from './graph.js';
import { reciprocal, scaled } from './decimal.js';
import { all, attr, first, norm, text } from './select.js';
import { literals, mainProse } from './text.js';
import { DCAT, DCT, DQV, GEODCAT, INSPIRE, PROV, QUDT_UNIT, RDF, RDFS, SDMX_ATTRIBUTE } from './vocab.js';

export function mapConformity(ctx: MappingContext): void {
  const { g } = ctx;
  for (const spec of all(ctx.md, 'gmd:dataQualityInfo/*/gmd:report/*/gmd:result/*/gmd:specification/gmd:CI_Citation')) {
    const result = all(ctx.md, 'gmd:dataQualityInfo/*/gmd:report/*/gmd:result/*').find((r) => all(r, 'gmd:specification/gmd:CI_Citation').includes(spec));
    const specification = all(result, 'gmd:specification').find((s) => all(s, 'gmd:CI_Citation').includes(spec));
    const specIri = toIri(norm(attr(first(spec, 'gmd:title/gmx:Anchor'), 'xlink:href'))) ?? toIri(norm(attr(specification, 'xlink:href')));
    const pass = norm(text(first(result, 'gmd:pass/gco:Boolean')));
    const passed = pass === 'true' || pass === '1';
    const failed = pass === 'false' || pass === '0';

    const describe = (node: Node): void => {
      for (const title of all(spec, 'gmd:title')) for (const l of literals(ctx, title)) g.add(node, DCT.title, l);
      for (const [p, o] of citationDates(ctx, spec)) g.add(node, p, o);
    };

    if (passed) {
      if (specIri) {
        g.add(ctx.resource, DCT.conformsTo, specIri);
        g.add(specIri, RDF.type, DCT.Standard);
      } else {
        const standard = g.blank();
        g.add(ctx.resource, DCT.conformsTo, standard);
        g.add(standard, RDF.type, DCT.Standard);
        describe(standard);
      }
    }

    const activity = g.blank();
    g.add(ctx.resource, PROV.wasUsedBy, activity);
    g.add(activity, RDF.type, PROV.Activity);
    if (ctx.resourceIri) {
      g.add(activity, PROV.used, ctx.resourceIri);
      g.add(ctx.resourceIri, RDF.type, PROV.Entity);
    }
    const association = g.blank();
    g.add(activity, PROV.qualifiedAssociation, association);
    g.add(association, RDF.type, PROV.Association);
    const plan = g.blank();
    g.add(association, PROV.hadPlan, plan);
    g.add(plan, RDF.type, PROV.Plan);
    const source = specIri ?? g.blank();
    g.add(plan, PROV.wasDerivedFrom, source);
    g.add(source, RDF.type, PROV.Entity);
    if (!specIri) describe(source);

    const generated = g.blank();
    g.add(activity, PROV.generated, generated);
    g.add(generated, RDF.type, PROV.Entity);
    const degree = passed ? 'conformant' : failed ? 'notConformant' : 'notEvaluated';
    g.add(generated, DCT.type, toIri(`${INSPIRE.degreeOfConformity}${degree}`));
    for (const explanation of all(result, 'gmd:explanation')) {
      for (const l of literals(ctx, explanation, mainProse(explanation))) g.add(generated, DCT.description, l);
    }
  }
}

/** Lineage statements, for datasets and series. */
export function mapLineage(ctx: MappingContext): void {
  const { g } = ctx;
  for (const statement of all(ctx.md, 'gmd:dataQualityInfo/*/gmd:lineage/*/gmd:statement')) {
    const texts = literals(ctx, statement, mainProse(statement));
    if (texts.length === 0) continue;
    const provenance = g.blank();
    g.add(ctx.resource, DCT.provenance, provenance);
    g.add(provenance, RDF.type, DCT.ProvenanceStatement);
    for (const l of texts) g.add(provenance, DCT.description, l);
  }
}

/** Units of gco:Distance, by the names records use for them, and how many metres each is. */
const UNITS: ReadonlyArray<{ names: string[]; unit: string; metres: string }> = [
  { names: ['m', 'EPSG::9001', 'urn:ogc:def:uom:EPSG::9001', 'urn:ogc:def:uom:UCUM::m', 'urn:ogc:def:uom:OGC::m'], unit: 'M', metres: '1' },
  { names: ['km'], unit: 'KiloM', metres: '1000' },
  { names: ['ft', 'EPSG::9002', 'urn:ogc:def:uom:EPSG::9002', 'urn:ogc:def:uom:UCUM::[ft_i]', 'urn:ogc:def:uom:OGC::[ft_i]'], unit: 'FT', metres: '0.3048' },
];
const GMX_UOM = 'http://standards.iso.org/ittf/PubliclyAvailableStandards/ISO_19139_Schemas/resources/uom/ML_gmxUom.xml#';

export function mapSpatialResolution(ctx: MappingContext): void {
  const { g } = ctx;
  for (const resolution of all(ctx.md, 'gmd:identificationInfo/*/gmd:spatialResolution/gmd:MD_Resolution')) {
    for (const distance of all(resolution, 'gmd:distance/gco:Distance')) {
      const amount = norm(text(distance));
      const uom = norm(attr(distance, 'uom'));
      const unit = UNITS.find((u) => u.names.includes(uom.startsWith(GMX_UOM) ? uom.slice(GMX_UOM.length) : uom));
      const metres = unit ? scaled(amount, unit.metres) : null;
      if (unit && metres !== null) {
        g.add(ctx.resource, DCAT.spatialResolutionInMeters, typed(metres, 'decimal'));
        if (ctx.extended) {
          const measurement = measure(ctx, GEODCAT.spatialResolutionAsDistance, scaled(amount, '1') ?? amount);
          g.add(measurement, SDMX_ATTRIBUTE.unitMeasure, toIri(`${QUDT_UNIT}${unit.unit}`));
        }
      } else if (ctx.extended && amount) {
        g.add(ctx.resource, RDFS.comment, lang(`Spatial resolution (distance): ${amount} ${uom}`.trim(), 'en'));
      }
    }
    if (!ctx.extended) continue;
    for (const denominator of all(resolution, 'gmd:equivalentScale/gmd:MD_RepresentativeFraction/gmd:denominator')) {
      const value = norm(text(first(denominator, 'gco:Integer')));
      const fraction = reciprocal(value);
      if (fraction !== null) measure(ctx, GEODCAT.spatialResolutionAsScale, fraction);
      else if (value) g.add(ctx.resource, RDFS.comment, lang(`Spatial resolution (equivalent scale): ${value}`, 'en'));
    }
  }
}

function measure(ctx: MappingContext, metric: Node, value: string): Node {
  const { g } = ctx;
  const measurement = g.blank();
  g.add(ctx.resource, DQV.hasQualityMeasurement, measurement);
  g.add(measurement, RDF.type, DQV.QualityMeasurement);
  g.add(measurement, DQV.isMeasurementOf, metric);
  g.add(metric, RDF.type, DQV.Metric);
  g.add(measurement, DQV.value, typed(value, 'decimal'));
  return measurement;
}
