// Result messages in Dutch and English: the shape's own sh:message where it has one, otherwise a
// sentence per constraint component naming the property and what was expected.
import type { Annotation, Component } from './compile.js';
import { PREFIXES } from '../rdf/namespaces.js';

type Texts = { nl: string; en: string };

/** A prefixed name where the namespace is a known one (dct:Agent and foaf:Agent differ), else the
 * last segment of the IRI. */
function short(iri: string): string {
  for (const [prefix, ns] of Object.entries(PREFIXES)) if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
  const m = /[#/]([^#/]+)$/.exec(iri);
  return m ? m[1] : iri;
}

function list(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? Object.values(x)[0] : String(x))).map((x) => short(String(x))).join(', ');
  return short(String(v));
}

const TEMPLATES: Record<Component, (p: string, param: unknown, value: string) => Texts> = {
  MinCountConstraintComponent: (p, n) => ({ nl: `${p}: minstens ${n} waarde(n) vereist.`, en: `${p}: at least ${n} value(s) required.` }),
  MaxCountConstraintComponent: (p, n) => ({ nl: `${p}: hoogstens ${n} waarde(n) toegelaten.`, en: `${p}: at most ${n} value(s) allowed.` }),
  ClassConstraintComponent: (p, c, v) => ({ nl: `${p}: ${v} moet van het type ${short(String(c))} zijn.`, en: `${p}: ${v} must be of type ${short(String(c))}.` }),
  DatatypeConstraintComponent: (p, d, v) => ({ nl: `${p}: ${v} moet een geldige waarde van datatype ${short(String(d))} zijn.`, en: `${p}: ${v} must be a valid ${short(String(d))} literal.` }),
  NodeKindConstraintComponent: (p, k, v) => ({ nl: `${p}: ${v} moet een ${k} zijn.`, en: `${p}: ${v} must be a ${k}.` }),
  MinInclusiveConstraintComponent: (p, b, v) => ({ nl: `${p}: ${v} moet minstens ${b} zijn.`, en: `${p}: ${v} must be at least ${b}.` }),
  MaxInclusiveConstraintComponent: (p, b, v) => ({ nl: `${p}: ${v} mag hoogstens ${b} zijn.`, en: `${p}: ${v} must be at most ${b}.` }),
  MinExclusiveConstraintComponent: (p, b, v) => ({ nl: `${p}: ${v} moet groter zijn dan ${b}.`, en: `${p}: ${v} must be greater than ${b}.` }),
  MaxExclusiveConstraintComponent: (p, b, v) => ({ nl: `${p}: ${v} moet kleiner zijn dan ${b}.`, en: `${p}: ${v} must be less than ${b}.` }),
  MinLengthConstraintComponent: (p, n, v) => ({ nl: `${p}: ${v} moet minstens ${n} tekens lang zijn.`, en: `${p}: ${v} must be at least ${n} characters long.` }),
  MaxLengthConstraintComponent: (p, n, v) => ({ nl: `${p}: ${v} mag hoogstens ${n} tekens lang zijn.`, en: `${p}: ${v} must be at most ${n} characters long.` }),
  PatternConstraintComponent: (p, re, v) => ({ nl: `${p}: ${v} voldoet niet aan het patroon ${re}.`, en: `${p}: ${v} does not match the pattern ${re}.` }),
  LanguageInConstraintComponent: (p, l, v) => ({ nl: `${p}: ${v} moet een taal hebben uit ${list(l)}.`, en: `${p}: ${v} must have a language among ${list(l)}.` }),
  UniqueLangConstraintComponent: (p, l) => ({ nl: `${p}: meer dan één waarde in taal "${l}".`, en: `${p}: more than one value in language "${l}".` }),
  InConstraintComponent: (p, vs, v) => ({ nl: `${p}: ${v} moet een van ${list(vs)} zijn.`, en: `${p}: ${v} must be one of ${list(vs)}.` }),
  HasValueConstraintComponent: (p, h) => ({ nl: `${p}: de waarde ${list([h])} ontbreekt.`, en: `${p}: the value ${list([h])} is missing.` }),
  NodeConstraintComponent: (p, s, v) =>
    String(s).startsWith('_:')
      ? { nl: `${p}: ${v} voldoet niet aan de eisen die het profiel aan deze waarde stelt (bijvoorbeeld: een begrip uit de voorgeschreven codelijst).`, en: `${p}: ${v} does not meet the profile's requirements for this value (for instance: a concept of the prescribed code list).` }
      : { nl: `${p}: ${v} voldoet niet aan ${short(String(s))}.`, en: `${p}: ${v} does not conform to ${short(String(s))}.` },
  AndConstraintComponent: (p, _s, v) => ({ nl: `${p}: ${v} voldoet niet aan alle vereiste vormen.`, en: `${p}: ${v} does not conform to all required shapes.` }),
  OrConstraintComponent: (p, _s, v) => ({ nl: `${p}: ${v} voldoet aan geen van de toegelaten vormen.`, en: `${p}: ${v} conforms to none of the allowed shapes.` }),
  XoneConstraintComponent: (p, _s, v) => ({ nl: `${p}: ${v} moet aan precies één vorm voldoen.`, en: `${p}: ${v} must conform to exactly one shape.` }),
  NotConstraintComponent: (p, s, v) => ({ nl: `${p}: ${v} mag niet voldoen aan ${short(String(s))}.`, en: `${p}: ${v} must not conform to ${short(String(s))}.` }),
  QualifiedMinCountConstraintComponent: (p, n) => ({ nl: `${p}: minstens ${n} waarde(n) van de vereiste vorm nodig.`, en: `${p}: at least ${n} value(s) of the required shape needed.` }),
  QualifiedMaxCountConstraintComponent: (p, n) => ({ nl: `${p}: hoogstens ${n} waarde(n) van deze vorm toegelaten.`, en: `${p}: at most ${n} value(s) of this shape allowed.` }),
  ClosedConstraintComponent: (p, _x, v) => ({ nl: `${p} is hier niet toegelaten (${v}).`, en: `${p} is not allowed here (${v}).` }),
};

export function resultMessage(ann: Annotation, value: string | undefined, param?: unknown): Texts {
  const own = ann.message;
  const generated = TEMPLATES[ann.component](ann.path ? short(ann.path) : 'focus', param ?? ann.param, value ?? '');
  if (!own || Object.keys(own).length === 0) return generated;
  return { nl: own.nl ?? own['@none'] ?? generated.nl, en: own.en ?? own['@none'] ?? generated.en };
}

/** The message of a finding that many values share, said of "the value" rather than of one of them. */
export function generalMessage(ann: Annotation, param?: unknown): Texts {
  const own = ann.message;
  const p = ann.path ? short(ann.path) : 'focus';
  const template = TEMPLATES[ann.component];
  const generated = { nl: template(p, param ?? ann.param, 'de waarde').nl, en: template(p, param ?? ann.param, 'the value').en };
  if (!own || Object.keys(own).length === 0) return generated;
  return { nl: own.nl ?? own['@none'] ?? generated.nl, en: own.en ?? own['@none'] ?? generated.en };
}
