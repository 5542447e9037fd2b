"""Parses RDF from stdin with rdflib and writes what it read as N-Quads: a client nobody on the team
wrote, reading what Vindbaar serves. Usage: rdflib_parse.py FORMAT BASE_IRI < data"""
import sys

import rdflib

# Literals as written: rdflib would otherwise rewrite lexical forms ("…715Z" as "…715000+00:00").
rdflib.NORMALIZE_LITERALS = False

fmt, base = sys.argv[1], sys.argv[2]
data = sys.stdin.buffer.read()
dataset = rdflib.Dataset()
dataset.parse(data=data, format=fmt, publicID=base)
sys.stdout.write(dataset.serialize(format="nquads"))
