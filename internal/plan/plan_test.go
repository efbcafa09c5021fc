package plan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"github.com/rallyforge/rallyforge/internal/zuul"
	"go.yaml.in/yaml/v3"
)

func mustCatalog(t *testing.T) *catalog.Catalog {
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

// TestGateTableAgainstCatalog checks every curated entry against the
// generated catalog: the scenario exists in rally-openstack master and in
// the installed release, its arguments are parameters of the scenario,
// every required parameter and required context can be filled.
func TestGateTableAgainstCatalog(t *testing.T) {
	c := mustCatalog(t)
	for st, entries := range gateTable() {
		for _, e := range entries {
			sc, ok := c.Scenario(e.Scenario)
			if !ok {
				t.Errorf("%s: %s not in the catalog", st, e.Scenario)
				continue
			}
			if !sc.HasSource(catalog.SourceMaster) || !sc.HasSource(catalog.SourceInstalled) {
				t.Errorf("%s: %s is not in both master and installed (sources %v)", st, e.Scenario, sc.Sources)
			}
			if _, _, err := workload(e, sc, sizes[ProfileGate], quotaSchema(c)); err != nil {
				t.Errorf("%s: %v", st, err)
			}
			for k := range e.Contexts {
				if _, ok := c.Context(k); !ok {
					t.Errorf("%s: %s: context %q not in the catalog", st, e.Scenario, k)
				}
			}
		}
	}
	for k := range contextDefaults() {
		if _, ok := c.Context(k); !ok {
			t.Errorf("context default %q: no such context in the catalog", k)
		}
	}
}

// The 16 service types rally-openstack covers in the corpus must each get
// a plan with workloads, in every profile.
func TestBuildCorpusServices(t *testing.T) {
	c := mustCatalog(t)
	labels := corpusLabels(t)
	n := 0
	for _, r := range labels {
		if !r.covered() {
			continue
		}
		n++
		for _, prof := range Profiles {
			p, err := Build(Facts{Project: r.Name, ServiceType: r.ServiceType}, c, Options{Profile: prof})
			if err != nil {
				t.Errorf("%s %s: %v", r.Name, prof, err)
				continue
			}
			for _, sk := range p.Skipped {
				if prof != ProfileScale || !strings.Contains(sk, "quota/flavor churn") {
					t.Errorf("%s %s: skipped %v", r.Name, prof, sk)
				}
			}
			for _, st := range p.Subtasks {
				for _, w := range st.Workloads {
					sc, _ := c.Scenario(w.Scenario)
					// Rally's max_avg_duration_per_atomic sees only top-level
					// actions: every budget is one, and every top-level
					// action the workload records on every run has a budget;
					// one timed only under a condition (an argument, a
					// context, the cloud's answer) has none: the run may
					// never record it.
					var budgeted []string
					for _, a := range w.SLA.PerAtomic {
						budgeted = append(budgeted, a.Atomic)
						if place, parent := sc.AtomicPlace(a.Atomic); place != catalog.AtomicTop {
							t.Errorf("%s %s: %s budgets %s, %s (in %q): Rally never checks it", r.Name, prof, w.Scenario, a.Atomic, place, parent)
						}
					}
					var want []string
					for _, a := range sc.TopLevelAtomics() {
						if contains(sc.AlwaysAtomics(), a) {
							want = append(want, a)
						}
					}
					if strings.Join(budgeted, ",") != strings.Join(want, ",") {
						t.Errorf("%s %s: %s budgets %v, want the top-level actions it records on every run %v", r.Name, prof, w.Scenario, budgeted, want)
					}
					// smoke uses Rally's own default users context (1x1), so an
					// env's existing users are used; other profiles size it.
					if _, ok := w.Contexts["users"]; ok == (prof == ProfileSmoke) {
						t.Errorf("%s %s: %s users context present=%v", r.Name, prof, w.Scenario, ok)
					}
				}
			}
			if _, ok := c.ZuulJob(p.Zuul.Parent); !ok {
				t.Errorf("%s: parent %s not a rally-openstack job", r.Name, p.Zuul.Parent)
			}
		}
	}
	if n != 16 {
		t.Errorf("%d covered service repositories in the corpus labels, want 16", n)
	}
}

// Quota keys in plans are real keys of the quotas context schema, and the
// network plan lifts the network quotas its workloads consume.
func TestQuotasUseRealKeys(t *testing.T) {
	c := mustCatalog(t)
	schema := quotaSchema(c)
	if len(schema["neutron"]) == 0 || len(schema["nova"]) == 0 {
		t.Fatalf("quotas context schema lacks neutron/nova sections: %v", schema)
	}
	p, err := Build(Facts{Project: "x", ServiceType: "network"}, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, st := range p.Subtasks {
		for _, w := range st.Workloads {
			q, _ := w.Contexts["quotas"].(map[string]any)
			for sec, keys := range q {
				for k := range keys.(map[string]any) {
					var names []string
					for _, qk := range schema[sec] {
						names = append(names, qk.Name)
					}
					if !contains(names, k) {
						t.Errorf("%s: quota %s.%s is not in the quotas context schema", w.Scenario, sec, k)
					}
					seen[sec+"."+k] = true
				}
			}
		}
	}
	for _, want := range []string{"neutron.network", "neutron.subnet", "neutron.port", "neutron.router", "neutron.security_group"} {
		if !seen[want] {
			t.Errorf("network plan never lifts %s (saw %v)", want, seen)
		}
	}
}

// The quotas context only lifts quotas to unlimited. A section whose
// schema forbids -1 (designate's: finite per-project limits) is left
// alone: Rally's admin sets it on each context tenant from its own
// project, and Designate refuses a quota update on another project
// unless the request carries x-auth-all-projects (its api-ref's note on
// PATCH /v2/quotas/{project_id}), which Rally's designate client never
// sends; every workload with it failed its context setup ("forbidden").
func TestQuotasOnlyUnlimited(t *testing.T) {
	c := mustCatalog(t)
	for _, typ := range []string{"dns", "compute", "network", "block-storage", "shared-file-system"} {
		for _, prof := range Profiles {
			p, err := Build(Facts{Project: "x", ServiceType: typ}, c, Options{Profile: prof})
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range p.Subtasks {
				for _, w := range st.Workloads {
					q, _ := w.Contexts["quotas"].(map[string]any)
					for sec, keys := range q {
						for k, v := range keys.(map[string]any) {
							if v != -1 {
								t.Errorf("%s %s: quota %s.%s = %v, want -1 (unlimited) or no entry", prof, w.Scenario, sec, k, v)
							}
						}
					}
				}
			}
		}
	}
}

// A workload that consumes a quota Rally cannot lift (designate's zones:
// a finite per-project limit, 10 by default) runs as few iterations as a
// heavy one, as rally-openstack's own designate job does (4 x 2 over two
// tenants); the gate's 40 zones over 2 tenants would overrun it. Its
// budget stays that of an API call.
func TestFiniteQuotaRunsFew(t *testing.T) {
	c := mustCatalog(t)
	p, err := Build(Facts{Project: "designate", ServiceType: "dns"}, c, Options{Profile: ProfileGate})
	if err != nil {
		t.Fatal(err)
	}
	gate := sizes[ProfileGate]
	seen := 0
	for _, st := range p.Subtasks {
		for _, w := range st.Workloads {
			sc, _ := c.Scenario(w.Scenario)
			if !slices.Contains(sc.Atomics, "designate.create_zone") {
				if w.Runner != gate.light {
					t.Errorf("%s creates no zone: runner %+v, want the light %+v", w.Scenario, w.Runner, gate.light)
				}
				continue
			}
			seen++
			if w.Runner != gate.heavy {
				t.Errorf("%s: runner %+v, want the heavy %+v", w.Scenario, w.Runner, gate.heavy)
			}
			for _, b := range w.SLA.PerAtomic {
				if b.Seconds != gate.lightSLA {
					t.Errorf("%s: budget %v on %s, want an API call's %v", w.Scenario, b.Seconds, b.Atomic, gate.lightSLA)
				}
			}
		}
	}
	if seen != 2 {
		t.Fatalf("%d designate workloads create zones, want 2 (create_and_delete_zone, create_and_list_zones)", seen)
	}
	p, err = Build(Facts{Project: "neutron", ServiceType: "network"}, c, Options{Profile: ProfileGate})
	if err != nil {
		t.Fatal(err)
	}
	if w := p.Subtasks[0].Workloads[0]; w.Runner != gate.light {
		t.Errorf("%s: runner %+v; lifted quotas keep the light runner", w.Scenario, w.Runner)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestParentJob(t *testing.T) {
	c := mustCatalog(t)
	if len(c.ZuulJobs) == 0 {
		t.Fatal("catalog has no Zuul jobs")
	}
	if _, ok := c.ZuulJob(DefaultParent); !ok {
		t.Fatalf("%s not in the catalog's Zuul jobs", DefaultParent)
	}
	for _, j := range c.ZuulJobs {
		rest, ok := strings.CutPrefix(j.Name, "rally-task-")
		if !ok || j.Abstract || strings.Contains(rest, "-") {
			continue
		}
		// The exact job, unless rally-openstack runs it in no pipeline and
		// runs a more specific one of the project (manila-no-ss).
		got := ParentJob(c, rest)
		if g, _ := c.ZuulJob(got); got != j.Name && (len(j.Pipelines) > 0 || len(g.Pipelines) == 0 || !strings.HasPrefix(got, j.Name+"-")) {
			t.Errorf("ParentJob(%s) = %s, want %s", rest, got, j.Name)
		}
	}
	if got := ParentJob(c, "no-such-project"); got != DefaultParent {
		t.Errorf("unknown project parent %s", got)
	}
}

func TestUnknownProfileAndUncovered(t *testing.T) {
	c := mustCatalog(t)
	if _, err := Build(Facts{Project: "x", ServiceType: "compute"}, c, Options{Profile: "huge"}); err == nil {
		t.Error("unknown profile accepted")
	}
	if _, err := Build(Facts{Project: "x", ServiceType: "placement"}, c, Options{}); err == nil || !strings.Contains(err.Error(), ErrNotCovered.Error()) {
		t.Errorf("uncovered service: %v", err)
	}
}

func TestReadFactsDemoService(t *testing.T) {
	dir := filepath.Join(testcorpus.ModuleRoot(), "examples", "demo-service")
	f := ReadFacts(dir, "demo-service", "identity")
	if !f.DevstackPlugin || f.Repo != "openstack/demo-service" {
		t.Fatalf("facts %+v", f)
	}
	c := mustCatalog(t)
	p, err := Build(f, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(p.Zuul.DevstackPlugins)
	if !strings.Contains(string(j), "https://opendev.org/openstack/demo-service") {
		t.Errorf("devstack plugins %s", j)
	}
}

type labelRepo struct {
	Name        string `yaml:"name"`
	Kind        string `yaml:"kind"`
	Retired     bool   `yaml:"retired"`
	ServiceType string `yaml:"service_type"`
	Rally       struct {
		// Groups that both rally-openstack master and the installed
		// release have are what a gate task can use.
		Head      []string `yaml:"namespaces_rally_openstack_head"`
		Installed []string `yaml:"namespaces_rally_openstack_installed"`
	} `yaml:"rally_openstack_scenarios"`
}

func corpusLabels(t *testing.T) []labelRepo {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "corpus", "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Repos []labelRepo `yaml:"repos"`
	}
	if err := yaml.Unmarshal(data, &l); err != nil {
		t.Fatal(err)
	}
	return l.Repos
}

// covered: a live service repository whose scenario groups exist both in
// rally-openstack master and in the installed release.
func (r labelRepo) covered() bool {
	if r.Kind != "service" || r.ServiceType == "" || r.Retired {
		return false
	}
	for _, h := range r.Rally.Head {
		if contains(r.Rally.Installed, h) {
			return true
		}
	}
	return false
}

// TestZuulParentsExist: on every corpus repository with a Zuul config, the
// job init adds has a parent that is a real rally-openstack job, and the
// edited config parses with the job in it (byte preservation is checked by
// the zuul package's corpus test).
func TestZuulParentsExist(t *testing.T) {
	c := mustCatalog(t)
	n := 0
	for _, name := range testcorpus.Repos(t) {
		dir := testcorpus.CopyOnly(t, name, func(rel string) bool {
			top, _, _ := strings.Cut(rel, "/")
			return top == ".zuul.yaml" || top == "zuul.yaml" || top == "zuul.d" || top == ".zuul.d" || rel == ".gitreview"
		})
		if l, _ := zuul.Layout(dir); dir == "" || l == "" {
			continue
		}
		n++
		upstream := func(j string) (string, bool) {
			u, ok := c.ZuulJob(j)
			if !ok || !strings.HasPrefix(j, "rally-task-") {
				return "", false
			}
			return u.RallyTask, true
		}
		if jobs, err := zuul.RallyJobs(dir, upstream); err != nil || len(jobs) > 0 {
			continue // runs Rally already: init adds no job (scaffold's TestExistingRallyJobsNoNewJob)
		}
		p, err := Build(ReadFacts(dir, name, "identity"), c, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := c.ZuulJob(p.Zuul.Parent); !ok {
			t.Errorf("%s: parent %s is not a rally-openstack job", name, p.Zuul.Parent)
		}
		edits, err := zuul.Edits(dir, p.Zuul)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		found := false
		for _, e := range edits {
			var v any
			if err := yaml.Unmarshal(e.New, &v); err != nil {
				t.Errorf("%s/%s does not parse after the edit: %v", name, e.Path, err)
			}
			found = found || strings.Contains(string(e.New), "parent: "+p.Zuul.Parent+"\n")
		}
		if !found {
			t.Errorf("%s: no edit carries the job's parent", name)
		}
	}
	if n < 30 {
		t.Fatalf("only %d corpus repositories with Zuul config", n)
	}
}

// TestListWorkloadsPrecreate: a workload that only lists (nova
// list_servers, cinder list_volumes, heat list_stacks_and_resources,
// manila list_shares) gets the context that pre-creates what it lists,
// configured so that its schema accepts it (required properties filled).
func TestListWorkloadsPrecreate(t *testing.T) {
	c := mustCatalog(t)
	want := map[string][2]string{
		"compute":            {"NovaServers.list_servers", "servers"},
		"block-storage":      {"CinderVolumes.list_volumes", "volumes"},
		"orchestration":      {"HeatStacks.list_stacks_and_resources", "stacks"},
		"shared-file-system": {"ManilaShares.list_shares", "manila_shares"},
		"image":              {"GlanceImages.list_images", "images"},
		"dns":                {"DesignateBasic.list_zones", "zones"},
	}
	for st, sw := range want {
		p, err := Build(Facts{Project: "x", ServiceType: st}, c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, sub := range p.Subtasks {
			for _, w := range sub.Workloads {
				if w.Scenario != sw[0] {
					continue
				}
				found = true
				cfg, ok := w.Contexts[sw[1]].(map[string]any)
				if !ok {
					t.Errorf("%s: %s has no %s context (contexts %v)", st, sw[0], sw[1], w.Contexts)
					continue
				}
				n := 0
				for k, v := range cfg {
					if strings.HasSuffix(k, "_per_tenant") {
						n, _ = v.(int)
					}
				}
				if n < 1 {
					t.Errorf("%s: %s context %s pre-creates nothing: %v", st, sw[0], sw[1], cfg)
				}
				ctx, _ := c.Context(sw[1])
				var s struct {
					Required []string `json:"required"`
				}
				json.Unmarshal(ctx.Schema, &s)
				for _, r := range s.Required {
					if _, ok := cfg[r]; !ok {
						t.Errorf("%s: %s context %s lacks required %q", st, sw[0], sw[1], r)
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s workload", st, sw[0])
		}
	}
	// A workload that creates what it lists needs no such context.
	p, _ := Build(Facts{Project: "x", ServiceType: "compute"}, c, Options{})
	for _, sub := range p.Subtasks {
		for _, w := range sub.Workloads {
			if w.Scenario == "NovaServers.boot_and_list_server" {
				if _, ok := w.Contexts["servers"]; ok {
					t.Errorf("boot_and_list_server got a servers context")
				}
			}
		}
	}
}

// TestZuulJobDetails: the job is named <project>-rally-task; its DevStack
// plugins and required projects are those of the repository's own DevStack
// jobs (zun: devstack-plugin-container and kuryr-libnetwork; nova: not its
// own plugin, which only its subnodes use); a parent rally-openstack runs in
// no pipeline is reported as a risk, one it runs is not; manila's parent is
// the job rally-openstack runs, not the generic-driver base.
func TestZuulJobDetails(t *testing.T) {
	c := mustCatalog(t)
	for _, tc := range []struct {
		repo, st string
		want     []string
		not      []string
	}{
		{"zun", "container", []string{"devstack-plugin-container", "kuryr-libnetwork", "zun"}, []string{"zun-tempest-plugin"}},
		{"nova", "compute", nil, []string{"nova"}},
	} {
		dir := testcorpus.Repo(t, tc.repo)
		f := ReadFacts(dir, tc.repo, tc.st)
		ds, err := zuul.DevStackOf(dir)
		if err != nil {
			t.Fatal(err)
		}
		f.DevStack = ds
		j := zuulJob(f, c, Options{}, "rally-jobs/task-"+tc.repo+".yaml")
		if j.Name != tc.repo+"-rally-task" {
			t.Errorf("%s: job name %s", tc.repo, j.Name)
		}
		var names []string
		for _, p := range j.DevstackPlugins {
			names = append(names, p[0])
		}
		for _, w := range tc.want {
			if !contains(names, w) {
				t.Errorf("%s: devstack_plugins %v lack %s", tc.repo, names, w)
			}
			if w != tc.repo && !contains(j.RequiredProjects, "openstack/"+w) {
				t.Errorf("%s: required-projects %v lack openstack/%s", tc.repo, j.RequiredProjects, w)
			}
		}
		for _, n := range tc.not {
			if contains(names, n) {
				t.Errorf("%s: devstack_plugins %v include %s", tc.repo, names, n)
			}
		}
	}
	if got := ParentJob(c, "manila"); got != "rally-task-manila-no-ss" {
		t.Errorf("manila parent %s, want rally-task-manila-no-ss", got)
	}
	risky := 0
	for _, project := range []string{"heat", "ironic", "octavia", "nova", "cinder", "manila"} {
		p := ParentJob(c, project)
		j, _ := c.ZuulJob(p)
		r := parentRisk(c, p)
		if (r != "") != (len(j.Pipelines) == 0) {
			t.Errorf("%s: parent %s (pipelines %v): risk %q", project, p, j.Pipelines, r)
		}
		if r != "" {
			risky++
			if !strings.Contains(r, p) {
				t.Errorf("%s: risk does not name the parent: %q", project, r)
			}
		}
	}
	if risky != 3 {
		t.Errorf("%d of heat, ironic, octavia, nova, cinder, manila have a risky parent, want 3 (heat, ironic, octavia)", risky)
	}
}

// TestScaleProfile: the scale profile measures how latency grows with
// load: every workload runs at rising concurrency (iterations in
// proportion) with a budget per step; no quota or flavor churn; the job
// runs in the periodic pipeline, never check or gate.
func TestScaleProfile(t *testing.T) {
	c := mustCatalog(t)
	for _, st := range []string{"compute", "block-storage", "network", "image", "identity"} {
		p, err := Build(Facts{Project: "x", ServiceType: st}, c, Options{Profile: ProfileScale, Gate: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.Zuul.Pipeline != "periodic" || p.Zuul.Gate {
			t.Errorf("%s: scale job pipeline %q gate %v, want periodic only", st, p.Zuul.Pipeline, p.Zuul.Gate)
		}
		byScenario := map[string][]Workload{}
		var order []string
		for _, sub := range p.Subtasks {
			for _, w := range sub.Workloads {
				if _, ok := byScenario[w.Scenario]; !ok {
					order = append(order, w.Scenario)
				}
				byScenario[w.Scenario] = append(byScenario[w.Scenario], w)
				sc, _ := c.Scenario(w.Scenario)
				if churnsCloud(sc) {
					t.Errorf("%s: %s churns quotas/flavors in a scale run", st, w.Scenario)
				}
			}
		}
		for _, name := range order {
			ws := byScenario[name]
			if len(ws) < 3 {
				t.Errorf("%s: %s has %d load steps, want ≥3", st, name, len(ws))
				continue
			}
			for i := 1; i < len(ws); i++ {
				a, b := ws[i-1], ws[i]
				if b.Runner.Concurrency <= a.Runner.Concurrency || b.Runner.Times <= a.Runner.Times {
					t.Errorf("%s: %s step %d runner %+v does not step up from %+v", st, name, i+1, b.Runner, a.Runner)
				}
				for k := range b.SLA.PerAtomic {
					if b.SLA.PerAtomic[k].Seconds <= a.SLA.PerAtomic[k].Seconds {
						t.Errorf("%s: %s step %d budget %v not above step %d's %v", st, name, i+1, b.SLA.PerAtomic[k], i, a.SLA.PerAtomic[k])
					}
				}
			}
		}
	}
	dir := t.TempDir()
	p, _ := Build(Facts{Project: "x", ServiceType: "compute"}, c, Options{Profile: ProfileScale})
	edits, err := zuul.Edits(dir, p.Zuul)
	if err != nil {
		t.Fatal(err)
	}
	text := string(edits[0].New)
	if !strings.Contains(text, "periodic:") || strings.Contains(text, "check:") || strings.Contains(text, "gate:") {
		t.Errorf("scale job's project stanza:\n%s", text)
	}
}

// TestResourceNeeds: manila's workloads get what rally-openstack's
// rally-task-manila-no-ss gives its own (a dhss_false share type, the one
// its DevStack defines) — as a task variable, passed to every workload that
// creates shares and to the manila_shares context of the listing one; the
// parent is that job, not the generic-driver base nothing runs.
func TestResourceNeeds(t *testing.T) {
	c := mustCatalog(t)
	p, err := Build(Facts{Project: "manila", ServiceType: "shared-file-system"}, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Zuul.Parent != "rally-task-manila-no-ss" {
		t.Errorf("parent %s", p.Zuul.Parent)
	}
	def := ""
	for _, v := range p.Vars {
		if v.Name == "share_type" {
			def = v.Default
		}
	}
	if def != "dhss_false" {
		t.Errorf("share_type variable default %q (vars %v), want the parent task's dhss_false", def, p.Vars)
	}
	creates, lists := 0, 0
	for _, st := range p.Subtasks {
		for _, w := range st.Workloads {
			sc, _ := c.Scenario(w.Scenario)
			for _, a := range sc.TopLevelAtomics() {
				if a == "manila.create_share" {
					creates++
					if w.Args["share_type"] != v("share_type") {
						t.Errorf("%s creates shares without the share type: %v", w.Scenario, w.Args)
					}
				}
			}
			if cfg, ok := w.Contexts["manila_shares"].(map[string]any); ok {
				lists++
				if cfg["share_type"] != v("share_type") {
					t.Errorf("%s: manila_shares context without the share type: %v", w.Scenario, cfg)
				}
			}
		}
	}
	if creates == 0 || lists == 0 {
		t.Errorf("%d share-creating workloads, %d with a manila_shares context", creates, lists)
	}
}

// TestPollBudgets: a load balancer's wait gets a budget a gate without
// nested virtualisation can meet — the timeout rally-openstack itself
// gives the poll (catalog), not the generic heavy budget.
func TestPollBudgets(t *testing.T) {
	c := mustCatalog(t)
	p, err := Build(Facts{Project: "octavia", ServiceType: "load-balancer"}, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, st := range p.Subtasks {
		for _, w := range st.Workloads {
			sc, _ := c.Scenario(w.Scenario)
			for _, b := range w.SLA.PerAtomic {
				if strings.Contains(b.Atomic, "wait_for") {
					n++
					to := sc.PollTimeout(b.Atomic)
					if to < 300 || b.Seconds < to {
						t.Errorf("%s: %s budget %v s, poll timeout %v s", w.Scenario, b.Atomic, b.Seconds, to)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Error("no load balancer wait budgeted")
	}
}

// TestListStacksAndResourcesHasStacks: the scenario lists the user's stacks
// and then the resources of each one; a fresh Rally user has no stack, so
// without the stacks context it never records heat.list_resources and that
// budget is never checked (found by e2e TestCloud/orchestration on a real
// Heat: atomics recorded ["heat.list_stacks"] only).
func TestListStacksAndResourcesHasStacks(t *testing.T) {
	c := mustCatalog(t)
	for _, prof := range Profiles {
		p, err := Build(Facts{Project: "heat", ServiceType: "orchestration"}, c, Options{Profile: prof})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, st := range p.Subtasks {
			for _, w := range st.Workloads {
				if w.Scenario != "HeatStacks.list_stacks_and_resources" {
					continue
				}
				found = true
				ctx, _ := w.Contexts["stacks"].(map[string]any)
				if n, _ := ctx["stacks_per_tenant"].(int); n < 1 {
					t.Errorf("%s: contexts %v, want stacks with stacks_per_tenant >= 1", prof, w.Contexts)
				}
			}
		}
		if !found {
			t.Errorf("%s: HeatStacks.list_stacks_and_resources not planned", prof)
		}
	}
}

// TestNestedListed: the plan says which recorded actions are timed inside
// a budgeted one (glance's upload_data and get_image inside create_image),
// so the README tells what the budgets cover; each is nested in the
// catalog's tree under the parent named.
func TestNestedListed(t *testing.T) {
	c := mustCatalog(t)
	p, err := Build(Facts{Project: "glance", ServiceType: "image"}, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, st := range p.Subtasks {
		for _, w := range st.Workloads {
			sc, _ := c.Scenario(w.Scenario)
			for _, n := range w.Nested {
				if place, parent := sc.AtomicPlace(n.Atomic); place != catalog.AtomicNested || parent != n.Parent {
					t.Errorf("%s: %s listed nested in %s, catalog: %s in %q", w.Scenario, n.Atomic, n.Parent, place, parent)
				}
				if w.Scenario == "GlanceImages.create_and_list_image" {
					got[n.Atomic] = n.Parent
				}
			}
		}
	}
	if got["glance_v2.upload_data"] != "glance_v2.create_image" || got["glance_v2.get_image"] != "glance_v2.create_image" {
		t.Errorf("create_and_list_image nested actions %v", got)
	}
	// Nested actions are listed under the budgeted actions they are timed
	// in, and one timed only under a condition says so (create_subnet adds
	// a router interface only when given a router).
	p, err = Build(Facts{Project: "neutron", ServiceType: "network"}, c, Options{Profile: ProfileSmoke})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, st := range p.Subtasks {
		for _, w := range st.Workloads {
			for _, n := range w.Nested {
				if !slices.ContainsFunc(w.SLA.PerAtomic, func(b AtomicBudget) bool { return b.Atomic == n.Parent }) {
					t.Errorf("%s: %s listed in %s, which has no budget", w.Scenario, n.Atomic, n.Parent)
				}
				if w.Scenario == "NeutronNetworks.create_and_list_subnets" && n.Atomic == "neutron.add_interface_router" {
					found = true
					if !n.Conditional {
						t.Errorf("%s: %s listed as recorded on every run", w.Scenario, n.Atomic)
					}
				}
				if n.Conditional && n.Atomic == "glance_v2.upload_data" {
					t.Errorf("%s: %s listed conditional", w.Scenario, n.Atomic)
				}
			}
		}
	}
	if !found {
		t.Errorf("NeutronNetworks.create_and_list_subnets: neutron.add_interface_router not listed as nested")
	}
}

// TestSmokeLeavesOutWhatNeedsABackend: a workload that needs more of the
// backend than the API (a volume that really resizes) is left out of the
// smoke profile, a quick check that must also pass on a test cloud of fake
// drivers, with the reason; the gate and scale profiles keep it.
func TestSmokeLeavesOutWhatNeedsABackend(t *testing.T) {
	c := mustCatalog(t)
	const extend = "CinderVolumes.create_and_extend_volume"
	has := func(p *Plan, name string) bool {
		for _, st := range p.Subtasks {
			for _, w := range st.Workloads {
				if w.Scenario == name {
					return true
				}
			}
		}
		return false
	}
	for _, prof := range Profiles {
		p, err := Build(Facts{Project: "cinder", ServiceType: "block-storage"}, c, Options{Profile: prof})
		if err != nil {
			t.Fatal(err)
		}
		if has(p, extend) == (prof == ProfileSmoke) {
			t.Errorf("%s: %s in the task = %v", prof, extend, has(p, extend))
		}
		var reason string
		for _, l := range p.LeftOut {
			if l.Scenario == extend {
				reason = l.Reason
			}
		}
		if (reason != "") != (prof == ProfileSmoke) || (reason != "" && !strings.Contains(reason, "extend")) {
			t.Errorf("%s: left out with reason %q", prof, reason)
		}
	}
	// Every entry that needs something has its reason, and a smoke plan
	// names each one it leaves out.
	for st, entries := range gateTable() {
		p, err := Build(Facts{Project: "x", ServiceType: st}, c, Options{Profile: ProfileSmoke})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Needs == "" {
				continue
			}
			if has(p, e.Scenario) || !slices.ContainsFunc(p.LeftOut, func(l LeftOut) bool { return l.Scenario == e.Scenario && l.Reason != "" }) {
				t.Errorf("%s: %s needs %q: in the smoke task, or left out without a reason", st, e.Scenario, e.Needs)
			}
		}
	}
}
