package lint

import (
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleSLAUnknownAtomic: max_avg_duration_per_atomic names atomic actions
// the scenario never records; Rally silently ignores them, so the SLA
// checks nothing. Where an action is recorded comes from the catalog's
// atomic action trees (every branch a task argument decides, every API
// version), and the flat lists.
var ruleSLAUnknownAtomic = &Rule{
	ID: "sla-unknown-atomic", Severity: Warning,
	Description: "max_avg_duration_per_atomic names an atomic action the scenario never records; Rally ignores that entry, so it checks nothing.",
	Example:     v2("    scenario:\n      KeystoneBasic.create_user: {}\n    sla:\n      failure_rate: {max: 0}\n      max_avg_duration_per_atomic:\n        keystone_v3.create_usr: 1.0\n"),
	Check:       workloads(checkAtomicSLA(false)),
}

// ruleSLANestedAtomic: max_avg_duration_per_atomic names an atomic action
// the scenario records only while another one is open. Rally's SLA checks
// top-level actions only: a nested one is reported as 0.00 s and always
// passes, and Rally never says so.
var ruleSLANestedAtomic = &Rule{
	ID: "sla-nested-atomic", Severity: Warning,
	Description: "max_avg_duration_per_atomic names an atomic action the scenario records only inside another one; Rally checks top-level actions only (a nested one counts as 0.00 s), so the entry always passes.",
	Example:     v2("    scenario:\n      GlanceImages.create_and_list_image: {image_location: /tmp/i.qcow2, container_format: bare, disk_format: qcow2}\n    sla:\n      failure_rate: {max: 0}\n      max_avg_duration_per_atomic:\n        glance_v2.upload_data: 10\n"),
	Check:       workloads(checkAtomicSLA(true)),
}

// checkAtomicSLA reports the nested keys (nested) or the never-recorded
// ones (!nested) of a workload's max_avg_duration_per_atomic.
func checkAtomicSLA(nested bool) func(f *file, r *Rule, w *task.Workload) {
	return func(f *file, r *Rule, w *task.Workload) {
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
				place, parent := sc.AtomicPlace(k.Value)
				switch {
				case nested && place == catalog.AtomicNested:
					f.report(task.PosOf(k), r, "scenario %s records atomic action %q only inside %q; max_avg_duration_per_atomic checks top-level actions only (a nested one is reported as 0.00 s and always passes): budget %q instead",
						sc.Name, k.Value, parent, topOf(sc, parent))
				case !nested && place == catalog.AtomicNever && !known[k.Value]:
					f.report(task.PosOf(k), r, "scenario %s never records atomic action %q (it records %s); Rally ignores this SLA entry%s",
						sc.Name, k.Value, strings.Join(sc.Atomics, ", "), didYouMean(suggest(k.Value, sc.Atomics)))
				}
			}
		}
	}
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
