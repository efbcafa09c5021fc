//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// images lists every image of the local Glance (as admin, so other
// projects' private images are included) with its status.
func images(t *testing.T) []string {
	return adminPy(t, "glance images", `from glanceclient import Client
for im in Client("2", session=s, interface="public").images.list():
    print("image", im["id"], im["name"], im["status"], im["owner"])
`)
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
	if _, err := exec.LookPath("qemu-img"); err != nil {
		t.Fatal("qemu-img not found (run makes the gate's dummy image with it); install it with: scripts/cloud/install.sh (as root)")
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
	// (`qemu-img create -f qcow2 … 100M`); run makes it in its state folder
	// (without it upload_data fails: no such file, then no URL). The
	// repository's rally-jobs/extra is not written.
	extra := filepath.Join(dir, "rally-jobs", "extra")
	extraBefore, _ := os.ReadDir(extra)

	task := filepath.Join(dir, gen.Plan.TaskFile)
	before := append(identity(t), images(t)...)
	res, criteria := runTask(t, setenv(cloud, glanceRallyEnv...), t.TempDir(), task)
	// failure_rate plus max_avg_duration_per_atomic for each workload.
	if criteria < 2*len(planned) {
		t.Errorf("sla.json has %d criteria for %d workloads", criteria, len(planned))
	}
	// Glance answers image API v2 only, so the catalog's current-version
	// names (glance_v2.*) are the promise.
	checkCatalogAtomics(t, res)
	var ran []string
	for _, w := range res.Workloads {
		ran = append(ran, w.Scenario)
	}
	if !slices.Equal(planned, ran) {
		t.Errorf("workloads ran %q, init planned %q", ran, planned)
	}
	if extraAfter, _ := os.ReadDir(extra); len(extraAfter) != len(extraBefore) {
		t.Errorf("run wrote into rally-jobs/extra: %d entries before, %d after", len(extraBefore), len(extraAfter))
	}
	if after := append(identity(t), images(t)...); !slices.Equal(before, after) {
		t.Errorf("users, projects or images changed by the run:\nbefore %q\nafter  %q", before, after)
	}
	t.Logf("%d glance workloads, atomics match the catalog; setup %.1fs, rally task start %.1fs, exports %.1fs",
		len(res.Workloads), res.SetupSeconds, res.TaskSeconds, res.ExportSeconds)
}
