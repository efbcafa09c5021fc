#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine: the real Rally
# (the oracle for catalog, lint and init tests), flake8, PostgreSQL and
# Chromium (history and HTML report tests), the packages of the end-to-end
# cloud, and the Go modules.
# Idempotent; run as root (CI is root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v rally >/dev/null 2>&1 || need+=(rally)
# hyperfine times whole commands for the benchmark scripts (scripts/bench-*.sh).
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
dpkg -s python3-rally-openstack >/dev/null 2>&1 || need+=(python3-rally-openstack)
# flake8 checks that the scenario plugins `rallyforge plugin` writes are clean.
command -v flake8 >/dev/null 2>&1 || need+=(flake8)
# The PostgreSQL history store is tested against a real server
# (scripts/pg/up.sh starts a throwaway cluster; the package's own is unused).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
# The HTML report is opened in headless Chromium to check its charts render.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# make dist packs wheels with Debian's python3-wheel; the distribution test
# installs one into a fresh venv and runs the README's tox and pre-commit
# examples.
dpkg -s python3-wheel >/dev/null 2>&1 || need+=(python3-wheel)
dpkg -s python3-venv >/dev/null 2>&1 || need+=(python3-venv)
command -v tox >/dev/null 2>&1 || need+=(tox)
command -v pre-commit >/dev/null 2>&1 || need+=(pre-commit)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: missing packages ${need[*]}; run as root: sudo $0" >&2
    exit 2
  fi
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The loopback Keystone + Placement + Glance cloud of the end-to-end suite (make e2e).
"$(dirname "$0")/cloud/install.sh"
go mod download
