// Package plan turns repository facts into a Plan: which Rally scenarios to
// run with which arguments, contexts, SLAs and runner for a profile, and
// which Zuul job to add. A Plan is a plain value (it marshals to JSON) so it
// can be printed, tested and diffed; rendering files is scaffold's job.
package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/zuul"
)

// Profiles size the runner and users context.
const (
	ProfileSmoke = "smoke"
	ProfileGate  = "gate"
	ProfileScale = "scale"
)

// Profiles lists the valid --profile values.
var Profiles = []string{ProfileSmoke, ProfileGate, ProfileScale}

// Facts is what the plan needs to know about the repository.
type Facts struct {
	Project     string // short project name: "nova"
	ServiceType string // service-types authority name: "compute"
	// Repo is the opendev repository ("openstack/nova"), from .gitreview;
	// "" when unknown.
	Repo string
	// DevstackPlugin is true when devstack/plugin.sh exists.
	DevstackPlugin bool
	// DevStack is what the repository's own DevStack jobs deploy with
	// (zuul.DevStackOf): the job takes its plugins and required projects.
	DevStack zuul.DevStack
	// RallyJobs are the repository's Zuul jobs that already run Rally
	// (zuul.RallyJobs); with any, init adds no job of its own.
	RallyJobs []zuul.RallyJob
	// ExistingTask is the first task file those jobs run that exists in
	// the repository (kept as it is); MissingTask the first they run that
	// does not (init writes its task there, so the jobs find it).
	ExistingTask, MissingTask string
}

// Options choose the profile and Zuul mode.
type Options struct {
	Profile string
	Gate    bool // add the job to the gate pipeline, voting
}

// Plan is everything init will write.
type Plan struct {
	Project     string `json:"project"`
	ServiceType string `json:"service_type"`
	Profile     string `json:"profile"`
	TaskFile    string `json:"task_file"` // rally-jobs/task-<project>.yaml
	Title       string `json:"title"`
	Description string `json:"description"`
	// Vars are the Jinja2 header variables, in order.
	Vars     []JinjaVar `json:"vars"`
	Subtasks []Subtask  `json:"subtasks"`
	// Skipped lists table scenarios left out and why (not in both
	// rally-openstack master and the installed release).
	Skipped []string `json:"skipped,omitempty"`
	// LeftOut are the workloads the profile leaves out on purpose, each
	// with the reason the README gives (the smoke profile: what needs a
	// backend a test cloud of fake drivers lacks).
	LeftOut []LeftOut `json:"left_out,omitempty"`
	// Generated is true when the task and its scenario plugins come from
	// the API reference (rallyforge plugin) rather than from the catalog;
	// Subtasks is empty then.
	Generated bool `json:"generated,omitempty"`
	// ExtraFiles are file names to write under rally-jobs/extra/.
	ExtraFiles []string `json:"extra_files,omitempty"`
	// RallyJobs are the repository's jobs that already run Rally at the
	// gate; when there are any, Zuul is not added (AddZuul is false).
	RallyJobs []zuul.RallyJob `json:"existing_rally_jobs,omitempty"`
	// TaskKept: TaskFile is the existing task those jobs run, not written.
	TaskKept bool `json:"task_kept,omitempty"`
	// AddZuul says whether init adds the Zuul job below.
	AddZuul bool `json:"add_zuul"`
	// Risks are what may make the job fail or mislead for reasons outside
	// the task (a parent job rally-openstack itself does not run).
	Risks []string `json:"risks,omitempty"`
	Zuul  zuul.Job `json:"zuul"`
	// CatalogSource records the catalog provenance the plan came from.
	CatalogSource catalog.Provenance `json:"catalog_source"`
}

// LeftOut is a workload of the service's table the profile does not run.
type LeftOut struct {
	Scenario string `json:"scenario"`
	Reason   string `json:"reason"`
}

// JinjaVar is one `{% set name = name or "default" %}` line.
type JinjaVar struct {
	Name    string `json:"name"`
	Default string `json:"default"`
}

