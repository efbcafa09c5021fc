package lint

import (
	"strings"

	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleSLAUnknownAtomic: max_avg_duration_per_atomic names atomic actions
// the scenario never records; Rally silently ignores them, so the SLA
// checks nothing.
var ruleSLAUnknownAtomic = &Rule{
	ID: "sla-unknown-atomic", Severity: Warning,
	Description: "max_avg_duration_per_atomic names an atomic action the scenario never records; Rally ignores that entry, so it checks nothing.",
	Example:     v2("    scenario:\n      KeystoneBasic.create_user: {}\n    sla:\n      failure_rate: {max: 0}\n      max_avg_duration_per_atomic:\n        keystone_v3.create_usr: 1.0\n"),
	Check:       workloads(checkAtomicSLA),
}

func checkAtomicSLA(f *file, r *Rule, w *task.Workload) {
	sc, ok := f.cat.Scenario(w.Scenario.Name)
	if !ok || len(sc.Atomics) == 0 {
		return
	}
	known := map[string]bool{}
	for _, a := range sc.Atomics {
		known[a] = true
	}
	for _, a := range sc.AtomicsMaster {
		known[a] = true
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
				f.report(task.PosOf(k), r, "scenario %s never records atomic action %q (it records %s); Rally ignores this SLA entry%s",
					sc.Name, k.Value, strings.Join(sc.Atomics, ", "), didYouMean(suggest(k.Value, sc.Atomics)))
			}
		}
	}
}
