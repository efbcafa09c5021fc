package lint

import (
	"sort"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleScenario: the scenario exists ("unknown-scenario", with did-you-mean)
// and its arguments match run()'s signature ("scenario-args": missing
// required, unexpected unless run() takes **kwargs), as Rally's args-spec
// validator does. Scenarios from the repository's own plugins are known,
// their arguments are checked against the run() read from the plugin file
// when it can be read.
func ruleScenario(f *file) bool {
	var names []string
	for _, s := range f.cat.Scenarios {
		names = append(names, s.Name)
	}
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			name := w.Scenario.Name
			var params []catalog.Param
			var kwargs bool
			if sc, ok := f.cat.Scenario(name); ok {
				params, kwargs = sc.Params, sc.Kwargs
			} else if ls, ok := f.local[name]; ok {
				if ls.Signature == nil {
					f.report(w.Scenario.NamePos, Warning, "local-scenario", "scenario %s is defined in this repository's plugins; its run() could not be read, so its arguments are not checked", name)
					continue
				}
				params, kwargs = ls.Signature.Params, ls.Signature.Kwargs
			} else {
				local := make([]string, 0, len(f.local))
				for n := range f.local {
					local = append(local, n)
				}
				f.report(w.Scenario.NamePos, Error, "unknown-scenario", "there is no scenario plugin %q%s", name, didYouMean(suggest(name, append(names, local...))))
				continue
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
				f.report(w.Scenario.NamePos, Error, "scenario-args", "scenario %s: missing required argument(s) %s", name, strings.Join(missing, ", "))
			}
			if kwargs {
				continue
			}
			var paramNames []string
			for p := range known {
				paramNames = append(paramNames, p)
			}
			sort.Strings(paramNames)
			for _, k := range task.Keys(w.Scenario.Config) {
				if !known[k.Value] {
					f.report(task.PosOf(k), Error, "scenario-args", "scenario %s: unexpected argument %q%s", name, k.Value, didYouMean(suggest(k.Value, paramNames)))
				}
			}
		}
	}
	return true
}