// Subtask groups the workloads of one resource.
type Subtask struct {
	Title     string     `json:"title"`
	Workloads []Workload `json:"workloads"`
}

// Workload is one scenario run.
type Workload struct {
	Scenario    string         `json:"scenario"`
	Description string         `json:"description"`
	Args        map[string]any `json:"args"`
	Runner      Runner         `json:"runner"`
	Contexts    map[string]any `json:"contexts"`
	SLA         SLA            `json:"sla"`
	// Nested are the actions the workload records inside a budgeted one
	// (from the catalog's tree): part of their parent's time, with no
	// budget of their own, since Rally's SLA sees the top level only.
	Nested []NestedAtomic `json:"nested_atomics,omitempty"`
}

// NestedAtomic is an action recorded while Parent, a top-level one, is open.
type NestedAtomic struct {
	Atomic string `json:"atomic"`
	Parent string `json:"parent"`
	// Conditional: timed only under a condition (an argument, a context,
	// the cloud's answer); a run may not record it.
	Conditional bool `json:"conditional,omitempty"`
}

// Runner is a constant runner.
type Runner struct {
	Type        string `json:"type"`
	Times       int    `json:"times"`
	Concurrency int    `json:"concurrency"`
}

// SLA holds the criteria: failure_rate max and per-atomic averages.
type SLA struct {
	FailureRateMax float64        `json:"failure_rate_max"`
	PerAtomic      []AtomicBudget `json:"max_avg_duration_per_atomic,omitempty"`
}

// AtomicBudget is the max average seconds of one atomic action.
type AtomicBudget struct {
	Atomic  string  `json:"atomic"`
	Seconds float64 `json:"seconds"`
}

// ErrNotCovered means rally-openstack has no scenarios for the service
// type; the caller should generate plugins instead.
var ErrNotCovered = errors.New("rally-openstack has no scenarios for this service type")

type sizing struct {
	light, heavy   Runner
	tenants, users int
	lightSLA       float64
	heavySLA       float64
	// lightSteps/heavySteps, when set, replace the single runner: the
	// same workload once per concurrency, each with stepIterations
	// iterations per concurrent user, so the report shows how latency
	// grows with load (the scale profile).
	lightSteps, heavySteps []int
}

// stepIterations is how many iterations each concurrent user runs in one
// load step.
const stepIterations = 10

// stepBudget is the growth of a step's per-atomic budget over the first
// step's, per step: latency is expected to grow with load, and a budget
// per step says by how much it may.
const stepBudget = 0.5

// Sizes per profile. The gate is sized like Neutron's rally job: cheap API
// calls 40 times at concurrency 20, resource-heavy workloads a few times.
var sizes = map[string]sizing{
	ProfileSmoke: {Runner{"constant", 1, 1}, Runner{"constant", 1, 1}, 1, 1, 15, 120, nil, nil},
	ProfileGate:  {Runner{"constant", 40, 20}, Runner{"constant", 4, 2}, 2, 2, 15, 120, nil, nil},
	ProfileScale: {Runner{"constant", 0, 0}, Runner{"constant", 0, 0}, 5, 5, 30, 300,
		[]int{5, 10, 20, 40}, []int{2, 4, 8}},
}

// SmokeRunner is the runner of a smoke task's API-call workloads, also
// used by the tasks plugingen writes for services rally-openstack does not
// cover.
func SmokeRunner() Runner { return sizes[ProfileSmoke].light }

// churnsCloud: a workload that creates, updates or deletes quotas or
// flavors changes what every other tenant sees; under load it measures
// the churn, not the service, and it has no place in a scale run.
func churnsCloud(sc *catalog.Scenario) bool {
	for _, a := range sc.TopLevelAtomics() {
		_, action, _ := strings.Cut(a, ".")
		verb, obj, _ := strings.Cut(action, "_")
		if (verb == "create" || verb == "update" || verb == "delete" || verb == "set") &&
			(strings.Contains(obj, "quota") || strings.Contains(obj, "flavor")) {
			return true
		}
		if strings.HasPrefix(a, "quotas.") {
			return true
		}
	}
	return false
}

