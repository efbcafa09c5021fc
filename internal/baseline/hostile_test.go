package baseline

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// The atomic action names baseline writes are read back by PyYAML, after
// Rally's Jinja2 pass, as the same strings, in YAML block, YAML flow and
// JSON tasks. Names PyYAML reads otherwise unquoted: a tab, yes, on, 1.5,
// null, and Jinja2 delimiters.
func TestWrittenNamesReadBackByPyYAML(t *testing.T) {
	testcorpus.Long(t)
	names := []string{"yes", "On", "1.5", "null", "a\tb", "{{ x }}", "{% if %}", "a: b", "#c", "~", "é.ç", "2025-01-01"}
	raw, err := os.ReadFile(sample(t, "keystone-basic.report.json"))
	if err != nil {
		t.Fatal(err)
	}
	tasks := map[string]string{
		"block.yaml": "version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      KeystoneBasic.create_user: {}\n    sla:\n      failure_rate:\n        max: 0\n",
		"flow.yaml":  "{version: 2, title: t, subtasks: [{title: a, scenario: {KeystoneBasic.create_user: {}}, sla: {failure_rate: {max: 0}}}]}\n",
		"task.json":  `{"version": 2, "title": "t", "subtasks": [{"title": "a", "scenario": {"KeystoneBasic.create_user": {}}, "sla": {"failure_rate": {"max": 0}}}]}` + "\n",
	}
	dir := t.TempDir()
	for _, name := range names {
		q, _ := json.Marshal(name)
		res := filepath.Join(dir, "r.json")
		os.WriteFile(res, []byte(strings.ReplaceAll(string(raw), `"keystone_v3.create_user"`, string(q))), 0o644)
		for tn, src := range tasks {
			p := filepath.Join(dir, tn)
			os.WriteFile(p, []byte(src), 0o644)
			r, err := Propose(p, res, Defaults)
			if err != nil {
				t.Fatalf("%q %s: %v", name, tn, err)
			}
			py := `import sys, json, yaml, jinja2
d = yaml.safe_load(jinja2.Environment().from_string(open(sys.argv[1]).read()).render())
print(json.dumps(list(d["subtasks"][0]["sla"]["max_avg_duration_per_atomic"])))`
			os.WriteFile(p, r.New, 0o644)
			out, err := exec.Command("/usr/bin/python3", "-c", py, p).CombinedOutput()
			if err != nil {
				t.Errorf("%q %s: PyYAML: %v\n%s\n%s", name, tn, err, out, r.New)
				continue
			}
			var keys []string
			json.Unmarshal(out, &keys)
			if len(keys) != 1 || keys[0] != name {
				t.Errorf("%q %s: PyYAML reads the keys as %q\n%s", name, tn, keys, r.New)
			}
			if tn == "task.json" && !json.Valid(r.New) {
				t.Errorf("%q: the JSON task is no longer JSON:\n%s", name, r.New)
			}
		}
	}
}

// A task edited by someone else between Plan and Write is not overwritten:
// the other edit survives and Write says so.
func TestWriteRefusesConcurrentEdit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "task.yaml")
	src := "version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      KeystoneBasic.create_user: {}\n"
	os.WriteFile(p, []byte(src), 0o644)
	res, err := Propose(p, sample(t, "keystone-basic.report.json"), Defaults)
	if err != nil || !res.Changed {
		t.Fatalf("%v %+v", err, res)
	}
	other := src + "# someone else's line\n"
	os.WriteFile(p, []byte(other), 0o644)
	if err := Write(res); !errors.Is(err, fsutil.ErrChanged) {
		t.Errorf("Write over a changed task: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != other {
		t.Errorf("the other edit is lost:\n%s", b)
	}
	os.WriteFile(p, []byte(src), 0o644)
	if err := Write(res); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != string(res.New) {
		t.Errorf("not written:\n%s", b)
	}
}

// --margin must be a finite number: Inf wrote NaN budgets.
func TestMarginMustBeFinite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "task.yaml")
	os.WriteFile(p, []byte("version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      KeystoneBasic.create_user: {}\n"), 0o644)
	for _, m := range []float64{math.Inf(1), math.Inf(-1), math.NaN(), -1, 0} {
		o := Defaults
		o.Margin = m
		var ie *InputError
		if _, err := Propose(p, sample(t, "keystone-basic.report.json"), o); !errors.As(err, &ie) {
			t.Errorf("--margin %g: %v", m, err)
		}
	}
}
