#!/bin/sh
# Regenerates internal/catalog/catalog.json. Run from anywhere:
#   internal/catalog/gen/generate.sh [RALLY_OPENSTACK_GIT_DIR [COMMIT]]
# Inputs: the installed Rally registry (Debian rally + python3-rally-openstack,
# imported by /usr/bin/python3), the installed rally_openstack sources, and a
# git directory of openstack/rally-openstack (default: a fresh bare clone of
# master; COMMIT defaults to its HEAD). No rally-openstack source is kept.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gitdir=${1:-}
if [ -z "$gitdir" ]; then
	gitdir="$tmp/rally-openstack.git"
	git clone -q --bare --filter=blob:none https://github.com/openstack/rally-openstack "$gitdir"
fi
commit=${2:-$(git --git-dir "$gitdir" rev-parse HEAD)}
tree=$(/usr/bin/python3 -c 'import os, rally_openstack; print(os.path.dirname(os.path.dirname(rally_openstack.__file__)))')
/usr/bin/python3 "$here/introspect.py" > "$tmp/installed.json"
/usr/bin/python3 "$here/analyze.py" --tree "$tree" > "$tmp/tree.json" 2> "$tmp/tree.log" || { cat "$tmp/tree.log" >&2; exit 1; }
/usr/bin/python3 "$here/analyze.py" "$gitdir" "$commit" > "$tmp/master.json"
/usr/bin/python3 "$here/clients.py" --tree "$tree" > "$tmp/clients-installed.json"
/usr/bin/python3 "$here/clients.py" "$gitdir" "$commit" > "$tmp/clients-master.json"
/usr/bin/python3 "$here/merge.py" "$tmp/installed.json" "$tmp/tree.json" "$tmp/master.json" \
	"$tmp/clients-installed.json" "$tmp/clients-master.json"
# The Go form of the catalog the binary embeds (no JSON decoding at start-up).
# The generator imports package catalog for its types, so the old data file
# (whose types may have changed) goes first.
cd "$here/../../.." && rm -f internal/catalog/catalog_data.go && go run ./internal/catalog/gen/godata
