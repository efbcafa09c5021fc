package lint

import (
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/servicetypes"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleQuotas: the quotas context raises limits of a service the scenario
// does not use (by its required_services, its service type, the services
// its atomic actions call; compute implies network) — usually a copy-paste
// left-over (warning "quotas-unused").
func ruleQuotas(f *file) bool {
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			sc, ok := f.cat.Scenario(w.Scenario.Name)
			if !ok {
				continue
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
				continue // generic scenarios (Dummy) say nothing
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
					f.report(task.PosOf(k), Warning, "quotas-unused", "quotas for %s (%s): scenario %s does not use that service", k.Value, svc.Type, sc.Name)
				}
			}
		}
	}
	return true
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
