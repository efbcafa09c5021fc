package lint

import (
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleAtomicSLA: max_avg_duration_per_atomic names atomic actions the
// scenario never records (warning "sla-unknown-atomic") or records only
// nested inside another action ("sla-nested-atomic"); Rally checks neither
// and never says so: the SLA passes whatever the action takes. Where an
// action is recorded comes from the catalog's atomic action trees.
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
					place, parent := sc.AtomicPlace(k.Value)
					if place == catalog.AtomicNested {
						f.report(task.PosOf(k), Warning, "sla-nested-atomic", "scenario %s records atomic action %q only inside %q; max_avg_duration_per_atomic checks top-level actions only (a nested one is reported as 0.00 s and always passes): budget %q instead",
							sc.Name, k.Value, parent, topOf(sc, parent))
						continue
					}
					if !known[k.Value] && place == catalog.AtomicNever {
						f.report(task.PosOf(k), Warning, "sla-unknown-atomic", "scenario %s never records atomic action %q (it records %s); Rally ignores this SLA entry%s",
							sc.Name, k.Value, strings.Join(sc.Atomics, ", "), didYouMean(suggest(k.Value, sc.Atomics)))
					}
				}
			}
		}
	}
	return true
}

// topOf is the top-level action that contains name's parent chain.
func topOf(sc *catalog.Scenario, name string) string {
	for i := 0; i < 16; i++ {
		place, parent := sc.AtomicPlace(name)
		if place != catalog.AtomicNested {
			return name
		}
		name = parent
	}
	return name
}
