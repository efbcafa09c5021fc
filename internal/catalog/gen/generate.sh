#!/bin/sh
# Regenerates internal/catalog/catalog.json from the installed Rally registry
# (Debian rally + python3-rally-openstack, imported by /usr/bin/python3).
# Usage: internal/catalog/gen/generate.sh   (from the repository root)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/introspect.py" > "$tmp/installed.json"
/usr/bin/python3 "$here/merge.py" "$tmp/installed.json"
