package catalog

import "strings"

// Entry is one search hit: the plugin kind and the plugin (Scenario set for
// scenarios).
type Entry struct {
	Kind     string    `json:"kind"`
	Plugin   *Plugin   `json:"-"`
	Scenario *Scenario `json:"-"`
}

// Kinds are the values Search accepts for kind ("" means all).
var Kinds = []string{"scenario", "context", "runner", "sla", "hook"}

// Search lists plugins whose name contains query (case-insensitive), of the
// given kind ("" = all) and, for scenarios, service type ("" = any).
func (c *Catalog) Search(query, kind, service string) []Entry {
	q := strings.ToLower(query)
	match := func(name string) bool { return strings.Contains(strings.ToLower(name), q) }
	var out []Entry
	if kind == "" || kind == "scenario" {
		for i := range c.Scenarios {
			s := &c.Scenarios[i]
			if match(s.Name) && (service == "" || s.ServiceType == service || contains(s.RequiredServices, service)) {
				out = append(out, Entry{Kind: "scenario", Plugin: &s.Plugin, Scenario: s})
			}
		}
	}
	if service != "" {
		return out
	}
	add := func(k string, l []Plugin) {
		if kind != "" && kind != k && !(kind == "hook" && strings.HasPrefix(k, "hook")) {
			return
		}
		for i := range l {
			if match(l[i].Name) {
				out = append(out, Entry{Kind: k, Plugin: &l[i]})
			}
		}
	}
	add("context", c.Contexts)
	add("runner", c.Runners)
	add("sla", c.SLAs)
	add("hook_action", c.HookActions)
	add("hook_trigger", c.HookTriggers)
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
