package scaffold

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

func mustCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Scenarios) == 0 {
		t.Fatal("embedded catalog has no scenarios (catalog.json not generated yet?)")
	}
	return c
}

func runInit(t testing.TB, dir string, o Options) *Result {
	t.Helper()
	o.Detect = detect.Detect
	o.Catalog = mustCatalog(t)
	res, err := Init(dir, o)
	if err != nil {
		t.Fatalf("init %s: %v", dir, err)
	}
	return res
}

func initAndApply(t testing.TB, dir string, o Options) *Result {
	t.Helper()
	res := runInit(t, dir, o)
	if err := Apply(dir, res.Changes); err != nil {
		t.Fatal(err)
	}
	return res
}

// snapshot records every file under dir (path → content).
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil // dangling symlinks in the corpus
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func demoCopy(t *testing.T) string {
	t.Helper()
	src := filepath.Join(testcorpus.ModuleRoot(), "examples", "demo-service")
	dst := filepath.Join(t.TempDir(), "demo-service")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// The demo service end to end: detected as a service, init writes the
// whole tree and the Zuul job, and a second run changes nothing.
func TestDemoServiceIdempotent(t *testing.T) {
	dir := demoCopy(t)
	before := snapshot(t, dir)
	dry := runInit(t, dir, Options{})
	if got := snapshot(t, dir); len(got) != len(before) {
		t.Fatal("Init without Apply wrote files")
	}
	var diff strings.Builder
	for _, c := range dry.Changes {
		diff.WriteString(c.Diff())
	}
	for _, want := range []string{"+++ b/rally-jobs/task-demo-service.yaml", "+++ b/rally-jobs/README.rst",
		"+++ b/rally-jobs/plugins/__init__.py", "+++ b/zuul.d/rally.yaml", "--- a/zuul.d/project.yaml", "+        - demo-service-rally-task:"} {
		if !strings.Contains(diff.String(), want) {
			t.Errorf("dry-run diff lacks %q", want)
		}
	}
	initAndApply(t, dir, Options{})
	first := snapshot(t, dir)
	second := runInit(t, dir, Options{})
	for _, c := range second.Changes {
		if c.Action != Unchanged {
			t.Errorf("second run: %s %s", c.Action, c.Path)
		}
	}
	if err := Apply(dir, second.Changes); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, dir)
	for k, v := range first {
		if after[k] != v {
			t.Errorf("second run changed %s", k)
		}
	}
	if !strings.Contains(first["zuul.d/rally.yaml"], "demo-service: https://opendev.org/openstack/demo-service") {
		t.Errorf("zuul job lacks the project's devstack plugin:\n%s", first["zuul.d/rally.yaml"])
	}
}

// No-clobber: an edited generated file and a file the user wrote are kept
// without --force; --force overwrites both; an unedited generated file is
// updated when the plan changes (another profile).
func TestNoClobber(t *testing.T) {
	dir := demoCopy(t)
	initAndApply(t, dir, Options{NoZuul: true})
	task := filepath.Join(dir, "rally-jobs", "task-demo-service.yaml")
	orig, _ := os.ReadFile(task)
	edited := bytes.Replace(orig, []byte("times: 40"), []byte("times: 41"), 1)
	if bytes.Equal(edited, orig) {
		t.Fatal("edit did not apply")
	}
	os.WriteFile(task, edited, 0o644)
	own := filepath.Join(dir, "rally-jobs", "extra", "README.rst")
	os.WriteFile(own, []byte("my own notes\n"), 0o644)

	res := initAndApply(t, dir, Options{NoZuul: true, Profile: plan.ProfileSmoke})
	actions := map[string]string{}
	for _, c := range res.Changes {
		actions[c.Path] = c.Action
	}
	if actions["rally-jobs/task-demo-service.yaml"] != KeptEdited {
		t.Errorf("edited task: %s", actions["rally-jobs/task-demo-service.yaml"])
	}
	if actions["rally-jobs/extra/README.rst"] != KeptOwn {
		t.Errorf("user file: %s", actions["rally-jobs/extra/README.rst"])
	}
	if actions["rally-jobs/README.rst"] != Update {
		t.Errorf("unedited generated README with a new profile: %s", actions["rally-jobs/README.rst"])
	}
	if got, _ := os.ReadFile(task); !bytes.Equal(got, edited) {
		t.Error("edited task overwritten without --force")
	}
	if got, _ := os.ReadFile(own); string(got) != "my own notes\n" {
		t.Error("user file overwritten without --force")
	}
	initAndApply(t, dir, Options{NoZuul: true, Profile: plan.ProfileSmoke, Force: true})
	if got, _ := os.ReadFile(task); bytes.Equal(got, edited) || !bytes.Contains(got, []byte("times: 1\n")) {
		t.Error("--force did not regenerate the task")
	}
	if got, _ := os.ReadFile(own); string(got) == "my own notes\n" {
		t.Error("--force did not overwrite the user file")
	}
}

