package lint

import (
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/servicetypes"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleQuotasUnused: the quotas context raises limits of a service the scenario
// does not use (by its required_services, its service type, the services
// its atomic actions call; compute implies network) — usually a copy-paste
// left-over.
var ruleQuotasUnused = &Rule{
	ID: "quotas-unused", Severity: Warning,
	Description: "The quotas context raises limits of a service the scenario does not use (by its required services, its service type, the services its atomic actions call); usually a copy-paste left-over.",
	Example:     v2("    scenario:\n      KeystoneBasic.create_user: {}\n    contexts:\n      quotas:\n        cinder: {volumes: -1}\n"),
	Check:       workloads(checkQuotas),
}

func checkQuotas(f *file, r *Rule, w *task.Workload) {
	sc, ok := f.cat.Scenario(w.Scenario.Name)
	if !ok {
		return
	}
	used := slices.Clone(sc.RequiredServices)
	if sc.ServiceType != "" {
		used = append(used, sc.ServiceType)
	}
	if slices.Contains(used, "compute") {
		// Servers take ports (and floating IPs) from Neutron.
		used = append(used, "network")
	}
	if len(used) == 0 {
		return // generic scenarios (Dummy) say nothing
	}
	for _, c := range w.Contexts {
		if c.Name != "quotas" && !strings.HasPrefix(c.Name, "quotas@") {
			continue
		}
		for i := 0; c.Config != nil && i+1 < len(c.Config.Content); i += 2 {
			k := c.Config.Content[i]
			svc, ok := servicetypes.ByProject(k.Value)
			if !ok || uses(used, sc.Atomics, svc.Type, k.Value) {
				continue
			}
			f.report(task.PosOf(k), r, "quotas for %s (%s): scenario %s does not use that service", k.Value, svc.Type, sc.Name)
		}
	}
}

// uses: the service type is required, or an atomic action is named after
// the project ("neutron.create_port" for nova scenarios that boot servers).
func uses(required, atomics []string, typ, project string) bool {
	if slices.Contains(required, typ) || slices.Contains(required, project) {
		return true
	}
	for _, a := range atomics {
		if strings.HasPrefix(a, project+".") || strings.HasPrefix(a, project+"_") {
			return true
		}
	}
	return false
}
