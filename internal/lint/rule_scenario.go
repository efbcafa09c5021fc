package lint

import (
	"sort"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

// The scenario exists (with did-you-mean) and its arguments match run()'s
// signature (missing required, unexpected unless run() takes **kwargs),
// as Rally's args-spec validator does. Scenarios from the repository's own
// plugins are known; their arguments are checked against the run() read
// from the plugin file when it can be read.
var (
	ruleUnknownScenario = &Rule{
		ID: "unknown-scenario", Severity: Error,
		Description: "No scenario plugin has this name, in the catalog or in the repository's own plugins.",
		Example:     v2("    scenario:\n      Dummy.dumy: {}\n"),
		Check:       workloads(checkUnknownScenario),
	}
	ruleLocalScenario = &Rule{
		ID: "local-scenario", Severity: Warning,
		Description:  "The scenario is defined in the repository's own plugins, but its run() could not be read, so its arguments are not checked.",
		Example:      v2("    scenario:\n      Local.opaque: {}\n"),
		ExampleFiles: map[string]string{"rally-jobs/plugins/local.py": "from rally.task import scenario\n\n\n@scenario.configure(name=\"Local.opaque\")\nclass Opaque(object):\n    run = make_run()\n"},
		Check:        workloads(checkLocalScenario),
	}
	ruleScenarioArgs = &Rule{
		ID: "scenario-args", Severity: Error,
		Description: "The scenario's arguments do not match its run(): a required argument is missing, or an argument run() does not take is given.",
		Example:     v2("    scenario:\n      Dummy.dummy: {slep: 1}\n"),
		Check:       workloads(checkScenarioArgs),
	}
)

func checkUnknownScenario(f *file, r *Rule, w *task.Workload) {
	name := w.Scenario.Name
	if _, ok := f.cat.Scenario(name); ok {
		return
	}
	if _, ok := f.local[name]; ok {
		return
	}
	names := make([]string, 0, len(f.cat.Scenarios)+len(f.local))
	for _, s := range f.cat.Scenarios {
		names = append(names, s.Name)
	}
	for n := range f.local {
		names = append(names, n)
	}
	f.report(w.Scenario.NamePos, r, "there is no scenario plugin %q%s", name, didYouMean(suggest(name, names)))
}

func checkLocalScenario(f *file, r *Rule, w *task.Workload) {
	name := w.Scenario.Name
	if _, ok := f.cat.Scenario(name); ok {
		return
	}
	if ls, ok := f.local[name]; ok && ls.Signature == nil {
		f.report(w.Scenario.NamePos, r, "scenario %s is defined in this repository's plugins; its run() could not be read, so its arguments are not checked", name)
	}
}

func checkScenarioArgs(f *file, r *Rule, w *task.Workload) {
	name := w.Scenario.Name
	var params []catalog.Param
	var kwargs bool
	if sc, ok := f.cat.Scenario(name); ok {
		params, kwargs = sc.Params, sc.Kwargs
	} else if ls, ok := f.local[name]; ok && ls.Signature != nil {
		params, kwargs = ls.Signature.Params, ls.Signature.Kwargs
	} else {
		return
	}
	args := map[string]bool{}
	for _, k := range task.Keys(w.Scenario.Config) {
		args[k.Value] = true
	}
	var missing []string
	known := map[string]bool{}
	for _, p := range params {
		known[p.Name] = true
		if p.Required && !args[p.Name] {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		f.report(w.Scenario.NamePos, r, "scenario %s: missing required argument(s) %s", name, strings.Join(missing, ", "))
	}
	if kwargs {
		return
	}
	var paramNames []string
	for p := range known {
		paramNames = append(paramNames, p)
	}
	sort.Strings(paramNames)
	for _, k := range task.Keys(w.Scenario.Config) {
		if !known[k.Value] {
			f.report(task.PosOf(k), r, "scenario %s: unexpected argument %q%s", name, k.Value, didYouMean(suggest(k.Value, paramNames)))
		}
	}
}
