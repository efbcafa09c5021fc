package plugingen

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// TestLargeReferences: the rules hold on the largest references of the
// corpus, which rally-openstack covers and the generator was not tuned
// on (hundreds of operations, long names, options rally-openstack itself
// defines): every module compiles, is flake8-clean and loads in the real
// Rally with all its scenarios.
func TestLargeReferences(t *testing.T) {
	testcorpus.Long(t)
	var files []string
	want := map[string]int{}
	for _, c := range []struct{ repo, st string }{
		{"cinder", "block-storage"}, {"nova", "compute"}, {"neutron-lib", "network"},
		{"manila", "shared-file-system"}, {"keystone", "identity"}, {"octavia", "load-balancer"},
	} {
		dir := testcorpus.Copy(t, c.repo)
		p, err := Build(dir, c.repo, c.st)
		if err != nil {
			t.Fatalf("%s: %v", c.repo, err)
		}
		fs, err := p.Files()
		if err != nil {
			t.Fatalf("%s: %v", c.repo, err)
		}
		changes, err := scaffold.Decide(dir, fs, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := scaffold.Apply(dir, changes); err != nil {
			t.Fatal(err)
		}
		py := filepath.Join(dir, p.Module())
		files = append(files, py)
		want[py] = len(p.Scenarios)
		if out, err := exec.Command("flake8", py).CombinedOutput(); err != nil {
			t.Errorf("%s: flake8: %v\n%.2000s", c.repo, err, out)
		}
	}
	loaded := rallyLoad(t, files)
	for _, py := range files {
		var names []string
		if err := json.Unmarshal(loaded[py], &names); err != nil || len(names) != want[py] {
			t.Errorf("%s: Rally loaded %.300s, want %d scenarios", py, loaded[py], want[py])
		}
	}
}
