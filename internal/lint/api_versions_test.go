package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// apiVersionCases are api_versions context configs; the installed-view
// verdicts are checked against the real Rally, the master ones are stated
// from master's osclients (CinderSpec: cinderclient microversions up to
// MAX_VERSION 3.70).
var apiVersionCases = []struct {
	cfg         string
	masterValid bool
}{
	{`nova: {version: 2.2}`, true},
	{`nova: {version: "2.latest"}`, true},
	{`nova: {version: 2}`, true},
	{`nova: {version: 3.1}`, false},
	{`nova: {version: "2.x"}`, false},
	{`cinder: {version: 3.1, service_type: volumev3}`, true},
	{`cinder: {version: 3}`, true},
	{`cinder: {version: 2}`, true},     // master replaces 2 by 3
	{`cinder: {version: 3.99}`, false}, // above cinderclient's MAX_VERSION
	{`cinder: {version: 3.0}`, true},
	{`glance: {version: 2}`, true},
	{`glance: {version: 2.0}`, false}, // str(2.0) is "2.0", not "2"
	{`glance: {version: "3"}`, false},
	{`neutron: {version: 2.0}`, true},
	{`keystone: {service_type: identity}`, false}, // no default service type
	{`keystone: {version: 3}`, true},
	{`sahara: {version: 1}`, false}, // 2.2.0: str(float(1)) = "1.0" is supported; master has no sahara client
	{`manila: {version: "2.40"}`, true},
	{`manila: {version: 2}`, false}, // manilaclient does not read "2" as "2.0"
	{`swift: {version: 1}`, false},  // no supported versions
	{`novaa: {version: 2}`, false},  // no such client
}

func apiVersionsTask(cfg string) string {
	return fmt.Sprintf(`---
version: 2
title: api versions
subtasks:
- title: t
  scenario:
    Dummy.openstack: {}
  runner:
    constant: {times: 1, concurrency: 1}
  contexts:
    users: {tenants: 1, users_per_tenant: 1}
    api_versions:
      %s
  sla:
    failure_rate: {max: 0}
`, cfg)
}

// TestAPIVersionsAgreesWithRally: check_api_versions as the real Rally
// (2.2.0) judges it, and master's verdicts in the default view.
func TestAPIVersionsAgreesWithRally(t *testing.T) {
	testcorpus.Long(t)
	dir := t.TempDir()
	var items []rallyoracle.Item
	for i, c := range apiVersionCases {
		p := filepath.Join(dir, fmt.Sprintf("case%02d.yaml", i))
		if err := os.WriteFile(p, []byte(apiVersionsTask(c.cfg)), 0o644); err != nil {
			t.Fatal(err)
		}
		items = append(items, rallyoracle.Item{Name: p, Task: p, Cwd: dir})
	}
	rally, err := rallyoracle.Validate(items)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range apiVersionCases {
		p := items[i].Task
		v, ok := rally[p]
		if !ok {
			t.Fatalf("%s: no verdict from Rally", c.cfg)
		}
		fi, _ := File(p, Options{Catalog: View(true)})
		if got, want := HasErrors(fi), v != nil; got != want {
			t.Errorf("%s: lint --catalog installed error=%v, Rally 2.2.0 rejects=%v\n  rally: %s\n  lint: %s", c.cfg, got, want, str(v), findingsText(fi))
		}
		if v != nil && !strings.Contains(*v, "api_versions") && !strings.Contains(*v, "Invalid settings") {
			t.Logf("%s: Rally: %s", c.cfg, *v)
		}
		fm, _ := File(p, Options{})
		if got := HasErrors(fm); got == c.masterValid {
			t.Errorf("%s: lint (master) error=%v, want %v: %s", c.cfg, got, !c.masterValid, findingsText(fm))
		}
		for _, f := range append(fi, fm...) {
			if f.Severity == Error && f.Rule != "context-config" {
				t.Errorf("%s: unexpected rule: %s", c.cfg, f)
			}
		}
	}
}
