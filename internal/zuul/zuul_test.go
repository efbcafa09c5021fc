package zuul

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

func testJob(project string, gate bool) Job {
	return Job{
		Name:             project + "-rally",
		Parent:           "rally-task-at-devstack",
		RallyTask:        "rally-jobs/task-" + project + ".yaml",
		DevstackPlugins:  [][2]string{{"rally-openstack", "https://opendev.org/openstack/rally-openstack"}},
		RequiredProjects: []string{"openstack/rally", "openstack/rally-openstack"},
		Timeout:          7200,
		IrrelevantFiles:  []string{`^.*\.rst$`, "^doc/.*$", "^releasenotes/.*$"},
		Gate:             gate,
	}
}

// addedOnly checks that old's lines appear, byte for byte and in order,
// inside new (only insertions happened) and returns the inserted text.
func addedOnly(t *testing.T, path string, old, new []byte) string {
	t.Helper()
	ol, nl := splitLines(old), splitLines(new)
	var added strings.Builder
	i := 0
	for _, l := range nl {
		if i < len(ol) && l == ol[i] {
			i++
			continue
		}
		// A last line without "\n" may have gained one.
		if i == len(ol)-1 && !strings.HasSuffix(ol[i], "\n") && l == ol[i]+"\n" {
			i++
			continue
		}
		added.WriteString(l)
	}
	if i != len(ol) {
		t.Fatalf("%s: original line %d (%q) missing or changed after the edit", path, i+1, ol[i])
	}
	return added.String()
}

type parsed struct {
	jobs    map[string]map[string]any
	project map[string]any
}

func parseConfig(t *testing.T, repo string) parsed {
	t.Helper()
	layout, isDir := Layout(repo)
	var paths []string
	if isDir {
		ents, _ := os.ReadDir(filepath.Join(repo, layout))
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml") {
				paths = append(paths, filepath.Join(repo, layout, e.Name()))
			}
		}
	} else {
		paths = []string{filepath.Join(repo, layout)}
	}
	p := parsed{jobs: map[string]map[string]any{}}
	var files []*file
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var items []map[string]any
		if err := yaml.Unmarshal(data, &items); err != nil {
			t.Fatalf("%s does not parse after the edit: %v", path, err)
		}
		for _, it := range items {
			if j, ok := it["job"].(map[string]any); ok {
				p.jobs[j["name"].(string)] = j
			}
		}
		rel, _ := filepath.Rel(repo, path)
		f, err := parse(filepath.ToSlash(rel), data)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if _, item := projectStanza(files); item != nil {
		var m map[string]any
		if err := item.Decode(&m); err != nil {
			t.Fatal(err)
		}
		p.project = m["project"].(map[string]any)
	}
	return p
}

func pipelineEntry(t *testing.T, project map[string]any, pipeline, name string) (found bool, voting bool) {
	pl, _ := project[pipeline].(map[string]any)
	jobs, _ := pl["jobs"].([]any)
	for _, j := range jobs {
		switch v := j.(type) {
		case string:
			if v == name {
				return true, true
			}
		case map[string]any:
			if opts, ok := v[name]; ok {
				o, _ := opts.(map[string]any)
				if vv, ok := o["voting"].(bool); ok {
					return true, vv
				}
				return true, true
			}
		}
	}
	return false, false
}

