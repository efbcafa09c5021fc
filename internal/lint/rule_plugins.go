package lint

import (
	"maps"
	"slices"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

// rulePlugins: runner, contexts, SLAs, hook actions and triggers exist
// ("unknown-runner", "unknown-context", "unknown-sla", "unknown-hook") and
// their configurations pass the plugin's JSON Schema ("runner-config",
// "context-config", "sla-config", "hook-config"), as Rally's jsonschema
// validator does. The scenario's default contexts are checked too.
func rulePlugins(f *file) bool {
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			if w.Runner != nil {
				f.checkPlugin("runner", *w.Runner, f.cat.Runners, f.cat.Runner)
			}
			for _, c := range w.Contexts {
				f.checkPlugin("context", c, f.cat.Contexts, f.cat.Context)
			}
			for _, s := range w.SLA {
				f.checkPlugin("sla", s, f.cat.SLAs, f.cat.SLA)
			}
			f.checkDefaultContexts(w)
			for _, h := range w.Hooks {
				f.checkPlugin("hook", h.Action, f.cat.HookActions, f.cat.HookAction)
				f.checkPlugin("hook", h.Trigger, f.cat.HookTriggers, f.cat.HookTrigger)
			}
		}
	}
	return true
}

func (f *file) checkPlugin(kind string, e task.Entry, all []catalog.Plugin, find func(string) (*catalog.Plugin, bool)) {
	p, ok := find(e.Name)
	if (!ok || p.Hidden) && f.plugins.has(kind, e.Name) {
		return // the repository's own plugin; its config is not read
	}
	// Rally looks plugins of a task up without hidden ones.
	if !ok || p.Hidden {
		var names []string
		for _, q := range all {
			if !q.Hidden {
				names = append(names, q.Name)
			}
		}
		if f.plugins != nil {
			// Sorted: suggest keeps the first of equally close names.
			names = append(names, slices.Sorted(maps.Keys(f.plugins.others[kind]))...)
		}
		f.report(e.NamePos, Error, "unknown-"+kind, "there is no %s plugin %q%s", kind, e.Name, didYouMean(suggest(e.Name, names)))
		return
	}
	if len(p.Schema) == 0 {
		return
	}
	probs := validate(compile(p.Schema), e.Config, e.NamePos)
	for _, pr := range probs {
		f.report(pr.pos, Error, kind+"-config", "%s %s: %s", kind, e.Name, pr.msg)
	}
	// The api_versions context carries Rally's check_api_versions
	// validator, which runs once the schema passes.
	if kind == "context" && p.Name == "api_versions" && len(probs) == 0 {
		f.checkAPIVersions(e)
	}
}

// checkDefaultContexts: Rally validates the scenario's own default contexts
// (@scenario.configure(context=…)) too, hidden ones allowed; a failure is
// reported at the scenario name.
func (f *file) checkDefaultContexts(w *task.Workload) {
	sc, ok := f.cat.Scenario(w.Scenario.Name)
	if !ok {
		return
	}
	for _, m := range sc.DefaultContext {
		name, cfg := m.Key, m.Value
		p, ok := f.cat.Context(name)
		if !ok {
			f.report(w.Scenario.NamePos, Error, "unknown-context", "scenario %s: its default context %q is not a known context plugin", sc.Name, name)
			continue
		}
		if len(p.Schema) == 0 || shipped(f.cat) {
			continue
		}
		if sch := compile(p.Schema); sch != nil && sch.Validate(roundTrip(cfg)) != nil {
			f.report(w.Scenario.NamePos, Error, "context-config", "scenario %s: default context %s is invalid", sc.Name, name)
		}
	}
}
