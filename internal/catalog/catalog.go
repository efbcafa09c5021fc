package catalog

import (
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
)

// data is the generated catalog (catalog_data.go, from catalog.json by
// gen/godata); nil only while that file is being regenerated.
var data *Catalog

// Load returns the embedded catalog. It is compiled into the binary as Go
// data, so loading costs nothing; callers must not modify it.
func Load() (*Catalog, error) {
	if data == nil {
		return nil, errors.New("catalog: catalog_data.go is missing; run rm -f internal/catalog/catalog_data.go && go run ./internal/catalog/gen/godata")
	}
	return data, nil
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

// Sort puts a catalog's plugin lists in the order the lookups expect (by
// name); the generator writes them sorted.
func Sort(c *Catalog) {
	sort.SliceStable(c.Scenarios, func(i, j int) bool { return c.Scenarios[i].Name < c.Scenarios[j].Name })
	for _, l := range [][]Plugin{c.Contexts, c.Runners, c.SLAs, c.HookActions, c.HookTriggers} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].Name < l[j].Name })
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

// Client finds an OpenStack client plugin by name ("nova", "cinder"). In
// a catalog holding both sources' entries the master one is returned.
func (c *Catalog) Client(name string) (*Client, bool) {
	var found *Client
	for i := range c.Clients {
		if c.Clients[i].Name == name {
			if found == nil || slices.Contains(c.Clients[i].Sources, SourceMaster) {
				found = &c.Clients[i]
			}
		}
	}
	return found, found != nil
}

func stripPlatform(name string) string {
	if i := strings.IndexByte(name, '@'); i >= 0 {
		return name[:i]
	}
	return name
}

// HasSource reports whether a plugin is known to the given source.
func (p *Plugin) HasSource(src string) bool { return slices.Contains(p.Sources, src) }

// Only returns a view of the catalog restricted to plugins a source has
// (SourceMaster for what Zuul gates run, SourceInstalled for the local
// release). The result shares data with c.
func (c *Catalog) Only(src string) *Catalog {
	// Sized up front: growing slices of these large structs by append
	// copied them over and over (1.2 ms, paid by every lint run with the
	// installed view).
	out := &Catalog{Generated: c.Generated, ZuulJobs: c.ZuulJobs, Scenarios: make([]Scenario, 0, len(c.Scenarios))}
	for i := range c.Scenarios {
		if c.Scenarios[i].HasSource(src) {
			out.Scenarios = append(out.Scenarios, c.Scenarios[i])
		}
	}
	keep := func(l []Plugin) []Plugin {
		r := make([]Plugin, 0, len(l))
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
	out.Clients = c.ClientsOf(src)
	return out
}

// ClientsOf returns the client entries a source has.
func (c *Catalog) ClientsOf(src string) []Client {
	var r []Client
	for _, cl := range c.Clients {
		if slices.Contains(cl.Sources, src) {
			r = append(r, cl)
		}
	}
	return r
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

// masterData and installedData are the generated views (catalog_data.go).
var masterData, installedData *Catalog

// Installed is the view of the installed release alone (Only(SourceInstalled)),
// generated too: building it took about 1 ms per process.
func Installed() *Catalog {
	if installedData == nil {
		return MustLoad().Only(SourceInstalled)
	}
	return installedData
}

// Master is the view of the catalog a gate on rally-openstack master
// judges tasks by: master's plugins plus Rally's own (whose only source is
// the installed release, since they come from rally itself), with master's
// run() signature where it differs. It is generated too (BuildMaster at
// generation time), so it costs nothing per process.
func Master() *Catalog {
	if masterData == nil {
		return BuildMaster(MustLoad())
	}
	return masterData
}

// BuildMaster computes the master view of c.
func BuildMaster(c *Catalog) *Catalog {
	out := &Catalog{Generated: c.Generated, ZuulJobs: c.ZuulJobs}
	keep := func(p *Plugin) bool { return p.HasSource(SourceMaster) || p.isCore() }
	for _, s := range c.Scenarios {
		if !keep(&s.Plugin) {
			continue
		}
		if raw, ok := s.MasterDiffers.Get("params"); ok {
			var ps []Param
			// An empty list is master's analysis not seeing a run()
			// inherited from Rally itself (Dummy.openstack); keep the
			// installed signature then.
			if json.Unmarshal(raw, &ps) == nil && len(ps) > 0 {
				s.Params = ps
			}
		}
		if raw, ok := s.MasterDiffers.Get("kwargs"); ok {
			var k bool
			if json.Unmarshal(raw, &k) == nil {
				s.Kwargs = k
			}
		}
		out.Scenarios = append(out.Scenarios, s)
	}
	filter := func(l []Plugin) []Plugin {
		var r []Plugin
		for i := range l {
			if keep(&l[i]) {
				r = append(r, l[i])
			}
		}
		return r
	}
	out.Contexts = filter(c.Contexts)
	out.Runners = filter(c.Runners)
	out.SLAs = filter(c.SLAs)
	out.HookActions = filter(c.HookActions)
	out.HookTriggers = filter(c.HookTriggers)
	out.Clients = c.ClientsOf(SourceMaster)
	return out
}

// isCore: plugins of rally itself (module rally.*, not rally_openstack.*).
func (p *Plugin) isCore() bool { return strings.HasPrefix(p.Module, "rally.") }
