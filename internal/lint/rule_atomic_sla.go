package lint

import (
	"strings"

	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleAtomicSLA: max_avg_duration_per_atomic names atomic actions the
// scenario never records; Rally silently ignores them, so the SLA checks
// nothing (warning "sla-unknown-atomic").
func ruleAtomicSLA(f *file) bool {
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			sc, ok := f.cat.Scenario(w.Scenario.Name)
			if !ok || len(sc.Atomics) == 0 {
				continue
			}
			known := map[string]bool{}
			for _, a := range sc.Atomics {
				known[a] = true
			}
			for _, l := range [][]string{sc.AtomicsMaster} {
				for _, a := range l {
					known[a] = true
				}
			}
			for _, l := range sc.AtomicsByVersion {
				for _, a := range l.Atomics {
					known[a] = true
				}
			}
			for _, s := range w.SLA {
				if s.Name != "max_avg_duration_per_atomic" {
					continue
				}
				for _, k := range task.Keys(s.Config) {
					if !known[k.Value] {
						f.report(task.PosOf(k), Warning, "sla-unknown-atomic", "scenario %s never records atomic action %q (it records %s); Rally ignores this SLA entry%s",
							sc.Name, k.Value, strings.Join(sc.Atomics, ", "), didYouMean(suggest(k.Value, sc.Atomics)))
					}
				}
			}
		}
	}
	return true
}
