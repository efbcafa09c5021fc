//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/rallyforge/rallyforge/internal/rallyrun"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// images lists every image of the local Glance (as admin, so other
// projects' private images are included) with its status.
func images(t *testing.T) []string {
	t.Helper()
	const py = `import os
from keystoneauth1.identity import v3
from keystoneauth1 import session
from glanceclient import Client
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"],
    username=os.environ["OS_USERNAME"], password=os.environ["OS_PASSWORD"], project_name=os.environ["OS_PROJECT_NAME"],
    user_domain_name="Default", project_domain_name="Default"))
for im in Client("2", session=s, interface="public").images.list():
    print("image", im["id"], im["name"], im["status"], im["owner"])
`
	cmd := exec.Command("/usr/bin/python3", "-c", py)
	cmd.Env = cloud
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("listing glance images: %v\n%s", err, out)
	}
	var l []string
	for _, s := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if s != "" {
			l = append(l, s)
		}
	}
	slices.Sort(l)
	return l
}

// glanceRallyEnv gives Rally the recipe's [openstack] polling settings
// (notes §6) through oslo.config's OS_<GROUP>__<OPTION> variables, which
// Rally reads before its config file: `run` writes that file itself. The
// defaults (2 s sleep before the first poll, counted inside the
// glance_v2.create_image atomic, then 1 s polls) would triple the task's time
// on a Glance that answers in milliseconds.
var glanceRallyEnv = []string{
	"OS_OPENSTACK__GLANCE_IMAGE_CREATE_PREPOLL_DELAY=0.1",
	"OS_OPENSTACK__GLANCE_IMAGE_CREATE_POLL_INTERVAL=0.2",
	"OS_OPENSTACK__GLANCE_IMAGE_DELETE_POLL_INTERVAL=0.2",
}

// TestGlanceSmoke: init on the glance skeleton, then run of the generated
// smoke task on the local Glance. Every workload init generated runs (none
// of them needs Nova or anything else this cloud lacks), passes its SLAs,
// records exactly the atomic actions the catalog promises, and leaves no
// user, project or image behind.
func TestGlanceSmoke(t *testing.T) {
	qemuImg, err := exec.LookPath("qemu-img")
	if err != nil {
		t.Fatal("qemu-img not found (it makes the gate's dummy image); install it with: scripts/cloud/install.sh (as root)")
	}
	dir := testcorpus.Copy(t, "glance")
	// The skeleton's own rally-jobs/ is replaced by what init writes.
	if err := os.RemoveAll(filepath.Join(dir, "rally-jobs")); err != nil {
		t.Fatal(err)
	}
	so, se, code := rf(t, cloud, "init", "--format", "json", "--profile", "smoke", dir)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, se)
	}
	var gen struct {
		Plan plan.Plan `json:"plan"`
	}
	if err := json.Unmarshal([]byte(so), &gen); err != nil {
		t.Fatalf("init --format json: %v\n%s", err, so)
	}
	if gen.Plan.ServiceType != "image" {
		t.Fatalf("init planned for service type %q, want image", gen.Plan.ServiceType)
	}
	var planned []string
	for _, st := range gen.Plan.Subtasks {
		for _, w := range st.Workloads {
			planned = append(planned, w.Scenario)
		}
	}
	if len(planned) == 0 {
		t.Fatal("init planned no workloads for glance")
	}
	// The task reads its image from ~/.rally/extra/dummy_image.qcow2, which
	// rally-openstack's prepare-for-rally-task role creates at the gate
	// (`qemu-img create -f qcow2 … 100M`) after copying rally-jobs/extra
	// there; run maps ~/.rally/extra to rally-jobs/extra, so the same file
	// goes there. Without it upload_data fails (no such file, then no URL).
	extra := filepath.Join(dir, "rally-jobs", "extra")
	if out, err := exec.Command(qemuImg, "create", "-f", "qcow2", filepath.Join(extra, "dummy_image.qcow2"), "100M").CombinedOutput(); err != nil {
		t.Fatalf("qemu-img create: %v\n%s", err, out)
	}

	task := filepath.Join(dir, gen.Plan.TaskFile)
	before := append(identity(t), images(t)...)
	out := t.TempDir()
	start := time.Now()
	so, se, code = rf(t, setenv(cloud, glanceRallyEnv...), "run", "--format", "json", "--state", state, "--out", out, task)
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
	for _, f := range []string{"report.json", "report.html", "junit.xml", "sla.json"} {
		fi, err := os.Stat(filepath.Join(out, f))
		if err != nil || fi.Size() == 0 {
			t.Errorf("result file %s missing or empty: %v", f, err)
		}
	}
	var sla []struct{ Criterion, Status string }
	if b, err := os.ReadFile(filepath.Join(out, "sla.json")); err != nil || json.Unmarshal(b, &sla) != nil {
		t.Errorf("sla.json unreadable: %v", err)
	}
	// failure_rate plus max_avg_duration_per_atomic for each workload.
	if len(sla) < 2*len(planned) {
		t.Errorf("sla.json has %d criteria for %d workloads", len(sla), len(planned))
	}
	for _, s := range sla {
		if s.Status != "PASS" {
			t.Errorf("sla.json: %s is %q", s.Criterion, s.Status)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "junit.xml")); !bytes.Contains(b, []byte("<testsuite")) {
		t.Errorf("junit.xml has no <testsuite>")
	}
	var ran []string
	cat := catalog.MustLoad()
	for _, w := range res.Workloads {
		ran = append(ran, w.Scenario)
		if w.Failed != 0 || w.Iterations == 0 || !w.PassSLA {
			t.Errorf("%s: %d/%d iterations failed, pass_sla %v", w.Scenario, w.Failed, w.Iterations, w.PassSLA)
		}
		sc, ok := cat.Scenario(w.Scenario)
		if !ok {
			t.Errorf("%s: not in the catalog", w.Scenario)
			continue
		}
		// Glance answers image API v2 only, so the catalog's current-version
		// names (glance_v2.*) are the promise.
		if !slices.Equal(sc.Atomics, w.Atomics) {
			t.Errorf("%s: atomics recorded %q, catalog promises %q", w.Scenario, w.Atomics, sc.Atomics)
		}
	}
	if !slices.Equal(planned, ran) {
		t.Errorf("workloads ran %q, init planned %q", ran, planned)
	}
	if after := append(identity(t), images(t)...); !slices.Equal(before, after) {
		t.Errorf("users, projects or images changed by the run:\nbefore %q\nafter  %q", before, after)
	}
	t.Logf("%d glance workloads, atomics match the catalog; setup %.1fs, rally task start %.1fs, exports %.1fs",
		len(res.Workloads), res.SetupSeconds, res.TaskSeconds, res.ExportSeconds)
}
