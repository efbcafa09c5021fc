package lint

import (
	"github.com/rallyforge/rallyforge/internal/py"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
)

// checkRunnerValues is the runners' own validators in Rally (part of rule
// runner-config): check_constant (concurrency may not exceed times; both
// default to 1) and check_rps (an rps ramp may not end below its start).
func checkRunnerValues(f *file, r *Rule, w *task.Workload) {
	// An int (of any size) or a float; Rally's checks compare numbers.
	num := func(v any) (float64, bool) {
		k, n := py.Classify(v)
		return n.Float(), k == py.IntKind || k == py.FloatKind
	}
	if w.Runner == nil {
		return
	}
	switch w.Runner.Name {
	case "constant":
		_, t := task.Get(w.Runner.Config, "times")
		k, c := task.Get(w.Runner.Config, "concurrency")
		times, conc := 1.0, 1.0
		ok1, ok2 := true, true
		if t != nil {
			times, ok1 = num(pyyaml.Value(t))
		}
		if c != nil {
			conc, ok2 = num(pyyaml.Value(c))
		}
		if ok1 && ok2 && conc > times {
			p := w.Runner.NamePos
			if k != nil {
				p = task.PosOf(k)
			}
			f.report(p, r, "runner constant: concurrency %v is greater than times %v (Rally refuses it)", conc, times)
		}
	case "rps":
		_, rps := task.Get(w.Runner.Config, "rps")
		ks, s := task.Get(rps, "start")
		_, e := task.Get(rps, "end")
		sv, ok1 := num(pyyaml.Value(s))
		ev, ok2 := num(pyyaml.Value(e))
		if ok1 && ok2 && ev < sv {
			f.report(task.PosOf(ks), r, "runner rps: rps end %v is less than start %v", ev, sv)
		}
	}
}