func apply(t *testing.T, repo string, edits []Edit) {
	t.Helper()
	for _, e := range edits {
		p := filepath.Join(repo, filepath.FromSlash(e.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, e.New, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCorpusZuulEdits runs the edit on every corpus repository that has a
// Zuul config, in both modes, and checks: the edited files parse, every
// original byte is kept (only insertions), the job is defined with the
// asked parent and listed in check (non-voting) or check+gate (voting), and
// a second run changes nothing.
func TestCorpusZuulEdits(t *testing.T) {
	testcorpus.Long(t)
	n := 0
	for _, name := range testcorpus.Repos(t) {
		if zuulOnlyCopy(t, name) == "" {
			continue
		}
		n++
		for _, gate := range []bool{false, true} {
			repo := zuulOnlyCopy(t, name)
			job := testJob(name, gate)
			edits, err := Edits(repo, job)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(edits) == 0 {
				t.Fatalf("%s: no edits", name)
			}
			for _, e := range edits {
				if e.Old != nil {
					added := addedOnly(t, name+"/"+e.Path, e.Old, e.New)
					if strings.TrimSpace(added) == "" {
						t.Errorf("%s/%s: edit adds nothing", name, e.Path)
					}
				}
			}
			apply(t, repo, edits)
			cfg := parseConfig(t, repo)
			j, ok := cfg.jobs[job.Name]
			if !ok {
				t.Fatalf("%s: job %s not defined after edit", name, job.Name)
			}
			if j["parent"] != job.Parent {
				t.Errorf("%s: parent %v", name, j["parent"])
			}
			vars, _ := j["vars"].(map[string]any)
			if vars["rally_task"] != job.RallyTask {
				t.Errorf("%s: rally_task %v", name, vars["rally_task"])
			}
			if cfg.project == nil {
				t.Fatalf("%s: no project stanza after edit", name)
			}
			found, voting := pipelineEntry(t, cfg.project, "check", job.Name)
			if !found || voting != gate {
				t.Errorf("%s gate=%v: check entry found=%v voting=%v", name, gate, found, voting)
			}
			gfound, _ := pipelineEntry(t, cfg.project, "gate", job.Name)
			if gfound != gate {
				t.Errorf("%s gate=%v: gate entry found=%v", name, gate, gfound)
			}
			again, err := Edits(repo, job)
			if err != nil {
				t.Fatalf("%s second run: %v", name, err)
			}
			if len(again) != 0 {
				t.Errorf("%s: second run not idempotent: %d edits, first %s:\n%s", name, len(again), again[0].Path, again[0].New)
			}
		}
	}
	if n < 30 {
		t.Fatalf("only %d corpus repositories with Zuul config; corpus incomplete?", n)
	}
	t.Logf("%d repositories edited", n)
}

// zuulOnlyCopy extracts just the Zuul configuration of a corpus
// repository (all that Edits reads); "" when it has none.
func zuulOnlyCopy(t *testing.T, name string) string {
	return testcorpus.CopyOnly(t, name, func(rel string) bool {
		top, _, _ := strings.Cut(rel, "/")
		return slices.Contains(layoutNames, top)
	})
}

func TestNoZuulConfigCreatesZuulYaml(t *testing.T) {
	repo := t.TempDir()
	edits, err := Edits(repo, testJob("demo", false))
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) != 1 || edits[0].Path != ".zuul.yaml" || edits[0].Old != nil {
		t.Fatalf("edits: %+v", edits)
	}
	apply(t, repo, edits)
	cfg := parseConfig(t, repo)
	if _, ok := cfg.jobs["demo-rally"]; !ok {
		t.Fatal("job missing")
	}
	if f, v := pipelineEntry(t, cfg.project, "check", "demo-rally"); !f || v {
		t.Fatalf("check entry %v %v", f, v)
	}
}

// Hand-made layouts the corpus lacks: a project without check, a check
// without jobs, a list indented at its key's column, no trailing newline,
// anchors and comments around the insertion.
func TestEditShapes(t *testing.T) {
	cases := map[string]string{
		"templates only":    "- project:\n    templates:\n      - openstack-python3-jobs\n",
		"check no jobs":     "- project:\n    check:\n      fail-fast: true\n    gate:\n      jobs:\n        - x\n",
		"check empty":       "- project:\n    check:\n    gate:\n      jobs:\n        - x\n",
		"flush list":        "- project:\n    check:\n      jobs:\n      - a\n      - b:\n          voting: false\n    gate:\n      jobs:\n      - a\n",
		"no newline":        "- project:\n    check:\n      jobs:\n        - a",
		"anchors":           "- job:\n    name: base-x\n    irrelevant-files: &irr\n      - ^doc/.*$\n\n# the project\n- project:\n    check:\n      jobs:\n        - a:\n            irrelevant-files: *irr\n        # trailing comment in list\n\n    # comment before gate\n    gate:\n      jobs:\n        - a\n",
		"gate without jobs": "- project:\n    templates:\n      - a\n    gate:\n      fail-fast: true\n",
		"two-space":         "- project:\n  check:\n    jobs:\n    - a\n  gate:\n    jobs:\n    - a\n",
	}
	for name, src := range cases {
		for _, gate := range []bool{false, true} {
			repo := t.TempDir()
			if err := os.WriteFile(filepath.Join(repo, ".zuul.yaml"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			job := testJob("demo", gate)
			edits, err := Edits(repo, job)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, e := range edits {
				addedOnly(t, name, e.Old, e.New)
			}
			apply(t, repo, edits)
			cfg := parseConfig(t, repo)
			if _, ok := cfg.jobs["demo-rally"]; !ok {
				t.Fatalf("%s: job missing", name)
			}
			if f, v := pipelineEntry(t, cfg.project, "check", "demo-rally"); !f || v != gate {
				got, _ := os.ReadFile(filepath.Join(repo, ".zuul.yaml"))
				t.Fatalf("%s gate=%v: check entry %v %v\n%s", name, gate, f, v, got)
			}
			if again, _ := Edits(repo, job); len(again) != 0 {
				t.Fatalf("%s: not idempotent", name)
			}
		}
	}
}

func TestBadZuulConfig(t *testing.T) {
	repo := t.TempDir()
	os.WriteFile(filepath.Join(repo, ".zuul.yaml"), []byte("- job:\n    name: [unclosed\n"), 0o644)
	_, err := Edits(repo, testJob("demo", false))
	if err == nil || !strings.Contains(err.Error(), ".zuul.yaml") {
		t.Fatalf("want an error naming .zuul.yaml, got %v", err)
	}
	os.WriteFile(filepath.Join(repo, ".zuul.yaml"), []byte("job: x\n"), 0o644)
	_, err = Edits(repo, testJob("demo", false))
	if err == nil || !strings.Contains(err.Error(), ".zuul.yaml:1:1") {
		t.Fatalf("want a positioned error, got %v", err)
	}
}

func FuzzPlan(f *testing.F) {
	f.Add("- project:\n    check:\n      jobs:\n        - a\n")
	f.Add("- project:\n    templates: [a]\n")
	f.Add("- job:\n    name: x\n- project:\n    check: {jobs: [a]}\n")
	f.Fuzz(func(t *testing.T, src string) {
		repo := t.TempDir()
		os.WriteFile(filepath.Join(repo, ".zuul.yaml"), []byte(src), 0o644)
		edits, err := Edits(repo, testJob("demo", false))
		if err != nil {
			return
		}
		for _, e := range edits {
			if e.Old != nil {
				ol, nl := splitLines(e.Old), splitLines(e.New)
				i := 0
				for _, l := range nl {
					if i < len(ol) && (l == ol[i] || (i == len(ol)-1 && l == ol[i]+"\n")) {
						i++
					}
				}
				if i != len(ol) {
					t.Fatalf("original bytes lost for %q", src)
				}
			}
		}
	})
}

// TestRallyJobs: a job is a Rally job when its parent chain, through the
// repository's own jobs, reaches a rally-openstack rally-task-* job, or
// when it sets vars.rally_task; the task is its own, a local parent's, or
// the upstream job's.
func TestRallyJobs(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zuul.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := `- job:
    name: svc-rally-base
    parent: rally-task-svc
    abstract: true
- job:
    name: svc-rally-a
    parent: svc-rally-base
    vars:
      rally_task: rally-jobs/a.yaml
- job:
    name: svc-rally-b
    parent: svc-rally-a
- job:
    name: svc-own
    parent: devstack
    vars:
      rally_task: rally-jobs/own.yaml
- job:
    name: svc-tempest
    parent: devstack-tempest
- job:
    name: svc-loop
    parent: svc-loop
`
	if err := os.WriteFile(filepath.Join(dir, "zuul.d", "jobs.yaml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	upstream := func(n string) (string, bool) {
		if n == "rally-task-svc" {
			return "rally-jobs/svc.yaml", true
		}
		return "", false
	}
	got, err := RallyJobs(dir, upstream)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, j := range got {
		lines = append(lines, j.Name+" via="+j.Via+" task="+j.Task+" upstream="+map[bool]string{true: "y", false: "n"}[j.TaskUpstream])
	}
	want := []string{
		"svc-rally-base via=rally-task-svc task=rally-jobs/svc.yaml upstream=y",
		"svc-rally-a via=rally-task-svc task=rally-jobs/a.yaml upstream=n",
		"svc-rally-b via=rally-task-svc task=rally-jobs/a.yaml upstream=n",
		"svc-own via= task=rally-jobs/own.yaml upstream=n",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("RallyJobs:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got[0].File != "zuul.d/jobs.yaml" || got[0].Line != 1 {
		t.Errorf("first job at %s:%d", got[0].File, got[0].Line)
	}
}

// TestDevStackOf: DevStack plugins and required projects come from the
// repository's own DevStack jobs — zun's need devstack-plugin-container and
// kuryr-libnetwork (tempest plugins left out); nova's own DevStack plugin is
// only used on subnodes of some jobs and is not taken.
func TestDevStackOf(t *testing.T) {
	zun, err := DevStackOf(testcorpus.Repo(t, "zun"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range zun.Plugins {
		names = append(names, p[0])
	}
	for _, want := range []string{"zun", "kuryr-libnetwork", "devstack-plugin-container"} {
		if !slices.Contains(names, want) {
			t.Errorf("zun: plugins %v lack %s", names, want)
		}
	}
	if slices.Contains(names, "zun-tempest-plugin") {
		t.Errorf("zun: plugins %v include the tempest plugin", names)
	}
	for _, want := range []string{"openstack/kuryr-libnetwork", "openstack/devstack-plugin-container"} {
		if !slices.Contains(zun.RequiredProjects, want) {
			t.Errorf("zun: required projects %v lack %s", zun.RequiredProjects, want)
		}
	}
	nova, err := DevStackOf(testcorpus.Repo(t, "nova"))
	if err != nil {
		t.Fatal(err)
	}
	if nova.Jobs == 0 {
		t.Errorf("nova: no DevStack jobs found")
	}
	// Only nova's QoS job adds neutron's plugin, only subnodes of others
	// nova's own: no plugin is what all its DevStack jobs deploy with.
	if len(nova.Plugins) != 0 {
		t.Errorf("nova: plugins %v, want none (its own and neutron's are used by some jobs only)", nova.Plugins)
	}
}
