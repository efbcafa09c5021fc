#!/usr/bin/env bash
# Installs the Debian 12 packages of the loopback cloud (scripts/cloud/README.md
# says what each service needs and why). Preseeded so no package configures a
# database, a message queue, an admin tenant or an endpoint: the up-*.sh
# scripts do all of that in their own state folder; /etc is never edited.
# No daemon may start at install time (a fresh machine may not have the
# container's policy-rc.d that refuses it): one is put in place for the
# duration of the install when missing. Idempotent; run as root (CI is root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# Base: Keystone, Placement, Glance (sqlite). qemu-utils: the e2e suite makes
# the gate's dummy image with qemu-img, as rally-openstack's
# prepare-for-rally-task role does.
pkgs=(keystone placement-api glance-api python3-keystonemiddleware qemu-utils curl sqlite3 openssl)
# Shared parts: MariaDB (server core only: no galera, no /var/lib/mysql
# initialised by a postinst), RabbitMQ, Redis (Zaqar's store).
pkgs+=(mariadb-server-core mariadb-client-core python3-pymysql rabbitmq-server redis-server)
# compute + network: nova-compute is NOT installed (it depends on a
# hypervisor package); the fake driver runs from python3-nova.
pkgs+=(nova-api nova-conductor nova-scheduler neutron-server)
# block-storage, orchestration, object-store, shared-file-system, key-manager.
# manila-common and barbican-common ship every binary; manila-share would
# pull the Ceph libraries, barbican-api only adds an init script.
pkgs+=(cinder-api cinder-scheduler cinder-volume heat-api heat-engine
  swift swift-proxy swift-account swift-container swift-object manila-common barbican-common)
# dns, load-balancer, workflow, resource-optimization, message,
# container-infrastructure-management, baremetal and the uncovered services:
# the -common packages ship the binaries (the per-daemon ones add init
# scripts and, for ironic-conductor, PXE/TFTP servers). masakari-api is the
# only package with masakari's api-paste.ini.
pkgs+=(designate-common octavia-common mistral-common watcher-common zaqar-common magnum-common
  ironic-common masakari-common masakari-api cloudkitty-common trove-common python3-ironic-inspector)
# cloudkitty's v2 API (all its api-ref documents) is served only on v2
# storage, whose backend here is InfluxDB 1.x (DevStack's default too).
pkgs+=(influxdb)
# backup (freezer-api): its SQLAlchemy store on the shared MariaDB, no
# Elasticsearch; the freezer-api package has the paste file. alarming (aodh):
# aodh-common ships the binaries and api-paste.ini.
pkgs+=(freezer-api python3-freezer-api aodh-common)
need=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: missing packages ${need[*]}; run as root: sudo $0" >&2
  exit 2
fi
{
  cat <<'SEED'
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
nova-common nova/configure_db boolean false
nova-common nova/configure_rabbit boolean false
nova-common nova/configure_ksat boolean false
nova-common nova/configure_neutron boolean false
nova-common nova/configure_placement boolean false
nova-api novaapi/configure_db boolean false
nova-api nova/configure_api-endpoint boolean false
neutron-common neutron/configure_db boolean false
neutron-common neutron/configure_rabbit boolean false
neutron-common neutron/configure_ksat boolean false
neutron-common neutron/configure_nova boolean false
neutron-api neutron/configure_api-endpoint boolean false
cinder-common cinder/configure_db boolean false
cinder-common cinder/configure_rabbit boolean false
cinder-common cinder/configure_ksat boolean false
cinder-common cinder/volume_group string
cinder-api cinder/configure_api-endpoint boolean false
heat-common heat/configure_with_debconf boolean false
heat-common heat/configure_db boolean false
heat-common heat/configure_rabbit boolean false
heat-common heat/configure_ksat boolean false
heat-api heat/configure_api-endpoint boolean false
manila-common manila/configure_db boolean false
manila-common manila/configure_rabbit boolean false
manila-common manila/configure_ksat boolean false
manila-api manila/configure_api-endpoint boolean false
barbican-common barbican/configure_db boolean false
barbican-common barbican/configure_rabbit boolean false
barbican-common barbican/configure_ksat boolean false
barbican-api barbican/configure_api-endpoint boolean false
magnum-common magnum/configure_with_debconf boolean false
magnum-common magnum/create_volume_type boolean false
SEED
  for q in configure_db configure_ksat configure_api-endpoint; do echo "freezer-api freezer-api/$q boolean false"; done
  for p in designate octavia mistral watcher zaqar magnum ironic masakari cloudkitty trove aodh; do
    for q in configure_db configure_rabbit configure_ksat; do echo "$p-common $p/$q boolean false"; done
  done
} | debconf-set-selections
# Refuse every service start during the install unless a policy is in place.
prc=/usr/sbin/policy-rc.d
added=
if [ ! -e "$prc" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$prc" && chmod 755 "$prc" && added=1
  trap 'rm -f "$prc"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
[ -n "$added" ] && rm -f "$prc"
# The packages enable their units; nothing of them must run at boot either
# (no-op in a container without systemd).
exit 0
