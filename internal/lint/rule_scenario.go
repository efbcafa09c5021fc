package lint

import (
	"sort"
	"strings"

	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleScenario: the scenario exists ("unknown-scenario", with did-you-mean)
// and its arguments match run()'s signature ("scenario-args": missing
// required, unexpected unless run() takes **kwargs), as Rally's args-spec
// validator does. Scenarios from the repository's own plugins are known,
// their arguments are not checked.
func ruleScenario(f *file) bool {
	var names []string
	for _, s := range f.cat.Scenarios {
		names = append(names, s.Name)
	}
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			name := w.Scenario.Name
			sc, ok := f.cat.Scenario(name)
			if !ok {
				if f.local[name] {
					f.report(w.Scenario.NamePos, Warning, "local-scenario", "scenario %s is defined in this repository's plugins; its arguments are not checked", name)
					continue
				}
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
			for _, p := range sc.Params {
				known[p.Name] = true
				if p.Required && !args[p.Name] {
					missing = append(missing, p.Name)
				}
			}
			if len(missing) > 0 {
				f.report(w.Scenario.NamePos, Error, "scenario-args", "scenario %s: missing required argument(s) %s", name, strings.Join(missing, ", "))
			}
			if sc.Kwargs {
				continue
			}
			var params []string
			for p := range known {
				params = append(params, p)
			}
			sort.Strings(params)
			for _, k := range task.Keys(w.Scenario.Config) {
				if !known[k.Value] {
					f.report(task.PosOf(k), Error, "scenario-args", "scenario %s: unexpected argument %q%s", name, k.Value, didYouMean(suggest(k.Value, params)))
				}
			}
		}
	}
	return true
}
