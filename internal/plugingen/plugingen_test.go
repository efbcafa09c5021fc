package plugingen

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// uncovered are the corpus services with an api-ref and no rally-openstack
// scenarios (the list).
var uncovered = []string{"trove", "placement", "masakari", "cyborg", "blazar", "tacker",
	"cloudkitty", "ironic-inspector", "zun", "freezer-api", "monasca-api"}

type generated struct {
	repo, dir string
	plan      *Suite
}

// generateAll writes the plugin and task into a fresh copy of every
// uncovered service, through scaffold's Decide/Apply as the command does.
func generateAll(t *testing.T) (all []generated, empty []string) {
	t.Helper()
	for _, name := range uncovered {
		dir := testcorpus.Copy(t, name)
		det, err := detect.Detect(dir)
		if err != nil || det.ServiceType == nil {
			t.Fatalf("%s: detect: %v %+v", name, err, det)
		}
		p, err := Build(dir, det.Project, *det.ServiceType)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files, err := p.Files()
		if err != nil {
			if len(p.Scenarios) == 0 && p.Operations == 0 {
				empty = append(empty, name)
				continue
			}
			t.Fatalf("%s: %v", name, err)
		}
		changes, err := scaffold.Decide(dir, files, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := scaffold.Apply(dir, changes); err != nil {
			t.Fatal(err)
		}
		all = append(all, generated{repo: name, dir: dir, plan: p})
	}
	return all, empty
}

func TestCorpusPluginsCompileLoadValidate(t *testing.T) {
	testcorpus.Long(t)
	all, empty := generateAll(t)
	if len(all) < len(uncovered)-1 {
		t.Fatalf("only %d of %d services got a plugin (no operations documented: %v)", len(all), len(uncovered), empty)
	}
	var files []string
	var items []rallyoracle.Item
	for _, g := range all {
		py := filepath.Join(g.dir, g.plan.Module())
		files = append(files, py)
		if out, err := exec.Command(rallyoracle.Python, "-m", "py_compile", py).CombinedOutput(); err != nil {
			t.Errorf("%s: py_compile: %v\n%s", g.repo, err, out)
		}
		// Debian's flake8 (scripts/install-deps.sh installs it): the
		// generated module must be clean, marker line included.
		if out, err := exec.Command("flake8", py).CombinedOutput(); err != nil {
			t.Errorf("%s: flake8: %v\n%s", g.repo, err, out)
		}
		items = append(items, rallyoracle.Item{Name: g.repo, Task: filepath.Join(g.dir, g.plan.Task()),
			Plugins: []string{filepath.Join(g.dir, "rally-jobs", "plugins")}})
	}
	loaded := rallyLoad(t, files)
	for i, g := range all {
		var names []string
		if err := json.Unmarshal(loaded[files[i]], &names); err != nil {
			t.Errorf("%s: Rally did not load %s: %s", g.repo, files[i], loaded[files[i]])
			continue
		}
		var want []string
		for _, s := range g.plan.Scenarios {
			want = append(want, s.Name)
		}
		sort.Strings(want)
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("%s: Rally registered %v, plan has %v", g.repo, names, want)
		}
	}
	verdict, err := rallyoracle.Validate(items)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range all {
		if v, ok := verdict[g.repo]; !ok || v != nil {
			t.Errorf("%s: Rally rejects the task: %v", g.repo, deref(v))
		}
	}
	for _, g := range all {
		p := g.plan
		creatable := 0
		for _, r := range p.Resources {
			if r.Creatable() {
				creatable++
			}
		}
		reasons := map[string]int{}
		for _, s := range p.Skipped {
			reasons[strings.SplitN(s.Reason, ":", 2)[0]]++
		}
		t.Logf("| %s | %d ops | %d found | %d offered (%d creatable) | %d scenarios | %d skips %v |",
			g.repo, p.Operations, p.Found, len(p.Resources), creatable, len(p.Scenarios), len(p.Skipped), reasons)
	}
}

func deref(s *string) string {
	if s == nil {
		return "no verdict"
	}
	return *s
}

// rallyLoad loads the plugin modules in one real Rally process
// (testdata/rally_load.py) and returns, per module, the JSON list of the
// scenarios it registered (or what went wrong).
func rallyLoad(t *testing.T, files []string) map[string]json.RawMessage {
	t.Helper()
	cmd := exec.Command(rallyoracle.Python, append([]string{"testdata/rally_load.py"}, files...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("real Rally could not load the plugins: %v", err)
	}
	var loaded map[string]json.RawMessage
	if err := json.Unmarshal(out, &loaded); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return loaded
}
