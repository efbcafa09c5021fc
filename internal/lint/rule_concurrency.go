package lint

import "github.com/rallyforge/rallyforge/internal/task"

// ruleConcurrency: a constant runner with concurrency greater than times
// never reaches that concurrency (warning "concurrency").
func ruleConcurrency(f *file) bool {
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			if w.Runner == nil || (w.Runner.Name != "constant" && w.Runner.Name != "constant_for_duration") {
				continue
			}
			_, t := task.Get(w.Runner.Config, "times")
			k, c := task.Get(w.Runner.Config, "concurrency")
			times, ok1 := task.Value(t).(int64)
			conc, ok2 := task.Value(c).(int64)
			if w.Runner.Name == "constant" && ok1 && ok2 && conc > times {
				f.report(task.PosOf(k), Warning, "concurrency", "concurrency %d is greater than times %d; at most %d iterations run at once", conc, times, times)
			}
		}
	}
	return true
}