// steps expands a workload into one per load step of the profile (itself
// when the profile has none): concurrency rising, iterations in proportion,
// the per-atomic budget growing by stepBudget per step.
func steps(w Workload, sz sizing, heavy bool) []Workload {
	conc := sz.lightSteps
	if heavy {
		conc = sz.heavySteps
	}
	if len(conc) == 0 {
		return []Workload{w}
	}
	out := make([]Workload, 0, len(conc))
	for i, c := range conc {
		x := w
		x.Runner = Runner{"constant", c * stepIterations, c}
		x.Description = fmt.Sprintf("%s Load step %d of %d: concurrency %d.", w.Description, i+1, len(conc), c)
		x.SLA.PerAtomic = nil
		for _, b := range w.SLA.PerAtomic {
			x.SLA.PerAtomic = append(x.SLA.PerAtomic, AtomicBudget{b.Atomic, b.Seconds * (1 + stepBudget*float64(i))})
		}
		out = append(out, x)
	}
	return out
}

// Build makes the plan for a service repository.
func Build(f Facts, cat *catalog.Catalog, opt Options) (*Plan, error) {
	if opt.Profile == "" {
		opt.Profile = ProfileGate
	}
	sz, ok := sizes[opt.Profile]
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (want one of %s)", opt.Profile, strings.Join(Profiles, ", "))
	}
	if f.Project == "" {
		return nil, errors.New("project name unknown")
	}
	p := &Plan{
		Project:       f.Project,
		ServiceType:   f.ServiceType,
		Profile:       opt.Profile,
		TaskFile:      "rally-jobs/task-" + f.Project + ".yaml",
		Title:         fmt.Sprintf("Rally task for %s (%s)", f.Project, f.ServiceType),
		Description:   fmt.Sprintf("Core operations of the %s service, %s profile; generated by rallyforge init.", f.ServiceType, opt.Profile),
		CatalogSource: cat.Generated,
	}
	entries := gateTable()[f.ServiceType]
	if len(entries) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotCovered, f.ServiceType)
	}
	quotaKeys := quotaSchema(cat)
	parent, _ := cat.ZuulJob(ParentJob(cat, f.Project))
	needVars := map[string]string{}
	used := map[string]bool{}
	groupIdx := map[string]int{}
	for _, e := range entries {
		sc, ok := cat.Scenario(e.Scenario)
		if !ok || !sc.HasSource(catalog.SourceMaster) || !sc.HasSource(catalog.SourceInstalled) {
			p.Skipped = append(p.Skipped, e.Scenario+": not in both rally-openstack master and the installed release")
			continue
		}
		if e.Needs != "" && opt.Profile == ProfileSmoke {
			p.LeftOut = append(p.LeftOut, LeftOut{e.Scenario, "It needs " + e.Needs +
				"; a smoke run must also pass on a test cloud of fake drivers."})
			continue
		}
		if len(sz.lightSteps) > 0 && churnsCloud(sc) {
			p.Skipped = append(p.Skipped, e.Scenario+": quota/flavor churn, left out of a scale run")
			continue
		}
		w, few, err := workload(e, sc, sz, quotaKeys)
		if err == nil {
			err = addResourceContexts(&w, sc, cat)
		}
		if err == nil {
			resourceNeeds(&w, sc, cat, parent, needVars)
		}
		if err != nil {
			return nil, err
		}
		collectVars(w.Args, used)
		collectVars(w.Contexts, used)
		i, ok := groupIdx[e.Group]
		if !ok {
			i = len(p.Subtasks)
			groupIdx[e.Group] = i
			p.Subtasks = append(p.Subtasks, Subtask{Title: e.Group})
		}
		p.Subtasks[i].Workloads = append(p.Subtasks[i].Workloads, steps(w, sz, few)...)
	}
	if len(p.Subtasks) == 0 {
		return nil, fmt.Errorf("%w: %s (none of its curated scenarios is in both rally-openstack master and the installed release)", ErrNotCovered, f.ServiceType)
	}
	for _, n := range jinjaOrder {
		if used[n] {
			p.Vars = append(p.Vars, JinjaVar{n, jinjaDefaults[n]})
		}
	}
	for _, n := range sortedKeys(needVars) {
		if used[n] {
			p.Vars = append(p.Vars, JinjaVar{n, needVars[n]})
		}
	}
	if used["extra_dir"] {
		p.ExtraFiles = append(p.ExtraFiles, extraFiles...)
	}
	p.setJobs(f, cat, opt)
	return p, nil
}

