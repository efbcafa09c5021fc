package lint

import (
	"maps"
	"slices"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

// The runner, contexts, SLAs, hook actions and triggers of a workload
// exist, and their configurations pass the plugin's JSON Schema, as
// Rally's jsonschema validator does. The scenario's default contexts are
// checked too, and the api_versions context's own validator
// (rule_api_versions.go).
var (
	ruleUnknownRunner = &Rule{
		ID: "unknown-runner", Severity: Error,
		Description: "No runner plugin has this name.",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    runner:\n      constnt: {times: 1}\n"),
		Check:       workloads(func(f *file, r *Rule, w *task.Workload) { f.checkKnown(r, runnerPlugins, w) }),
	}
	ruleRunnerConfig = &Rule{
		ID: "runner-config", Severity: Error,
		Description: "The runner's configuration fails its JSON Schema, or the runner's own validator (constant: concurrency above times; rps: a ramp that ends below its start).",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    runner:\n      constant: {times: 2, concurrency: 5}\n"),
		Check: workloads(func(f *file, r *Rule, w *task.Workload) {
			f.checkConfig(r, runnerPlugins, w)
			checkRunnerValues(f, r, w)
		}),
	}
	ruleUnknownContext = &Rule{
		ID: "unknown-context", Severity: Error,
		Description: "No context plugin has this name (also for a scenario's default context).",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    contexts:\n      usrs: {tenants: 1}\n"),
		Check: workloads(func(f *file, r *Rule, w *task.Workload) {
			f.checkKnown(r, contextPlugins, w)
			f.checkDefaultContextsKnown(r, w)
		}),
	}
	ruleContextConfig = &Rule{
		ID: "context-config", Severity: Error,
		Description: "A context's configuration fails its JSON Schema or its validator (api_versions: check_api_versions), or a scenario's default context is invalid.",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    contexts:\n      users: {tenants: zero}\n"),
		Check: workloads(func(f *file, r *Rule, w *task.Workload) {
			f.checkConfig(r, contextPlugins, w)
			f.checkDefaultContextsValid(r, w)
		}),
	}
	ruleUnknownSLA = &Rule{
		ID: "unknown-sla", Severity: Error,
		Description: "No SLA plugin has this name.",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    sla:\n      failure_rat: {max: 0}\n"),
		Check:       workloads(func(f *file, r *Rule, w *task.Workload) { f.checkKnown(r, slaPlugins, w) }),
	}
	ruleSLAConfig = &Rule{
		ID: "sla-config", Severity: Error,
		Description: "An SLA's configuration fails its JSON Schema.",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    sla:\n      failure_rate: {max: many}\n"),
		Check:       workloads(func(f *file, r *Rule, w *task.Workload) { f.checkConfig(r, slaPlugins, w) }),
	}
	ruleUnknownHook = &Rule{
		ID: "unknown-hook", Severity: Error,
		Description: "No hook action or trigger plugin has this name.",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    hooks:\n      - action: {sys_cal: echo}\n        trigger: {event: {unit: iteration, at: [1]}}\n"),
		Check:       workloads(func(f *file, r *Rule, w *task.Workload) { f.checkKnown(r, hookPlugins, w) }),
	}
	ruleHookConfig = &Rule{
		ID: "hook-config", Severity: Error,
		Description: "A hook action's or trigger's configuration fails its JSON Schema.",
		Example:     v2("    scenario:\n      Dummy.dummy: {}\n    hooks:\n      - action: {sys_call: echo}\n        trigger: {event: {unit: minute, at: [1]}}\n"),
		Check:       workloads(func(f *file, r *Rule, w *task.Workload) { f.checkConfig(r, hookPlugins, w) }),
	}
)

// pluginUse is one kind of plugin a workload names: its kind as Rally says
// it, the workload's entries of that kind, and the catalog's plugins.
type pluginUse struct {
	kind    string
	entries func(w *task.Workload) []task.Entry
	all     func(c *catalog.Catalog) [][]catalog.Plugin // for did-you-mean
	find    func(c *catalog.Catalog, e int, name string) (*catalog.Plugin, bool)
}

var (
	runnerPlugins = pluginUse{
		kind: "runner",
		entries: func(w *task.Workload) []task.Entry {
			if w.Runner == nil {
				return nil
			}
			return []task.Entry{*w.Runner}
		},
		all:  func(c *catalog.Catalog) [][]catalog.Plugin { return [][]catalog.Plugin{c.Runners} },
		find: func(c *catalog.Catalog, _ int, n string) (*catalog.Plugin, bool) { return c.Runner(n) },
	}
	contextPlugins = pluginUse{
		kind:    "context",
		entries: func(w *task.Workload) []task.Entry { return w.Contexts },
		all:     func(c *catalog.Catalog) [][]catalog.Plugin { return [][]catalog.Plugin{c.Contexts} },
		find:    func(c *catalog.Catalog, _ int, n string) (*catalog.Plugin, bool) { return c.Context(n) },
	}
	slaPlugins = pluginUse{
		kind:    "sla",
		entries: func(w *task.Workload) []task.Entry { return w.SLA },
		all:     func(c *catalog.Catalog) [][]catalog.Plugin { return [][]catalog.Plugin{c.SLAs} },
		find:    func(c *catalog.Catalog, _ int, n string) (*catalog.Plugin, bool) { return c.SLA(n) },
	}
	// Hooks: entries alternate action, trigger (index even, odd).
	hookPlugins = pluginUse{
		kind: "hook",
		entries: func(w *task.Workload) []task.Entry {
			var out []task.Entry
			for _, h := range w.Hooks {
				out = append(out, h.Action, h.Trigger)
			}
			return out
		},
		all: func(c *catalog.Catalog) [][]catalog.Plugin {
			return [][]catalog.Plugin{c.HookActions, c.HookTriggers}
		},
		find: func(c *catalog.Catalog, e int, n string) (*catalog.Plugin, bool) {
			if e%2 == 0 {
				return c.HookAction(n)
			}
			return c.HookTrigger(n)
		},
	}
)

// lookup finds entry e (index i) of a plugin kind; local is true for the
// repository's own plugin of that name (its config is not read).
func (f *file) lookup(u pluginUse, i int, e task.Entry) (p *catalog.Plugin, local bool) {
	p, ok := u.find(f.cat, i, e.Name)
	if (!ok || p.Hidden) && f.plugins.has(u.kind, e.Name) {
		return nil, true
	}
	// Rally looks plugins of a task up without hidden ones.
	if !ok || p.Hidden {
		return nil, false
	}
	return p, false
}

// checkKnown reports the entries of a kind that name no plugin.
func (f *file) checkKnown(r *Rule, u pluginUse, w *task.Workload) {
	for i, e := range u.entries(w) {
		if p, local := f.lookup(u, i, e); p != nil || local {
			continue
		}
		all := u.all(f.cat)[i%len(u.all(f.cat))]
		var names []string
		for _, q := range all {
			if !q.Hidden {
				names = append(names, q.Name)
			}
		}
		if f.plugins != nil {
			// Sorted: suggest keeps the first of equally close names.
			names = append(names, slices.Sorted(maps.Keys(f.plugins.others[u.kind]))...)
		}
		f.report(e.NamePos, r, "there is no %s plugin %q%s", u.kind, e.Name, didYouMean(suggest(e.Name, names)))
	}
}

// checkConfig validates the entries of a kind against their plugins'
// schemas; api_versions then gets its own validator, which runs once the
// schema passes.
func (f *file) checkConfig(r *Rule, u pluginUse, w *task.Workload) {
	for i, e := range u.entries(w) {
		p, _ := f.lookup(u, i, e)
		if p == nil || len(p.Schema) == 0 {
			continue
		}
		probs := validate(f.l.compile(p.Schema), e.Config, e.NamePos)
		for _, pr := range probs {
			f.report(pr.pos, r, "%s %s: %s", u.kind, e.Name, pr.msg)
		}
		if u.kind == "context" && p.Name == "api_versions" && len(probs) == 0 {
			f.checkAPIVersions(r, e)
		}
	}
}

// checkDefaultContextsKnown: Rally validates the scenario's own default
// contexts (@scenario.configure(context=…)) too, hidden ones allowed; a
// failure is reported at the scenario name.
func (f *file) checkDefaultContextsKnown(r *Rule, w *task.Workload) {
	sc, ok := f.cat.Scenario(w.Scenario.Name)
	if !ok {
		return
	}
	for _, m := range sc.DefaultContext {
		if _, ok := f.cat.Context(m.Key); !ok {
			f.report(w.Scenario.NamePos, r, "scenario %s: its default context %q is not a known context plugin", sc.Name, m.Key)
		}
	}
}

// checkDefaultContextsValid: each default context passes its schema. The
// generated catalog's views are known to (TestShippedDefaultContexts), so
// only another catalog costs the schema compilations.
func (f *file) checkDefaultContextsValid(r *Rule, w *task.Workload) {
	if shipped(f.cat) {
		return
	}
	sc, ok := f.cat.Scenario(w.Scenario.Name)
	if !ok {
		return
	}
	for _, m := range sc.DefaultContext {
		p, ok := f.cat.Context(m.Key)
		if !ok || len(p.Schema) == 0 {
			continue
		}
		if sch := f.l.compile(p.Schema); sch != nil && sch.Validate(roundTrip(m.Value)) != nil {
			f.report(w.Scenario.NamePos, r, "scenario %s: default context %s is invalid", sc.Name, m.Key)
		}
	}
}
