#!/bin/sh
# Creates the Python virtualenv with pySHACL for scripts/conformance/pyshacl_report.py, from PyPI.
#
# It lives in node_modules/.cache/ (or $VINDBAAR_CONFORMANCE_VENV): that folder is already ignored by git,
# and by ESLint, which would otherwise lint the JavaScript files pip vendors. `npm ci` removes it; run
# this again afterwards. Prints the path of the environment's python.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${VINDBAAR_CONFORMANCE_VENV:-$root/node_modules/.cache/vindbaar-conformance/venv}
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" >&2
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
echo "$venv/bin/python"
