package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// TestSchemaDraftsAgreeWithRally: Rally checks a plugin config with
// jsonschema.validate, whose draft comes from the schema's "$schema"
// (draft-07 for the rps runner and several SLAs, 2020-12 for contexts that
// declare none): a numeric exclusiveMinimum is a bound there, and 1.0 is an
// integer. Each case is judged by the real Rally and by lint --catalog
// installed; the verdicts must agree.
func TestSchemaDraftsAgreeWithRally(t *testing.T) {
	testcorpus.Long(t)
	cases := []struct{ runner, sla, ctx string }{
		{`constant: {times: 1, concurrency: 1}`, `max_avg_duration: 0`, ``},
		{`constant: {times: 1, concurrency: 1}`, `max_avg_duration: 0.5`, ``},
		{`constant: {times: 1, concurrency: 1}`, `max_seconds_per_iteration: 0`, ``},
		{`constant: {times: 1, concurrency: 1}`, `outliers: {sigmas: 0}`, ``},
		{`constant: {times: 1, concurrency: 1}`, `outliers: {max: 1.0}`, ``},
		{`rps: {times: 1, rps: 0}`, ``, ``},
		{`rps: {times: 1, rps: 0.5}`, ``, ``},
		{`rps: {times: 1.0, rps: 1}`, ``, ``},
		{`constant: {times: 1.0, concurrency: 1}`, ``, ``}, // draft-04: 1.0 is not an integer
		{`constant: {times: 2, concurrency: 1}`, `performance_degradation: {max_degradation: 0}`, ``},
		{`constant: {times: 2, concurrency: 1}`, `performance_degradation: {max_degradation: -1}`, ``},
		{`constant: {times: 1, concurrency: 1}`, ``, `users: {tenants: 1.0, users_per_tenant: 1}`},
	}
	dir := t.TempDir()
	var items []rallyoracle.Item
	for i, c := range cases {
		sla := "failure_rate: {max: 0}"
		if c.sla != "" {
			sla += "\n    " + c.sla
		}
		ctx := "users: {tenants: 1, users_per_tenant: 1}"
		if c.ctx != "" {
			ctx = c.ctx
		}
		src := fmt.Sprintf("---\nversion: 2\ntitle: drafts\nsubtasks:\n- title: t\n  scenario:\n    Dummy.dummy: {}\n  runner:\n    %s\n  contexts:\n    %s\n  sla:\n    %s\n", c.runner, ctx, sla)
		p := filepath.Join(dir, fmt.Sprintf("case%02d.yaml", i))
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		items = append(items, rallyoracle.Item{Name: p, Task: p, Cwd: dir})
	}
	rally, err := rallyoracle.Validate(items)
	if err != nil {
		t.Fatal(err)
	}
	rejected := 0
	for i, c := range cases {
		v, ok := rally[items[i].Task]
		if !ok {
			t.Fatalf("case %d: no verdict from Rally", i)
		}
		if v != nil {
			rejected++
		}
		fi, _ := File(items[i].Task, Options{Catalog: View(true)})
		if got, want := HasErrors(fi), v != nil; got != want {
			t.Errorf("%+v: lint --catalog installed error=%v, Rally rejects=%v\n  rally: %s\n  lint: %s", c, got, want, str(v), findingsText(fi))
		}
	}
	if rejected < 4 || rejected == len(cases) {
		t.Errorf("Rally rejected %d of %d cases: the cases no longer exercise both verdicts", rejected, len(cases))
	}
	t.Logf("Rally rejects %d of %d; lint agrees on all", rejected, len(cases))
}
