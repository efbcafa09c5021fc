package rallyoracle

import (
	_ "embed"
	"path/filepath"
)

//go:embed sla.py
var slaScript []byte

// SLAItem is a task and the results its SLAs are judged on.
type SLAItem struct {
	Name    string         `json:"name"`
	Task    string         `json:"task"`
	Report  string         `json:"report"` // rally task report --json
	Plugins []string       `json:"plugins,omitempty"`
	Args    map[string]any `json:"args,omitempty"`
}

// SLAResult is one criterion's verdict, as Rally reports it.
type SLAResult struct {
	Criterion string `json:"criterion"`
	Success   bool   `json:"success"`
	Detail    string `json:"detail"`
}

// SLAVerdict is what Rally's own SLA checkers say about the report's
// iterations under the task's SLAs, per matched workload
// ("Scenario#occurrence"); Error is set when Rally refused the task.
type SLAVerdict struct {
	Error     *string `json:"error"`
	Workloads []struct {
		Workload string      `json:"workload"`
		SLA      []SLAResult `json:"sla"`
	} `json:"workloads"`
}

// CheckSLA runs Rally's SLAChecker over each item's report with the SLAs
// of its task (rendered by Rally's own Jinja2), keyed by name.
func CheckSLA(items []SLAItem) (map[string]SLAVerdict, error) {
	var out map[string]SLAVerdict
	err := runAny(slaScript, items, &out)
	return out, err
}

// runAny is run for SLA items (absolute task and report paths).
func runAny(script []byte, items []SLAItem, result any) error {
	abs := make([]SLAItem, len(items))
	for i, it := range items {
		var err error
		if it.Task, err = filepath.Abs(it.Task); err != nil {
			return err
		}
		if it.Report, err = filepath.Abs(it.Report); err != nil {
			return err
		}
		abs[i] = it
	}
	return runScript(script, "sla.py", abs, result)
}