// A symlink in the way that points outside the repository is refused.
func TestSymlinkOutsideRefused(t *testing.T) {
	dir := demoCopy(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "rally-jobs")); err != nil {
		t.Fatal(err)
	}
	_, err := Init(dir, Options{NoZuul: true, Detect: detect.Detect, Catalog: mustCatalog(t)})
	if err == nil || !strings.Contains(err.Error(), "outside") {
		t.Fatalf("want an outside-the-repository error, got %v", err)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Fatal("wrote outside the repository")
	}
}

// Non-service repositories get a NotServiceError that names the kind.
func TestNotAService(t *testing.T) {
	for _, name := range []string{"python-novaclient", "oslo.config"} {
		dir := testcorpus.Repo(t, name)
		_, err := Init(dir, Options{Detect: detect.Detect, Catalog: mustCatalog(t)})
		var ns *NotServiceError
		if !errors.As(err, &ns) {
			t.Errorf("%s: want NotServiceError, got %v", name, err)
			continue
		}
		if ns.Kind == "" || ns.Kind == detect.KindService || strings.Contains(ns.Error(), "\n") {
			t.Errorf("%s: %q", name, ns.Error())
		}
	}
	// --service-type overrides detection.
	dir := testcorpus.Copy(t, "python-novaclient")
	res := runInit(t, dir, Options{ServiceType: "compute", NoZuul: true})
	if res.Plan == nil || res.Plan.ServiceType != "compute" {
		t.Fatalf("override ignored: %+v", res.Plan)
	}
}

// neutron: the generated task covers the scenario groups of its real
// rally-jobs/task-neutron.yaml.
func TestNeutronCoversRealGroups(t *testing.T) {
	real, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "corpus", "rally-tasks", "neutron__rally-jobs__task-neutron.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := scenarioGroups(t, stripJinja(real))
	if len(want) < 4 {
		t.Fatalf("real task groups %v: parse problem", want)
	}
	// Planning reads the repository and writes nothing: the shared
	// read-only unpack is enough.
	res := runInit(t, testcorpus.Repo(t, "neutron"), Options{NoZuul: true})
	got := map[string]bool{}
	for _, st := range res.Plan.Subtasks {
		for _, w := range st.Workloads {
			got[strings.SplitN(w.Scenario, ".", 2)[0]] = true
		}
	}
	for g := range want {
		if !got[g] {
			t.Errorf("generated neutron task lacks scenario group %s (has %v)", g, got)
		}
	}
}

// stripJinja drops {% %} lines and replaces {{ }} with a placeholder, which
// is enough to read a task's structure.
func stripJinja(b []byte) []byte {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "{%") {
			continue
		}
		for {
			i := strings.Index(l, "{{")
			j := strings.Index(l, "}}")
			if i < 0 || j < i {
				break
			}
			l = l[:i] + "x" + l[j+2:]
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n"))
}

