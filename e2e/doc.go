// Package e2e is the end-to-end suite: rallyforge init and run against a
// real loopback OpenStack (Keystone, Placement, Glance; scripts/cloud/up.sh) with
// the real Rally. Its tests carry the build tag e2e: run them with
// `make e2e` (root, and the packages of scripts/install-deps.sh).
package e2e
