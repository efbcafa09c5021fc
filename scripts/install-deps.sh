#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine: the real Rally
# (the oracle for catalog, lint and init tests) and the Go modules.
# Idempotent; run as root (CI is root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v rally >/dev/null 2>&1 || need+=(rally)
dpkg -s python3-rally-openstack >/dev/null 2>&1 || need+=(python3-rally-openstack)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The loopback Keystone + Placement cloud of the end-to-end suite (make e2e).
"$(dirname "$0")/cloud/install.sh"
go mod download