// setJobs decides the Zuul side: a repository that already runs Rally at
// the gate keeps its jobs (the task they run is kept, or written where
// they look for it); any other gets the plan's own job.
func (p *Plan) setJobs(f Facts, cat *catalog.Catalog, opt Options) {
	p.RallyJobs = f.RallyJobs
	switch {
	case len(f.RallyJobs) == 0:
	case f.ExistingTask != "":
		p.TaskFile, p.TaskKept = f.ExistingTask, true
	case f.MissingTask != "" && !p.Generated:
		p.TaskFile = f.MissingTask
	}
	p.AddZuul = len(f.RallyJobs) == 0
	p.Zuul = zuulJob(f, cat, opt, p.TaskFile)
	if p.AddZuul {
		if r := parentRisk(cat, p.Zuul.Parent); r != "" {
			p.Risks = append(p.Risks, r)
		}
	}
}

// ForGenerated is the plan of a service rally-openstack does not cover,
// whose task and scenario plugins `rallyforge plugin` generated from the
// API reference: no catalog scenarios, but the same rally-jobs/ tree,
// README and Zuul job as any other service, running the generated task.
func ForGenerated(f Facts, cat *catalog.Catalog, opt Options, task string) (*Plan, error) {
	if opt.Profile == "" {
		opt.Profile = ProfileGate
	}
	if _, ok := sizes[opt.Profile]; !ok {
		return nil, fmt.Errorf("unknown profile %q (want one of %s)", opt.Profile, strings.Join(Profiles, ", "))
	}
	if f.Project == "" {
		return nil, errors.New("project name unknown")
	}
	p := &Plan{
		Project:       f.Project,
		ServiceType:   f.ServiceType,
		Profile:       opt.Profile,
		TaskFile:      task,
		Title:         fmt.Sprintf("Rally task for %s (%s)", f.Project, f.ServiceType),
		Description:   fmt.Sprintf("REST scenarios of the %s service generated from api-ref/source; rally-openstack has none.", f.ServiceType),
		Generated:     true,
		CatalogSource: cat.Generated,
	}
	p.setJobs(f, cat, opt)
	return p, nil
}

