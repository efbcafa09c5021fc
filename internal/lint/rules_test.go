package lint

import (
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
)

// A scenario whose default context breaks its context's schema is refused
// (Rally validates default contexts too); checked on a catalog copy where
// Dummy.openstack's default users context is made invalid.
func TestDefaultContextChecked(t *testing.T) {
	base := View(true)
	cat := *base
	cat.Scenarios = append([]catalog.Scenario(nil), base.Scenarios...)
	changed := false
	for i := range cat.Scenarios {
		if cat.Scenarios[i].Name == "Dummy.openstack" {
			cat.Scenarios[i].DefaultContext = catalog.Object{{Key: "users@openstack", Value: catalog.Object{{Key: "tenants", Value: "two"}}}}
			changed = true
		}
	}
	if !changed {
		t.Fatal("Dummy.openstack not in the catalog")
	}
	src := "version: 2\ntitle: t\nsubtasks:\n  - title: d\n    scenario:\n      Dummy.openstack: {}\n"
	fs := Source("t.yaml", []byte(src), Options{Catalog: &cat})
	if len(fs) != 1 || fs[0].Rule != "context-config" || !strings.Contains(fs[0].Message, "default context") || fs[0].Line != 6 {
		t.Errorf("got %v", fs)
	}
	if fs := Source("t.yaml", []byte(src), Options{Catalog: base}); len(fs) != 0 {
		t.Errorf("real catalog: %v", fs)
	}
}
