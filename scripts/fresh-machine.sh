#!/usr/bin/env bash
# Proves the README's two commands on a fresh Debian 12 machine: a
# debootstrapped bookworm chroot that has only Go (bind-mounted from the
# host, as a fresh machine of this project has it at /usr/local/go), git,
# make, procps and a C compiler.
# The project's main branch is cloned fresh into it and the commands run
# exactly as the README writes them.
#   scripts/fresh-machine.sh ROOT line1     # README line 1 (host network)
#   scripts/fresh-machine.sh ROOT setup     # make setup: the installs of line 2
#   scripts/fresh-machine.sh ROOT line2     # make test, in its own network
#                                           # namespace (own 127.0.0.1): setup
#                                           # finds everything and only checks
# Run as root. Nothing of the host is changed but ROOT.
set -euo pipefail
root=$1 step=$2
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${RALLYFORGE_SHARED:-$here/../shared}
if [ ! -x "$root/bin/sh" ]; then
  debootstrap --variant=minbase --include=ca-certificates,git,make,gcc,libc6-dev,procps \
    bookworm "$root" http://deb.debian.org/debian
fi
mounts() {
  mkdir -p "$root/usr/local/go" "$root/work/shared"
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  mountpoint -q "$root/sys" || mount --rbind /sys "$root/sys"
  mountpoint -q "$root/dev" || mount --rbind /dev "$root/dev"
  mountpoint -q "$root/usr/local/go" || mount --bind -o ro /usr/local/go "$root/usr/local/go"
  mountpoint -q "$root/work/shared" || mount --bind -o ro "$shared" "$root/work/shared"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # The machine's own trust store: this workplace reaches the registries
  # through a TLS-inspecting egress whose CA every machine here carries.
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
}
mounts
if [ ! -d "$root/work/main/.git" ]; then
  git clone -q --branch "${BRANCH:-main}" "$here" "$root/work/main"
else
  git -C "$root/work/main" fetch -q origin "${BRANCH:-main}"
  git -C "$root/work/main" reset -q --hard FETCH_HEAD
fi
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CI=true TERM=dumb bash -c "cd /work/main && $1"
}
case $step in
  line1) in_root "$(sed -n '/^```sh$/{n;p;q}' "$root/work/main/README.md" | sed 's/ *#.*//')" ;;
  setup) in_root 'make setup' ;;
  line2)
    unshare --net bash -c "ip link set lo up 2>/dev/null || true; $(declare -f in_root); root=$root; in_root \"$(sed -n '/^```sh$/{n;n;p;q}' "$root/work/main/README.md" | sed 's/ *#.*//')\"" ;;
  *) echo "fresh-machine.sh: unknown step $step (line1|setup|line2)" >&2; exit 2 ;;
esac