// few is true when the workload runs the heavy runner's few iterations
// (a heavy workload, or one that counts against a finite quota).
func workload(e entry, sc *catalog.Scenario, sz sizing, quotaKeys map[string][]quotaKey) (w Workload, few bool, err error) {
	w = Workload{
		Scenario:    sc.Name,
		Description: sc.Doc,
		Args:        map[string]any{},
		Contexts:    map[string]any{},
		SLA:         SLA{FailureRateMax: 0},
	}
	params := map[string]catalog.Param{}
	for _, prm := range sc.Params {
		params[prm.Name] = prm
	}
	for k, val := range e.Args {
		if _, ok := params[k]; !ok && !sc.Kwargs {
			return w, false, fmt.Errorf("%s: gate table argument %q is not a parameter of the scenario", sc.Name, k)
		}
		w.Args[k] = val
	}
	for _, prm := range sc.Params {
		if !prm.Required {
			continue
		}
		if _, ok := w.Args[prm.Name]; ok {
			continue
		}
		val, ok := fillRequired(prm.Name)
		if !ok {
			return w, false, fmt.Errorf("%s: no value for required argument %q", sc.Name, prm.Name)
		}
		w.Args[prm.Name] = val
	}
	// Rally adds users@openstack with 1 tenant x 1 user by itself; writing
	// that default out would stop Rally from using an env's existing users
	// (it only does so when the task leaves the users context unset), and on
	// a cloud without Neutron the created users then leak at cleanup.
	if sz.tenants != 1 || sz.users != 1 {
		w.Contexts["users"] = map[string]any{"tenants": sz.tenants, "users_per_tenant": sz.users}
	}
	for k, val := range e.Contexts {
		w.Contexts[k] = val
	}
	for _, c := range sc.RequiredContexts {
		c = strings.SplitN(c, "@", 2)[0]
		if _, ok := w.Contexts[c]; ok || c == "users" {
			continue
		}
		def, ok := contextDefaults()[c]
		if !ok {
			return w, false, fmt.Errorf("%s: requires context %q that the plan cannot configure", sc.Name, c)
		}
		w.Contexts[c] = def
	}
	q, finite := quotas(sc.Atomics, quotaKeys)
	if len(q) > 0 {
		w.Contexts["quotas"] = q
	}
	// What counts against a quota Rally cannot lift runs as few
	// iterations as a heavy workload (rally-openstack's own designate job
	// runs 4 x 2): the light runner's iterations per tenant would overrun
	// a default limit (designate's 10 zones). Its budget stays its own.
	few = e.Heavy || finite
	w.Runner = sz.light
	if few {
		w.Runner = sz.heavy
	}
	budget := sz.lightSLA
	if e.Heavy {
		budget = sz.heavySLA
	}
	// Rally's max_avg_duration_per_atomic only checks top-level actions (a
	// nested one is reported as 0.00 s and always passes), so only those
	// the workload records get a budget: those it records on every run.
	// One timed under a condition (an argument, a context, the cloud's
	// answer: the network a scenario creates unless the network context
	// gave one) may never be recorded, and a budget on it checks nothing.
	// An action that polls for a resource to become ready (a load
	// balancer's amphora booting, on a gate without nested virtualisation
	// a matter of minutes) is budgeted up to its poll's timeout, the
	// rally-openstack default the catalog records: no tighter than the
	// action may take without failing the iteration.
	always := sc.AlwaysAtomics()
	for _, a := range sc.TopLevelAtomics() {
		if slices.Contains(always, a) {
			w.SLA.PerAtomic = append(w.SLA.PerAtomic, AtomicBudget{a, max(budget, sc.PollTimeout(a))})
		}
	}
	for _, n := range sc.AtomicTree {
		if n.Conditional || !slices.Contains(always, n.Name) {
			continue
		}
		var walk func(l []catalog.AtomicNode, cond bool)
		walk = func(l []catalog.AtomicNode, cond bool) {
			for _, c := range l {
				if slices.Contains(sc.Atomics, c.Name) {
					w.Nested = append(w.Nested, NestedAtomic{c.Name, n.Name, cond || c.Conditional})
				}
				walk(c.Children, cond || c.Conditional)
			}
		}
		walk(n.Children, false)
	}
	return w, few, nil
}

// fillRequired gives a value for a required argument the table leaves
// open, by the argument's conventional meaning across rally-openstack.
func fillRequired(name string) (any, bool) {
	switch name {
	case "image", "from_image", "to_image":
		return map[string]any{"name": v("image_name")}, true
	case "flavor", "to_flavor":
		return map[string]any{"name": v("flavor_name")}, true
	case "size", "volume_size":
		return 1, true
	case "image_url":
		return v("image_location"), true
	case "disk_format":
		return "qcow2", true
	case "container_format":
		return "bare", true
	case "new_size":
		return 2, true
	case "repetitions":
		return 2, true
	case "users_per_tenant":
		return 2, true
	}
	return nil, false
}