func scenarioGroups(t *testing.T, task []byte) map[string]bool {
	t.Helper()
	var doc struct {
		Subtasks []struct {
			Scenario  map[string]any `yaml:"scenario"`
			Workloads []struct {
				Scenario map[string]any `yaml:"scenario"`
			} `yaml:"workloads"`
		} `yaml:"subtasks"`
	}
	if err := yaml.Unmarshal(task, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	add := func(m map[string]any) {
		for k := range m {
			out[strings.SplitN(k, ".", 2)[0]] = true
		}
	}
	for _, st := range doc.Subtasks {
		add(st.Scenario)
		for _, w := range st.Workloads {
			add(w.Scenario)
		}
	}
	return out
}

func TestMarkerRoundTrip(t *testing.T) {
	for _, p := range []string{"a.rst", "b.yaml", "c.py"} {
		data := withMarker(p, []byte("content\n"))
		if ours, edited := generatedState(p, data); !ours || edited {
			t.Errorf("%s: ours=%v edited=%v", p, ours, edited)
		}
		if _, edited := generatedState(p, append(data, "more\n"...)); !edited {
			t.Errorf("%s: edit not noticed", p)
		}
		if ours, _ := generatedState(p, []byte("content\n")); ours {
			t.Errorf("%s: unmarked file taken as ours", p)
		}
		// A file `rallyforge plugin` wrote is ours too.
		if ours, edited := generatedState(p, withMarkerBy(p, "plugin", []byte("content\n"))); !ours || edited {
			t.Errorf("%s: plugin's marker: ours=%v edited=%v", p, ours, edited)
		}
	}
}

// coveredRepos lists the corpus service repositories rally-openstack
// covers (live services whose scenario groups exist in both rally-openstack
// master and the installed release), from labels.yaml.
func coveredRepos(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "corpus", "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Repos []struct {
			Name        string  `yaml:"name"`
			Kind        string  `yaml:"kind"`
			ServiceType *string `yaml:"service_type"`
			Retired     bool    `yaml:"retired"`
			Rally       struct {
				Head      []string `yaml:"namespaces_rally_openstack_head"`
				Installed []string `yaml:"namespaces_rally_openstack_installed"`
			} `yaml:"rally_openstack_scenarios"`
		} `yaml:"repos"`
	}
	if err := yaml.Unmarshal(data, &l); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range l.Repos {
		if r.Kind != "service" || r.ServiceType == nil || r.Retired {
			continue
		}
		both := false
		for _, h := range r.Rally.Head {
			for _, i := range r.Rally.Installed {
				both = both || h == i
			}
		}
		if both {
			out = append(out, r.Name)
		}
	}
	if len(out) != 16 {
		t.Fatalf("%d covered service repositories in the corpus, want 16: %v", len(out), out)
	}
	return out
}

// generated is one init output to validate.
type generated struct {
	repo, task string   // task is absolute
	plugins    []string // the repository's own rally-jobs/plugins, if any
}

// TestInitCoveredServices: init on a copy of each of the 16 covered
// service repositories with rally-jobs/ removed. For the gate profile (with
// the Zuul edit) the job's parent must be a real rally-openstack job and a
// second run must change nothing. Then, helm's "create always passes lint":
// for every profile the generated task must pass rallyforge lint and the
// real Rally's validation (rendered with Rally's Jinja2 renderer,
// TaskConfig, TaskEngine syntax validation) with the repository's own
// rally-jobs/plugins loaded — all tasks in one Rally process.
func TestInitCoveredServices(t *testing.T) {
	testcorpus.Long(t)
	cat := mustCatalog(t)
	out := t.TempDir()
	var all []generated
	for _, name := range coveredRepos(t) {
		dir := testcorpus.Copy(t, name)
		os.RemoveAll(filepath.Join(dir, "rally-jobs"))
		res := initAndApply(t, dir, Options{})
		if res.Detected.Kind != detect.KindService {
			t.Errorf("%s detected as %s", name, res.Detected.Kind)
		}
		if _, ok := cat.ZuulJob(res.Plan.Zuul.Parent); !ok {
			t.Errorf("%s: Zuul parent %s is not a rally-openstack job", name, res.Plan.Zuul.Parent)
		}
		for _, c := range runInit(t, dir, Options{}).Changes {
			if c.Action != Unchanged {
				t.Errorf("%s: second run would %s %s", name, c.Action, c.Path)
			}
		}
		var plugins []string
		if p := filepath.Join(testcorpus.Repo(t, name), "rally-jobs", "plugins"); isDir(p) {
			plugins = append(plugins, p)
		}
		for _, prof := range plan.Profiles {
			r := res
			if prof != plan.ProfileGate {
				r = initAndApply(t, dir, Options{Profile: prof, NoZuul: true, Force: true})
			}
			task, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Plan.TaskFile)))
			if err != nil {
				t.Fatal(err)
			}
			keep := filepath.Join(out, name+"-"+prof+".yaml")
			if err := os.WriteFile(keep, task, 0o644); err != nil {
				t.Fatal(err)
			}
			all = append(all, generated{repo: name + "/" + prof, task: keep, plugins: plugins})
		}
	}
	lintClean(t, all)
	rallyAccepts(t, all)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Repositories that already have rally-jobs/ keep every file there: init
