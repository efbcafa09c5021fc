#!/usr/bin/env bash
# make dist: static binaries for the platforms OpenStack developers work on,
# one Python wheel per platform carrying its binary (scripts/dist/wheel.py),
# and SHA256SUMS of all of them, in $DIST_DIR (default dist/).
#   PLATFORMS="linux/amd64" scripts/dist/build.sh   # only some platforms
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${VERSION:-$(scripts/dist/version.sh)}
out=${DIST_DIR:-dist}
platforms=${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64}
GO=${GO:-go}
# Reproducible: the same commit gives byte-identical files (zip times from
# the commit, paths trimmed, no build ID drift from the work tree's place).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
rm -rf "$out"
mkdir -p "$out"
for p in $platforms; do
  os=${p%/*} arch=${p#*/}
  bin="$out/rallyforge-$version-$os-$arch"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$GO" build -trimpath -buildvcs=auto \
    -ldflags "-s -w -buildid= -X github.com/rallyforge/rallyforge/internal/buildinfo.version=$version" \
    -o "$bin" ./cmd/rallyforge
  /usr/bin/python3 scripts/dist/wheel.py --version "$version" --platform "$p" --binary "$bin" \
    --readme README.md --license LICENSE --out "$out"
done
(cd "$out" && sha256sum -- rallyforge-* > SHA256SUMS)
ls -l "$out"
