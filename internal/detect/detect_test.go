package detect

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

type label struct {
	Name           string   `yaml:"name"`
	Kind           string   `yaml:"kind"`
	ServiceType    *string  `yaml:"service_type"`
	Retired        bool     `yaml:"retired"`
	APIRef         bool     `yaml:"api_ref"`
	ConsoleScripts []string `yaml:"console_scripts"`
	PyScripts      []string `yaml:"pyproject_scripts"`
	RallyTaskFiles []string `yaml:"rally_task_files"`
	ZuulRallyJobs  []string `yaml:"zuul_rally_jobs"`
}

func loadLabels(t testing.TB) []label {
	b, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "corpus", "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Repos []label `yaml:"repos"`
	}
	if err := yaml.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	return l.Repos
}

// TestCorpusLabels: every corpus repository gets kind and service type
// right, and the other labelled facts match.
func TestCorpusLabels(t *testing.T) {
	testcorpus.Long(t)
	labels := loadLabels(t)
	if len(labels) != 45 {
		t.Fatalf("%d labels, want 45", len(labels))
	}
	right := 0
	for _, l := range labels {
		r, err := Detect(testcorpus.Repo(t, l.Name))
		if err != nil {
			t.Errorf("%s: %v", l.Name, err)
			continue
		}
		got := ""
		if r.ServiceType != nil {
			got = *r.ServiceType
		}
		want := ""
		if l.ServiceType != nil && l.Kind == "service" {
			want = *l.ServiceType
		}
		if r.Kind != l.Kind || got != want {
			t.Errorf("%s: kind %s type %q, want %s %q (evidence %v)", l.Name, r.Kind, got, l.Kind, want, r.Evidence)
			continue
		}
		right++
		if r.Project != l.Name {
			t.Errorf("%s: project %q", l.Name, r.Project)
		}
		if r.Retired != l.Retired {
			t.Errorf("%s: retired %v, want %v", l.Name, r.Retired, l.Retired)
		}
		if r.APIRef != l.APIRef {
			t.Errorf("%s: api_ref %v, want %v", l.Name, r.APIRef, l.APIRef)
		}
		scripts := append(append([]string{}, l.ConsoleScripts...), l.PyScripts...)
		sort.Strings(scripts)
		if strings.Join(scripts, ",") != strings.Join(r.ConsoleScripts, ",") {
			t.Errorf("%s: console scripts %v, want %v", l.Name, r.ConsoleScripts, scripts)
		}
		if len(r.Rally.TaskFiles) != len(l.RallyTaskFiles) {
			t.Errorf("%s: %d task files, want %d", l.Name, len(r.Rally.TaskFiles), len(l.RallyTaskFiles))
		}
		if strings.Join(r.Rally.ZuulJobs, ",") != strings.Join(l.ZuulRallyJobs, ",") {
			t.Errorf("%s: zuul jobs %v, want %v", l.Name, r.Rally.ZuulJobs, l.ZuulRallyJobs)
		}
	}
	t.Logf("kind and service_type right on %d/%d repositories", right, len(labels))
}