// only creates what is missing (and reports the rest) unless --force.
func TestExistingRallyJobsKept(t *testing.T) {
	n := 0
	for _, name := range coveredRepos(t) {
		dir := testcorpus.Repo(t, name)
		if !isDir(filepath.Join(dir, "rally-jobs")) {
			continue
		}
		n++
		res := runInit(t, dir, Options{NoZuul: true})
		for _, c := range res.Changes {
			_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(c.Path)))
			exists := err == nil
			if exists && c.Writes() {
				t.Errorf("%s: would overwrite existing %s (%s)", name, c.Path, c.Action)
			}
			if exists && c.Action != KeptOwn && c.Action != Unchanged {
				t.Errorf("%s: existing %s reported as %s", name, c.Path, c.Action)
			}
			if !exists && c.Action != Create {
				t.Errorf("%s: missing %s reported as %s", name, c.Path, c.Action)
			}
		}
		forced := runInit(t, dir, Options{NoZuul: true, Force: true})
		for _, c := range forced.Changes {
			if c.Action == KeptOwn || c.Action == KeptEdited {
				t.Errorf("%s: --force still keeps %s", name, c.Path)
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d covered repositories with rally-jobs/", n)
	}
}

// zuulFiles reads every Zuul configuration file of dir.
func zuulFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, n := range []string{"zuul.yaml", ".zuul.yaml", "zuul.d", ".zuul.d"} {
		p := filepath.Join(dir, n)
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		paths := []string{p}
		if fi.IsDir() {
			paths, _ = filepath.Glob(filepath.Join(p, "*"))
		}
		for _, f := range paths {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = string(b)
		}
	}
	return out
}

// TestExistingRallyJobsNoNewJob: the corpus repositories that already run
// Rally at the gate get no new job — their Zuul files are byte-identical
// after init — and init names each Rally job with the task it runs; only
// missing rally-jobs/ files are written, never the task the jobs run.
func TestExistingRallyJobsNoNewJob(t *testing.T) {
	want := map[string][]string{
		"cinder":  {"cinder-rally-task"},
		"neutron": {"neutron-ovs-rally-task", "neutron-ovn-rally-task"},
		"manila":  {"manila-rally-no-ss", "manila-rally-ss"},
		"glance":  {"glance-rally-task-uwsgi"},
		"mistral": {"mistral-rally-task"},
	}
	for name, jobs := range want {
		dir := testcorpus.Copy(t, name)
		before := zuulFiles(t, dir)
		res := initAndApply(t, dir, Options{})
		after := zuulFiles(t, dir)
		if len(before) == 0 {
			t.Errorf("%s: no Zuul files", name)
		}
		for f, b := range before {
			if after[f] != b {
				t.Errorf("%s: init changed %s", name, f)
			}
		}
		if len(after) != len(before) {
			t.Errorf("%s: init added Zuul files (%d → %d)", name, len(before), len(after))
		}
		var got []string
		for _, j := range res.Plan.RallyJobs {
			got = append(got, j.Name)
			if j.Task == "" {
				t.Errorf("%s: job %s: no task found", name, j.Name)
			}
		}
		for _, j := range jobs {
			if !slices.Contains(got, j) {
				t.Errorf("%s: Rally job %s not found (found %v)", name, j, got)
			}
			mentioned := false
			for _, n := range res.Notes {
				if strings.Contains(n, j) && strings.Contains(n, " runs ") {
					mentioned = true
				}
			}
			if !mentioned {
				t.Errorf("%s: init's notes do not name job %s and its task: %q", name, j, res.Notes)
			}
		}
		if res.Plan.AddZuul {
			t.Errorf("%s: plan still adds a Zuul job", name)
		}
		if !res.Plan.TaskKept {
			t.Errorf("%s: the task the jobs run (%s) is not kept", name, res.Plan.TaskFile)
		}
		for _, c := range res.Changes {
			if c.Path == res.Plan.TaskFile && c.Writes() {
				t.Errorf("%s: init writes the jobs' task %s", name, c.Path)
			}
		}
	}
}

// TestInitNamesParentRisk: init's output names a parent job rally-openstack
// runs in none of its pipelines (heat's today) as a risk, and none for a
// parent it runs (nova's).
func TestInitNamesParentRisk(t *testing.T) {
	for name, risky := range map[string]bool{"heat": true, "nova": false} {
		dir := testcorpus.CopyOnly(t, name, func(rel string) bool {
			top, _, _ := strings.Cut(rel, "/")
			return top != "rally-jobs"
		})
		res := runInit(t, dir, Options{})
		found := false
		for _, n := range res.Notes {
			if strings.Contains(n, "risk") && strings.Contains(n, res.Plan.Zuul.Parent) {
				found = true
			}
		}
		if found != risky {
			t.Errorf("%s: parent %s, risk named %v, want %v (notes %q)", name, res.Plan.Zuul.Parent, found, risky, res.Notes)
		}
	}
}
