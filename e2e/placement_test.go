//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rallyforge/rallyforge/internal/plugingen"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// placementObjects lists the resource providers and custom resource classes
// of the local Placement, through the admin's keystoneauth session.
func placementObjects(t *testing.T) []string {
	return adminPy(t, "placement objects", `ef = {"service_type": "placement", "interface": "public"}
for rp in s.get("/resource_providers", endpoint_filter=ef, microversion="1.39").json()["resource_providers"]:
    print("resource_provider", rp["name"])
for rc in s.get("/resource_classes", endpoint_filter=ef, microversion="1.39").json()["resource_classes"]:
    if rc["name"].startswith("CUSTOM_"):
        print("resource_class", rc["name"])
`)
}

// TestPlacementPlugin: the scenarios `rallyforge plugin` generates from
// Placement's api-ref run on a real Placement with every SLA passing,
// record exactly the atomic actions the plan promised, and leave nothing.
func TestPlacementPlugin(t *testing.T) {
	dir := testcorpus.Copy(t, "placement")
	if err := os.RemoveAll(filepath.Join(dir, "rally-jobs")); err != nil {
		t.Fatal(err)
	}
	so, se, code := rf(t, cloud, "plugin", "--format", "json", dir)
	if code != 0 {
		t.Fatalf("plugin exit %d: %s", code, se)
	}
	var gen struct {
		Plan plugingen.Suite `json:"plan"`
	}
	if err := json.Unmarshal([]byte(so), &gen); err != nil {
		t.Fatalf("plugin --format json: %v\n%s", err, so)
	}
	promised := map[string][]string{}
	for _, s := range gen.Plan.Scenarios {
		promised[s.Name] = s.Atomics
	}
	if len(promised) == 0 {
		t.Fatal("plugin generated no scenarios for placement")
	}
	before := placementObjects(t)
	res, _ := runTask(t, cloud, t.TempDir(), filepath.Join(dir, "rally-jobs", "task-placement.yaml"))
	if len(res.Workloads) != len(promised) {
		t.Errorf("%d workloads ran, plugin generated %d scenarios", len(res.Workloads), len(promised))
	}
	for _, w := range res.Workloads {
		if want, ok := promised[w.Scenario]; !ok || !slices.Equal(want, w.Atomics) {
			t.Errorf("%s: atomics recorded %q, plugin promised %q", w.Scenario, w.Atomics, want)
		}
	}
	if after := placementObjects(t); !slices.Equal(before, after) {
		t.Errorf("placement objects changed by the run:\nbefore %q\nafter  %q", before, after)
	}
	t.Logf("%d placement workloads passed; rally task start %.1fs", len(res.Workloads), res.TaskSeconds)
}
