package lint

import (
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleFailureRate: rally-openstack's CI policy is that every workload has a
// failure_rate SLA and that it is not max: 100 (which accepts everything).
// Without an sla Rally adds failure_rate max 0 itself, so only an sla
// section that lacks it is reported (warning "failure-rate").
func ruleFailureRate(f *file) bool {
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			if w.SLANode == nil {
				continue
			}
			var fr *task.Entry
			for i := range w.SLA {
				if w.SLA[i].Name == "failure_rate" {
					fr = &w.SLA[i]
				}
			}
			if fr == nil {
				f.report(task.PosOf(w.SLANode), Warning, "failure-rate", "workload of %s has an sla without failure_rate; failures will not fail the task", w.Scenario.Name)
				continue
			}
			if k, v := task.Get(fr.Config, "max"); k != nil {
				if n, ok := pyyaml.Value(v).(int64); ok && n >= 100 {
					f.report(task.PosOf(v), Warning, "failure-rate", "failure_rate max: %d accepts any number of failures", n)
				} else if x, ok := pyyaml.Value(v).(float64); ok && x >= 100 {
					f.report(task.PosOf(v), Warning, "failure-rate", "failure_rate max: %v accepts any number of failures", x)
				}
			}
		}
	}
	return true
}