var exprVar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}`) })

func collectVars(x any, used map[string]bool) {
	switch t := x.(type) {
	case Expr:
		for _, m := range exprVar().FindAllStringSubmatch(string(t), -1) {
			used[m[1]] = true
		}
	case map[string]any:
		for _, val := range t {
			collectVars(val, used)
		}
	case []any:
		for _, val := range t {
			collectVars(val, used)
		}
	}
}

// quotaSchema reads the quotas context's CONFIG_SCHEMA from the catalog:
// section ("nova", "neutron", ...) → quota keys.
func quotaSchema(cat *catalog.Catalog) map[string][]quotaKey {
	out := map[string][]quotaKey{}
	q, ok := cat.Context("quotas")
	if !ok || len(q.Schema) == 0 {
		return out
	}
	var s struct {
		Properties map[string]struct {
			Properties map[string]struct {
				Minimum *float64 `json:"minimum"`
			} `json:"properties"`
		} `json:"properties"`
	}
	if json.Unmarshal(q.Schema, &s) != nil {
		return out
	}
	for sec, v := range s.Properties {
		for k, p := range v.Properties {
			out[sec] = append(out[sec], quotaKey{Name: k, Min: p.Minimum})
		}
		l := out[sec]
		sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
	}
	return out
}

// quotaKey is one key of a quotas context section; Min is the schema's
// minimum, when it has one.
type quotaKey struct {
	Name string
	Min  *float64
}

var apiSuffix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`_v\d+$`) })

// quotaSynonyms maps a resource word of an atomic action to quota keys
// that do not share its name (a booted server consumes instances, cores
// and RAM; a volume consumes gigabytes too).
var quotaSynonyms = sync.OnceValue(func() map[string][]string {
	return map[string][]string{
		"server": {"instances", "cores", "ram"},
		"volume": {"volumes", "gigabytes"},
		"share":  {"shares", "gigabytes"},
	}
})

func norm(s string) string {
	s = strings.ReplaceAll(s, "_", "")
	return strings.TrimSuffix(s, "s")
}

// quotas lifts the quotas the scenario's atomic actions consume to
// unlimited (-1), as Neutron's job does, so that concurrent iterations do
// not trip over quota reservations. Only real keys of the quotas context
// schema are used: an atomic "neutron.create_network" maps to section
// "neutron", key "network".
//
// finite is true when an action consumes a key that cannot be lifted.
func quotas(atomics []string, schema map[string][]quotaKey) (out map[string]any, finite bool) {
	out = map[string]any{}
	for _, a := range atomics {
		svc, action, ok := strings.Cut(a, ".")
		if !ok {
			continue
		}
		keys, ok := schema[apiSuffix().ReplaceAllString(svc, "")]
		if !ok {
			continue
		}
		sec := apiSuffix().ReplaceAllString(svc, "")
		verb, res, ok := strings.Cut(action, "_")
		if !ok {
			continue
		}
		want := map[string]bool{norm(res): true}
		for _, s := range quotaSynonyms()[res] {
			want[norm(s)] = true
		}
		for _, k := range keys {
			// Only what can be unlimited is lifted. A key whose schema
			// forbids -1 is a finite per-project limit (designate's), and
			// Rally's admin sets it on the context's tenants from its own
			// project: Designate refuses that without the
			// x-auth-all-projects header (its api-ref, PATCH
			// /v2/quotas/{project_id}), which Rally's client never sends,
			// so the context setup fails "forbidden" on every Designate.
			if k.Min != nil && *k.Min > -1 {
				finite = finite || verb == "create" && want[norm(k.Name)]
				continue
			}
			if want[norm(k.Name)] {
				m, _ := out[sec].(map[string]any)
				if m == nil {
					m = map[string]any{}
					out[sec] = m
				}
				m[k.Name] = -1
			}
		}
	}
	return out, finite
}

// zuulJob decides the Zuul job: parent is rally-openstack's job for this
// project when one exists (rally-task-<project>, or a combined job such as
// rally-task-keystone-swift), else rally-task-at-devstack.
func zuulJob(f Facts, cat *catalog.Catalog, opt Options, task string) zuul.Job {
	j := zuul.Job{
		// The convention of cinder, mistral and neutron.
		Name:             f.Project + "-rally-task",
		Parent:           ParentJob(cat, f.Project),
		RallyTask:        task,
		RequiredProjects: []string{"openstack/rally", "openstack/rally-openstack"},
		Timeout:          7200,
		IrrelevantFiles: []string{
			`^.*\.rst$`, `^doc/.*$`, `^api-ref/.*$`, `^releasenotes/.*$`,
			`^([^/]+/)?tests?/.*$`, `^tox\.ini$`,
		},
		Gate: opt.Gate,
	}
	if opt.Profile == ProfileScale {
		// A load test runs once a day, never on every change.
		j.Timeout = 10800
		j.Pipeline, j.Gate = "periodic", false
	}
	j.DevstackPlugins = [][2]string{{"rally-openstack", "https://opendev.org/openstack/rally-openstack"}}
	switch {
	case f.DevStack.Jobs > 0:
		// What the project's own DevStack jobs deploy with (zun's need
		// devstack-plugin-container and kuryr-libnetwork; nova's own
		// plugin only builds a test kernel module and none of them takes
		// it): the same cloud as the project tests on.
		for _, p := range f.DevStack.Plugins {
			if p[0] != "rally-openstack" {
				j.DevstackPlugins = append(j.DevstackPlugins, p)
			}
		}
		for _, r := range f.DevStack.RequiredProjects {
			if !slices.Contains(j.RequiredProjects, r) {
				j.RequiredProjects = append(j.RequiredProjects, r)
			}
		}
	case f.DevstackPlugin:
		// No DevStack job to learn from: the repository's own plugin is
		// how DevStack deploys it.
		repo := f.Repo
		if repo == "" {
			repo = "openstack/" + f.Project
		}
		j.DevstackPlugins = append(j.DevstackPlugins, [2]string{f.Project, "https://opendev.org/" + repo})
	}
	return j
}

// DefaultParent is rally-openstack's base job for any Rally task.
const DefaultParent = "rally-task-at-devstack"

// ParentJob picks the rally-task-* job of rally-openstack matching the
// project, from the catalog's Zuul jobs.
//
// A job rally-openstack runs in one of its pipelines is preferred to one it
// only defines (manila: rally-task-manila is the generic-driver base that
// nothing runs, rally-task-manila-no-ss runs in check); then the exact
// name; then the first by name.
func ParentJob(cat *catalog.Catalog, project string) string {
	type cand struct {
		name        string
		runs, exact bool
	}
	var cands []cand
	for _, j := range cat.ZuulJobs {
		rest, ok := strings.CutPrefix(j.Name, "rally-task-")
		if !ok || j.Abstract {
			continue
		}
		if slices.Contains(strings.Split(rest, "-"), project) {
			cands = append(cands, cand{j.Name, len(j.Pipelines) > 0, rest == project})
		}
	}
	if len(cands) == 0 {
		return DefaultParent
	}
	sort.Slice(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		if x.runs != y.runs {
			return x.runs
		}
		if x.exact != y.exact {
			return x.exact
		}
		return x.name < y.name
	})
	return cands[0].name
}

// parentRisk says when rally-openstack defines the parent job but runs it
// in none of its pipelines: nobody notices when it breaks.
func parentRisk(cat *catalog.Catalog, parent string) string {
	j, ok := cat.ZuulJob(parent)
	if !ok || len(j.Pipelines) > 0 || parent == DefaultParent {
		return ""
	}
	return fmt.Sprintf("risk: parent job %s is defined by rally-openstack but run in none of its pipelines (%s), so it may be broken without anyone noticing; check it passes before making the job voting", parent, j.File)
}

// ReadFacts gathers the repository facts the plan needs beyond detection:
// the opendev repository name from .gitreview and whether a DevStack
// plugin exists.
func ReadFacts(dir, project, serviceType string) Facts {
	f := Facts{Project: project, ServiceType: serviceType}
	if fi, err := os.Stat(filepath.Join(dir, "devstack", "plugin.sh")); err == nil && fi.Mode().IsRegular() {
		f.DevstackPlugin = true
	}
	if data, err := fsutil.ReadRegular(filepath.Join(dir, ".gitreview"), 0); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			k, val, ok := strings.Cut(l, "=")
			if ok && strings.TrimSpace(k) == "project" {
				f.Repo = strings.TrimSuffix(strings.TrimSpace(val), ".git")
			}
		}
	}
	return f
}
