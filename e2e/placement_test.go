//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/plugingen"
	"github.com/rallyforge/rallyforge/internal/rallyrun"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// placementObjects lists the resource providers and custom resource classes
// of the local Placement, through the admin's keystoneauth session.
func placementObjects(t *testing.T) []string {
	t.Helper()
	const py = `import os
from keystoneauth1.identity import v3
from keystoneauth1 import session
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"],
    username=os.environ["OS_USERNAME"], password=os.environ["OS_PASSWORD"], project_name=os.environ["OS_PROJECT_NAME"],
    user_domain_name="Default", project_domain_name="Default"))
ef = {"service_type": "placement", "interface": "public"}
for rp in s.get("/resource_providers", endpoint_filter=ef, microversion="1.39").json()["resource_providers"]:
    print("resource_provider", rp["name"])
for rc in s.get("/resource_classes", endpoint_filter=ef, microversion="1.39").json()["resource_classes"]:
    if rc["name"].startswith("CUSTOM_"):
        print("resource_class", rc["name"])
`
	cmd := exec.Command("/usr/bin/python3", "-c", py)
	cmd.Env = cloud
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("listing placement objects: %v\n%s", err, out)
	}
	l := strings.Fields(strings.TrimSpace(string(out)))
	slices.Sort(l)
	return l
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
		Plan plugingen.Plan `json:"plan"`
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
	out := t.TempDir()
	start := time.Now()
	so, se, code = rf(t, cloud, "run", "--format", "json", "--state", state, "--out", out,
		filepath.Join(dir, "rally-jobs", "task-placement.yaml"))
	timing[t.Name()+" run"] = time.Since(start)
	if code != 0 {
		t.Fatalf("run exit %d\nstdout: %s\nstderr: %s", code, so, se)
	}
	var res rallyrun.Result
	if err := json.Unmarshal([]byte(so), &res); err != nil {
		t.Fatalf("run --format json: %v\n%s", err, so)
	}
	if !res.PassSLA {
		t.Errorf("SLA did not pass")
	}
	if len(res.Workloads) != len(promised) {
		t.Errorf("%d workloads ran, plugin generated %d scenarios", len(res.Workloads), len(promised))
	}
	for _, w := range res.Workloads {
		if w.Failed != 0 || w.Iterations == 0 || !w.PassSLA {
			t.Errorf("%s: %d/%d iterations failed, pass_sla %v", w.Scenario, w.Failed, w.Iterations, w.PassSLA)
		}
		if want, ok := promised[w.Scenario]; !ok || !slices.Equal(want, w.Atomics) {
			t.Errorf("%s: atomics recorded %q, plugin promised %q", w.Scenario, w.Atomics, want)
		}
	}
	if after := placementObjects(t); !slices.Equal(before, after) {
		t.Errorf("placement objects changed by the run:\nbefore %q\nafter  %q", before, after)
	}
	t.Logf("%d placement workloads passed; rally task start %.1fs", len(res.Workloads), res.TaskSeconds)
}
