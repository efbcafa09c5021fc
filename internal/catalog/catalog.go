package catalog

import (
	_ "embed"
	"encoding/json"
	"sort"
	"strings"
	"sync"
)

//go:embed catalog.json
var catalogJSON []byte

var (
	loadOnce sync.Once
	loaded   *Catalog
	loadErr  error
)

// Load returns the embedded catalog, decoded once per process.
func Load() (*Catalog, error) {
	loadOnce.Do(func() {
		c := &Catalog{}
		if err := json.Unmarshal(catalogJSON, c); err != nil {
			loadErr = err
			return
		}
		c.index()
		loaded = c
	})
	return loaded, loadErr
}

// MustLoad is Load for callers that cannot go on without the catalog; the
// embedded data is checked by tests, so a failure here is a build bug.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic("catalog: embedded data is corrupt: " + err.Error())
	}
	return c
}

func (c *Catalog) index() {
	sort.Slice(c.Scenarios, func(i, j int) bool { return c.Scenarios[i].Name < c.Scenarios[j].Name })
	for _, l := range [][]Plugin{c.Contexts, c.Runners, c.SLAs, c.HookActions, c.HookTriggers} {
		sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
	}
}

// Scenario finds a scenario by its full name ("NovaServers.boot_server").
func (c *Catalog) Scenario(name string) (*Scenario, bool) {
	i := sort.Search(len(c.Scenarios), func(i int) bool { return c.Scenarios[i].Name >= name })
	if i < len(c.Scenarios) && c.Scenarios[i].Name == name {
		return &c.Scenarios[i], true
	}
	return nil, false
}

func find(l []Plugin, name string) (*Plugin, bool) {
	i := sort.Search(len(l), func(i int) bool { return l[i].Name >= name })
	if i < len(l) && l[i].Name == name {
		return &l[i], true
	}
	return nil, false
}

// Context finds a context plugin by name as written in a task ("users",
// "quotas", "network"). Rally also accepts "name@platform"; the platform
// suffix is stripped.
func (c *Catalog) Context(name string) (*Plugin, bool) { return find(c.Contexts, stripPlatform(name)) }

// Runner finds a runner plugin ("constant", "rps", ...).
func (c *Catalog) Runner(name string) (*Plugin, bool) { return find(c.Runners, stripPlatform(name)) }

// SLA finds an SLA plugin ("failure_rate", ...).
func (c *Catalog) SLA(name string) (*Plugin, bool) { return find(c.SLAs, stripPlatform(name)) }

// HookAction finds a hook action plugin ("sys_call", ...).
func (c *Catalog) HookAction(name string) (*Plugin, bool) {
	return find(c.HookActions, stripPlatform(name))
}

// HookTrigger finds a hook trigger plugin ("event", "periodic").
func (c *Catalog) HookTrigger(name string) (*Plugin, bool) {
	return find(c.HookTriggers, stripPlatform(name))
}

func stripPlatform(name string) string {
	if i := strings.IndexByte(name, '@'); i >= 0 {
		return name[:i]
	}
	return name
}

// HasSource reports whether a plugin is known to the given source.
func (p *Plugin) HasSource(src string) bool {
	for _, s := range p.Sources {
		if s == src {
			return true
		}
	}
	return false
}

// Only returns a view of the catalog restricted to plugins a source has
// (SourceMaster for what Zuul gates run, SourceInstalled for the local
// release). The result shares data with c.
func (c *Catalog) Only(src string) *Catalog {
	out := &Catalog{Generated: c.Generated, ZuulJobs: c.ZuulJobs}
	for _, s := range c.Scenarios {
		if s.HasSource(src) {
			out.Scenarios = append(out.Scenarios, s)
		}
	}
	keep := func(l []Plugin) []Plugin {
		var r []Plugin
		for _, p := range l {
			if p.HasSource(src) {
				r = append(r, p)
			}
		}
		return r
	}
	out.Contexts = keep(c.Contexts)
	out.Runners = keep(c.Runners)
	out.SLAs = keep(c.SLAs)
	out.HookActions = keep(c.HookActions)
	out.HookTriggers = keep(c.HookTriggers)
	return out
}

// ZuulJob finds a job of rally-openstack's Zuul configuration by name.
func (c *Catalog) ZuulJob(name string) (*ZuulJob, bool) {
	for i := range c.ZuulJobs {
		if c.ZuulJobs[i].Name == name {
			return &c.ZuulJobs[i], true
		}
	}
	return nil, false
}
