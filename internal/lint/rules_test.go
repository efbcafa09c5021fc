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

// The generated catalog's views need no per-run check of default contexts
// (shipped): every scenario's default context names a known context whose
// schema accepts it, in both views. A regenerated catalog that breaks this
// fails here, not silently in lint.
func TestShippedDefaultContexts(t *testing.T) {
	for _, installed := range []bool{false, true} {
		cat := View(installed)
		if !shipped(cat) {
			t.Fatalf("installed=%v: view is not recognised as shipped", installed)
		}
		n := 0
		for _, sc := range cat.Scenarios {
			for _, m := range sc.DefaultContext {
				n++
				p, ok := cat.Context(m.Key)
				if !ok {
					t.Errorf("installed=%v: %s: default context %s unknown", installed, sc.Name, m.Key)
					continue
				}
				if len(p.Schema) == 0 {
					continue
				}
				sch := New(Options{Catalog: cat}).compile(p.Schema)
				if sch == nil {
					t.Errorf("installed=%v: context %s: schema does not compile", installed, m.Key)
					continue
				}
				if err := sch.Validate(roundTrip(m.Value)); err != nil {
					t.Errorf("installed=%v: %s: default context %s invalid: %v", installed, sc.Name, m.Key, err)
				}
			}
		}
		if n < 500 {
			t.Errorf("installed=%v: only %d default contexts", installed, n)
		}
	}
}
