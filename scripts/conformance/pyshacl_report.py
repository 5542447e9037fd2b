#!/usr/bin/env python3
"""pySHACL run on the official shapes, printing the normalised report of test/support/shacl-reference.ts.

The second reference engine for Vindbaar's conformance checks. Both scripts print the same JSON, so
their reports (and later our own validator's) can be compared field by field:

    {"conforms": bool, "results": [{"focusNode", "path", "component", "severity", "sourceShape",
                                    "value"?, "message"?}, ...]}

IRIs as themselves, blank nodes as "_:", literals in N-Triples form, a plain path as its predicate IRI
and any other path in SPARQL property-path syntax; results sorted field by field.

Usage (run setup.sh first; the corpus is found at ../shared/corpus or $VINDBAAR_CORPUS):

    pyshacl_report.py --profile dcat-ap-3.0.1 DATA...            # shapes (and vocabularies) of a manifest
    pyshacl_report.py --shapes S.ttl [--shapes S2.ttl] DATA...   # shapes files given directly
    pyshacl_report.py --profile dcat-ap-3.0.1 --per-graph \\
        --profile-when http://data.europa.eu/r5r/hvdCategory=dcat-ap-hvd-3.0 PAGE.trig...

--each-file validates every data file on its own and prints one JSON line per file.
--per-graph validates every named graph of the data on its own (one LDES member = one record) and prints
one JSON line per graph (--timings adds each graph's validation time); --profile-when picks another profile for graphs that use a predicate. Timings
go to stderr: shapes are parsed once, and the validation time excludes parsing the data.
"""
import argparse
import json
import logging
import os
import sys
import time
from collections import defaultdict

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
import pyshacl

# rdflib logs a traceback for every literal it cannot convert (an ill-typed date, say); the report says
# what matters about them.
logging.getLogger('rdflib.term').setLevel(logging.ERROR)

HERE = os.path.dirname(os.path.abspath(__file__))
PROFILES_DIR = os.path.join(HERE, '..', '..', 'dcat-profiles')
CORPUS = os.environ.get('VINDBAAR_CORPUS') or os.path.join(HERE, '..', '..', '..', 'shared', 'corpus')
SH = rdflib.Namespace('http://www.w3.org/ns/shacl#')
DCAT_DATASET = URIRef('http://www.w3.org/ns/dcat#Dataset')

# The SEMIC DCAT-AP 3 examples name a remote context that has a verbatim copy in the corpus; rdflib would
# fetch it, and there is no network here.
LOCAL_CONTEXTS = {
    'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld':
        'examples/semic-dcat-ap-3.0.1/context.jsonld',
}

FORMATS = {'.ttl': 'turtle', '.n3': 'turtle', '.nt': 'nt', '.nq': 'nquads', '.trig': 'trig',
           '.jsonld': 'json-ld', '.json': 'json-ld', '.rdf': 'xml', '.xml': 'xml', '.owl': 'xml'}


# --- profiles (same resolution as resolveProfile in test/support/shacl-reference.ts) -------------------

def read_profile(profile_id):
    with open(os.path.join(PROFILES_DIR, profile_id + '.json'), encoding='utf-8') as f:
        return json.load(f)


def resolve_profile(profile_id, layers=None):
    m = read_profile(profile_id)
    want = set(layers if layers is not None else m['defaultLayers'])
    shapes = [s['path'] for s in m['shapes'] if s['layer'] in want]
    data = [v['path'] for v in m['vocabularies'] if v['layer'] in want and v['path'] is not None]
    deviations = [d for d in m['deviations'] if d['file'] in shapes]
    if not m.get('base') or not m.get('includeBase'):
        return shapes, data, deviations
    base_shapes, base_data, base_deviations = resolve_profile(m['base'], sorted(want))
    return base_shapes + shapes, list(dict.fromkeys(base_data + data)), base_deviations + deviations


# --- reading RDF -----------------------------------------------------------------------------------

