#!/usr/bin/env bash
# Prints the version a build of this checkout reports, in a form both Go and
# Python packaging accept (PEP 440): the tag when HEAD is tagged (v1.2.0 ->
# 1.2.0), else the release being worked towards with the commit count and
# hash (0.1.0.dev148+g083a87e), ".dirty" when the work tree has changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
release=0.1.0 # the next release; a tag v$release ends its dev versions
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "$release.dev0"
  exit 0
fi
if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
  v=${tag#v}
else
  v="$release.dev$(git rev-list --count HEAD)+g$(git rev-parse --short=12 HEAD)"
fi
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  case $v in *+*) v="$v.dirty" ;; *) v="$v+dirty" ;; esac
fi
echo "$v"
