// Change notes from the version history: which properties changed between two versions of a record,
// read from the stored canonical N-Triples (one sorted triple per line, blank nodes labelled from
// content, so equal triples are equal lines).
import { termForPredicate } from './context.js';

export interface VersionChange {
  version: number;
  validFrom: Date;
  validTo?: Date;
  /** Properties with triples added, removed, or both (changed), by their JSON names. */
  added: string[];
  removed: string[];
  changed: string[];
  first: boolean;
}

const PREDICATE = /^\S+ <([^>]+)>/;

function predicates(lines: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const line of lines) {
    const m = PREDICATE.exec(line);
    if (m) out.add(termForPredicate(m[1]).key);
  }
  return out;
}

/** What changed from `older` to `newer`, by property. */
export function diffVersions(older: string, newer: string): { added: string[]; removed: string[]; changed: string[] } {
  const a = new Set(older.split('\n').filter(Boolean));
  const b = new Set(newer.split('\n').filter(Boolean));
  const plus = predicates([...b].filter((l) => !a.has(l)));
  const minus = predicates([...a].filter((l) => !b.has(l)));
  return {
    changed: [...plus].filter((p) => minus.has(p)).sort(),
    added: [...plus].filter((p) => !minus.has(p)).sort(),
    removed: [...minus].filter((p) => !plus.has(p)).sort(),
  };
}

/** The history of a record, newest first: the current version and the earlier ones given, each with
 * what changed from the one before it (the oldest given has nothing to compare with unless it is the
 * first version). */
export function versionChanges(current: { version: number; nquads: string; since: Date }, earlier: { version: number; nquads: string; valid_from: Date; valid_to: Date }[]): VersionChange[] {
  const all = [{ version: current.version, nquads: current.nquads, validFrom: current.since, validTo: undefined as Date | undefined }, ...earlier.map((v) => ({ version: v.version, nquads: v.nquads, validFrom: v.valid_from, validTo: v.valid_to as Date | undefined }))];
  return all.map((v, i) => {
    const before = all[i + 1];
    const diff = before ? diffVersions(before.nquads, v.nquads) : { added: [], removed: [], changed: [] };
    return { version: v.version, validFrom: v.validFrom, validTo: v.validTo, ...diff, first: !before && v.version === 1 };
  });
}
