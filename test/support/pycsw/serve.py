"""A pycsw CSW 2.0.2 server for the harvest tests.

Usage: serve.py <work dir> <records dir>

Creates a SQLite repository in <work dir>, loads every *.xml file of <records dir> with pycsw's own
loader (pycsw.core.admin.load_records, what `pycsw-admin.py -c load_records` runs), then serves CSW on a
free loopback port. When it is ready it prints one JSON line, {"url": ..., "records": n}, and serves until
it is killed.

Records are loaded as pycsw would load them from a folder, with one preparation: a record that comes
wrapped in a CSW response (csw:GetRecordByIdResponse) is taken out of its envelope, since pycsw's
loader expects gmd:MD_Metadata at the root. A second record with an identifier already loaded is
refused by pycsw (it logs an error and goes on): the repository keeps the first one, in file-name order.
"""

import json
import logging
import os
import sys
import warnings
from glob import glob
from wsgiref.simple_server import WSGIRequestHandler, make_server

# pycsw 2.6 and OWSLib use APIs that newer Shapely and OWSLib mark deprecated; the warnings are noise here.
warnings.simplefilter('ignore')

from lxml import etree  # noqa: E402

from pycsw import server  # noqa: E402
from pycsw.core import admin, config, repository  # noqa: E402

GMD = 'http://www.isotc211.org/2005/gmd'
GMI = 'http://www.isotc211.org/2005/gmi'
TABLE = 'records'


def unwrap(path):
    """Rewrites a file whose root is not an ISO record to hold its first ISO record."""
    tree = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
    root = tree.getroot()
    if etree.QName(root).namespace in (GMD, GMI):
        return
    found = root.xpath('//gmd:MD_Metadata | //gmi:MI_Metadata', namespaces={'gmd': GMD, 'gmi': GMI})
    if found:
        with open(path, 'wb') as f:
            f.write(etree.tostring(found[0], xml_declaration=True, encoding='UTF-8'))


def settings(database, url, logfile):
    return {
        'server': {
            'home': os.path.dirname(os.path.abspath(__file__)),
            'url': url,
            'mimetype': 'application/xml; charset=UTF-8',
            'encoding': 'UTF-8',
            'language': 'en-US',
            # Larger than any page the tests ask for, so that maxRecords decides the page size.
            'maxrecords': '1000',
            'loglevel': 'ERROR',
            'logfile': logfile,
            'pretty_print': 'true',
            'domainquerytype': 'list',
            'domaincounts': 'false',
            'profiles': 'apiso',
        },
        'manager': {'transactions': 'false', 'allowed_ips': '127.0.0.1'},
        'metadata:main': {
            'identification_title': 'Vindbaar test CSW',
            'identification_abstract': 'pycsw serving ISO 19139 test records',
            'identification_keywords': 'test',
            'identification_keywords_type': 'theme',
            'identification_fees': 'None',
            'identification_accessconstraints': 'None',
            'provider_name': 'Vindbaar tests',
            'provider_url': url,
            'contact_name': 'Vindbaar tests',
            'contact_position': 'none',
            'contact_address': 'none',
            'contact_city': 'none',
            'contact_stateorprovince': 'none',
            'contact_postalcode': 'none',
            'contact_country': 'none',
            'contact_phone': 'none',
            'contact_fax': 'none',
            'contact_email': 'none@example.org',
            'contact_url': url,
            'contact_hours': 'none',
            'contact_instructions': 'none',
            'contact_role': 'pointOfContact',
        },
        'repository': {'database': database, 'table': TABLE},
    }


def main():
    work, records = sys.argv[1], sys.argv[2]
    logging.basicConfig(level=logging.CRITICAL)
    for path in glob(os.path.join(records, '*.xml')):
        unwrap(path)
    database = 'sqlite:///' + os.path.join(os.path.abspath(work), 'records.db')
    context = config.StaticContext()
    admin.setup_db(database, TABLE, os.path.dirname(os.path.abspath(__file__)))
    admin.load_records(context, database, TABLE, records)
    count = repository.Repository(database, context, table=TABLE).query({}, maxrecords=0)[0]

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    state = {}

    def application(env, start_response):
        csw = server.Csw(state['settings'], env)
        status, contents = csw.dispatch_wsgi()
        start_response(status, [('Content-Type', str(csw.contenttype)), ('Content-Length', str(len(contents)))])
        return [contents]

    httpd = make_server('127.0.0.1', 0, application, handler_class=Quiet)
    url = 'http://127.0.0.1:%d/csw' % httpd.server_port
    state['settings'] = settings(database, url, os.path.join(os.path.abspath(work), 'pycsw.log'))
    print(json.dumps({'url': url, 'records': int(count)}), flush=True)
    httpd.serve_forever()


if __name__ == '__main__':
    main()
