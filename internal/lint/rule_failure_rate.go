package lint

import (
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleFailureRate: rally-openstack's CI policy is that every workload has
// a failure_rate SLA and that it is not max: 100 (which accepts
// everything). Without an sla Rally adds failure_rate max 0 itself, so
// only an sla section that lacks it is reported.
var ruleFailureRate = &Rule{
	ID: "failure-rate", Severity: Warning,
	Description: "A workload's sla has no failure_rate (so failures do not fail the task), or failure_rate max is 100 or more (which accepts any number of failures).",
	Example:     v2("    scenario:\n      Dummy.dummy: {}\n    sla:\n      max_seconds_per_iteration: 10\n"),
	Check:       workloads(checkFailureRate),
}

func checkFailureRate(f *file, r *Rule, w *task.Workload) {
	if w.SLANode == nil {
		return
	}
	var fr *task.Entry
	for i := range w.SLA {
		if w.SLA[i].Name == "failure_rate" {
			fr = &w.SLA[i]
		}
	}
	if fr == nil {
		f.report(task.PosOf(w.SLANode), r, "workload of %s has an sla without failure_rate; failures will not fail the task", w.Scenario.Name)
		return
	}
	if k, v := task.Get(fr.Config, "max"); k != nil {
		if n, ok := pyyaml.Value(v).(int64); ok && n >= 100 {
			f.report(task.PosOf(v), r, "failure_rate max: %d accepts any number of failures", n)
		} else if x, ok := pyyaml.Value(v).(float64); ok && x >= 100 {
			f.report(task.PosOf(v), r, "failure_rate max: %v accepts any number of failures", x)
		}
	}
}