def _local_contexts(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == '@context':
                out[k] = _resolve_context(v)
            else:
                out[k] = _local_contexts(v)
        return out
    if isinstance(node, list):
        return [_local_contexts(v) for v in node]
    return node


def _resolve_context(ctx):
    if isinstance(ctx, str):
        local = LOCAL_CONTEXTS.get(ctx)
        if local is None:
            if ctx.startswith('http://') or ctx.startswith('https://'):
                raise ValueError('remote JSON-LD context not available offline: ' + ctx)
            return ctx
        with open(os.path.join(CORPUS, local), encoding='utf-8') as f:
            return json.load(f)['@context']
    if isinstance(ctx, list):
        return [_resolve_context(c) for c in ctx]
    return _local_contexts(ctx) if isinstance(ctx, dict) else ctx


def read_dataset(path):
    """Parses a file into an rdflib Dataset, keeping graph names (for --per-graph)."""
    ext = os.path.splitext(path)[1].lower()
    fmt = FORMATS.get(ext, 'turtle')
    ds = rdflib.Dataset()
    base = 'file://' + os.path.abspath(path)
    if fmt == 'json-ld':
        with open(path, encoding='utf-8') as f:
            doc = _local_contexts(json.load(f))
        ds.parse(data=json.dumps(doc), format='json-ld', publicID=base)
    else:
        ds.parse(path, format=fmt, publicID=base)
    return ds


def merged_graph(paths):
    """All triples of the files in one graph: graph names are dropped, as the TypeScript reference does."""
    g = rdflib.Graph()
    for p in paths:
        for s, p_, o, _ in read_dataset(p).quads((None, None, None, None)):
            g.add((s, p_, o))
    return g


# --- the normalised report ---------------------------------------------------------------------------

def term_string(t):
    if isinstance(t, BNode):
        return '_:'
    if isinstance(t, Literal):
        lex = '"' + str(t).replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\r', '\\r') + '"'
        if t.language:
            return lex + '@' + t.language.lower()
        if t.datatype is None or t.datatype == XSD.string or t.datatype == RDF.langString:
            return lex
        return lex + '^^<' + str(t.datatype) + '>'
    return str(t)


def path_step(g, node):
    """A SHACL path in SPARQL property-path syntax, as Vindbaar and shacl-reference.ts print it: every
    sequence and alternative in parentheses, so that (^<a>|(<b>/<c>)) says which members are sequences."""
    if isinstance(node, URIRef):
        return '<' + str(node) + '>'
    if (node, RDF.first, None) in g:
        members = [path_step(g, n) for n in Collection(g, node)]
        return members[0] if len(members) == 1 else '(' + '/'.join(members) + ')'
    for pred, fmt in ((SH.inversePath, '^{}'), (SH.zeroOrMorePath, '{}*'), (SH.oneOrMorePath, '{}+'),
                      (SH.zeroOrOnePath, '{}?')):
        inner = g.value(node, pred)
        if inner is not None:
            return fmt.format(path_step(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return '(' + '|'.join(path_step(g, n) for n in Collection(g, alt)) + ')'
    return '_:'


def path_string(g, node):
    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node)
    return path_step(g, node)


def pick_message(messages):
    if not messages:
        return None
    for want in ('en', None):
        for m in messages:
            if isinstance(m, Literal) and m.language == want:
                return str(m)
    return str(messages[0])


KEYS = ('focusNode', 'path', 'component', 'severity', 'sourceShape', 'value', 'message')


def sort_key(r):
    # UTF-16 code-unit order, as JavaScript's string comparison in the TypeScript reference.
    return tuple((r.get(k) or '').encode('utf-16-be') for k in KEYS)


def normalise(conforms, g):
    results = []
    # Only the report's own sh:result values: results nested under sh:detail (pySHACL explains sh:node
    # and the logical constraints that way) are part of those results, not results of their own.
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    for r in g.objects(report, SH.result):
        row = {
            'focusNode': term_string(g.value(r, SH.focusNode)),
            'path': path_string(g, g.value(r, SH.resultPath)),
            'component': str(g.value(r, SH.sourceConstraintComponent)),
            'severity': str(g.value(r, SH.resultSeverity)),
            'sourceShape': term_string(g.value(r, SH.sourceShape)),
        }
        value = g.value(r, SH.value)
        if value is not None:
            row['value'] = term_string(value)
        message = pick_message(list(g.objects(r, SH.resultMessage)))
        if message is not None:
            row['message'] = message
        results.append(row)
    results.sort(key=sort_key)
    return {'conforms': bool(conforms), 'results': results}


# --- running ---------------------------------------------------------------------------------------

class Profile:
    """Shapes graph and vocabulary triples, parsed once and reused for every data graph."""

    def __init__(self, shapes_files, vocabulary_files, deviations=()):
        # Documented defects of the published shapes (the manifests' deviations) are mended in each file
        # as it is read, before it joins the others: the same as readShapes in shacl-reference.ts.
        self.shapes = rdflib.Graph()
        for path in shapes_files:
            mine = [d for d in deviations if os.path.join(CORPUS, d['file']) == path]
            gone = {(t['subject'], t['predicate'], t['object']) for d in mine for t in d.get('remove', [])}
            renamed = {r['from']: URIRef(r['to']) for d in mine for r in d.get('rename', [])}
            for s, p, o in merged_graph([path]):
                if isinstance(o, URIRef) and (str(s), str(p), str(o)) in gone:
                    continue
                self.shapes.add((renamed.get(str(s), s) if isinstance(s, URIRef) else s, p,
                                 renamed.get(str(o), o) if isinstance(o, URIRef) else o))
        self.vocabularies = merged_graph(vocabulary_files)

    def validate(self, data):
        if len(self.vocabularies):
            data = data + self.vocabularies  # a new graph; the caller's stays as it was
        conforms, report, _ = pyshacl.validate(data, shacl_graph=self.shapes, inference='none', advanced=False)
        return normalise(conforms, report)


def corpus(paths):
    return [os.path.join(CORPUS, p) for p in paths]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('data', nargs='+', help='data files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML)')
    ap.add_argument('--profile', help='a manifest id in dcat-profiles/')
    ap.add_argument('--layers', help='comma-separated layers of the manifest (default: its defaultLayers)')
    ap.add_argument('--shapes', action='append', default=[], help='a shapes file (repeatable)')
    ap.add_argument('--vocabulary', action='append', default=[], help='a file added to the data graph (repeatable)')
    ap.add_argument('--per-graph', action='store_true', help='validate each named graph on its own')
    ap.add_argument('--each-file', action='store_true', help='validate each data file on its own')
    ap.add_argument('--timings', action='store_true', help='with --per-graph: add the validation time (ms) to each line')
    ap.add_argument('--profile-when', action='append', default=[], metavar='PREDICATE=PROFILE',
                    help='with --per-graph: use PROFILE for graphs that use PREDICATE')
    args = ap.parse_args()

    layers = args.layers.split(',') if args.layers else None
    t0 = time.perf_counter()
    profiles = {}

    def profile(pid):
        if pid not in profiles:
            shapes, vocab, deviations = resolve_profile(pid, layers)
            profiles[pid] = Profile(corpus(shapes), corpus(vocab), deviations)
        return profiles[pid]

    if args.profile:
        default = profile(args.profile)
    elif args.shapes:
        default = Profile(args.shapes, args.vocabulary)
    else:
        ap.error('give --profile or --shapes')
    rules = []
    for rule in args.profile_when:
        pred, _, pid = rule.partition('=')
        rules.append((URIRef(pred), profile(pid), pid))
    t_shapes = time.perf_counter() - t0

    def shown(path):
        a, c = os.path.abspath(path), os.path.abspath(CORPUS)
        return os.path.relpath(a, c) if a.startswith(c + os.sep) else path

    if args.each_file:
        # One line per file; a file that does not parse gets an error line (the engines' parsers differ).
        for path in args.data:
            try:
                data = merged_graph([path])
            except Exception as e:  # noqa: BLE001 - any parser error is reported, not raised
                line = {'file': shown(path), 'graph': None, 'error': (str(e).splitlines() or [type(e).__name__])[0]}
            else:
                line = {'file': shown(path), 'graph': None, 'profile': args.profile or 'shapes', **default.validate(data)}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + '\n')
        return

    if not args.per_graph:
        data = merged_graph(args.data)
        t1 = time.perf_counter()
        report = default.validate(data)
        t_validate = time.perf_counter() - t1
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write('\n')
        print(f'pyshacl {pyshacl.__version__}: shapes {t_shapes:.2f} s, validation {t_validate:.3f} s', file=sys.stderr)
        return

    # One record per named graph. Parsing is timed apart from validation: a benchmark of the engine
    # should not charge it for the parser.
    t_parse = t_validate = 0.0
    records = datasets = 0
    # The slowest record is reported apart (on data.gov.be: the national catalogue, 17,828 links).
    slowest = {'graph': '', 'results': 0, 'seconds': 0.0}
    for path in args.data:
        t1 = time.perf_counter()
        ds = read_dataset(path)
        graphs = defaultdict(rdflib.Graph)
        for s, p, o, c in ds.quads((None, None, None, None)):
            if c is not None and c != DATASET_DEFAULT_GRAPH_ID:
                graphs[c].add((s, p, o))
        t_parse += time.perf_counter() - t1
        for name in sorted(graphs, key=str):
            g = graphs[name]
            chosen, chosen_id = default, args.profile or 'shapes'
            for pred, prof, pid in rules:
                if (None, pred, None) in g:
                    chosen, chosen_id = prof, pid
                    break
            t2 = time.perf_counter()
            report = chosen.validate(g)
            seconds = time.perf_counter() - t2
            t_validate += seconds
            if seconds > slowest['seconds']:
                slowest = {'graph': str(name), 'results': len(report['results']), 'seconds': round(seconds, 3)}
            records += 1
            datasets += len(set(g.subjects(RDF.type, DCAT_DATASET)))
            line = {'file': shown(path), 'graph': str(name), 'profile': chosen_id}
            if args.timings:
                line['ms'] = round(seconds * 1000, 2)
            line.update(report)
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + '\n')
    print(json.dumps({'engine': f'pyshacl {pyshacl.__version__}', 'records': records, 'datasets': datasets,
                      'shapesSeconds': round(t_shapes, 3), 'parseSeconds': round(t_parse, 3),
                      'validationSeconds': round(t_validate, 3),
                      'datasetsPerSecond': round(datasets / t_validate, 1) if t_validate else None,
                      'slowest': slowest}),
          file=sys.stderr)


if __name__ == '__main__':
    main()
