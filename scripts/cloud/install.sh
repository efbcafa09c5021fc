#!/usr/bin/env bash
# Installs the Debian packages of the local loopback cloud (Keystone, Placement
# and Glance, see ../shared/notes/local-openstack.md). Preseeded so no package
# configures a database, a message queue, an admin tenant or an endpoint:
# up.sh does all of that in its own state folder; /etc is never edited.
# Idempotent; run as root (CI is root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# qemu-utils: the e2e suite makes the gate's dummy image with qemu-img, as
# rally-openstack's prepare-for-rally-task role does (glance-api pulls it in
# anyway, through os-brick).
pkgs=(keystone placement-api glance-api python3-keystonemiddleware qemu-utils curl sqlite3)
need=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: missing packages ${need[*]}; run as root: sudo $0" >&2
  exit 2
fi
debconf-set-selections <<'SEED'
keystone keystone/configure_db boolean false
keystone keystone/create-admin-tenant boolean false
keystone keystone/register-endpoint boolean false
placement-common placement/configure_db boolean false
placement-common placement/configure_ksat boolean false
placement-api placement/configure_api-endpoint boolean false
glance-common glance/configure_db boolean false
glance-common glance/configure_rabbit boolean false
glance-common glance/configure_ksat boolean false
glance-api glance/configure_api-endpoint boolean false
SEED
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
