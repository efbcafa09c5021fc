// Package plugingen turns a project's API reference into Rally scenarios
// for a service rally-openstack does not cover: a plugin module calling the
// REST API through the keystoneauth session of the context's users (the
// admin's for admin-only APIs), registered with Rally's cleanup, waiting on
// asynchronous resources with Rally's own utilities, and a task running
// those scenarios with SLAs on their atomic actions.
//
// Every rule reads the reference's structure (paths, verbs, success codes,
// required parameters, samples, status fields, policy notes); nothing is
// keyed on a project's name.
package plugingen

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/apiref"
	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/servicetypes"
)

// Skip says why a resource or operation gets fewer (or no) scenarios.
type Skip struct {
	Resource string `json:"resource"`
	Path     string `json:"path"`
	Reason   string `json:"reason"`
}

// Header is one request header a call sends.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Call is one documented REST request a scenario sends.
type Call struct {
	Verb  string `json:"verb"`
	Path  string `json:"path"`
	Title string `json:"title,omitempty"`
	// Headers are the request headers the reference marks required
	// (API version headers such as ETSI's Version, a service's own
	// microversion header).
	Headers []Header `json:"headers,omitempty"`
	// Microversion goes in OpenStack-API-Version (keystoneauth's
	// microversion argument): the newest "New in version" of the
	// operation and of the parameters it sends.
	Microversion string `json:"microversion,omitempty"`
	Body         any    `json:"body,omitempty"` // JSON with randomName / parentRef leaves
	Async        bool   `json:"async,omitempty"`
	Admin        bool   `json:"admin,omitempty"`
}

// Wait is how create waits for a resource the reference documents as
// asynchronous: the status field and its documented values.
type Wait struct {
	StatusKey string   `json:"status_key"`
	Ready     []string `json:"ready"`
	Failure   []string `json:"failure"`
	FaultKeys []string `json:"fault_keys,omitempty"`
}

// Dep is a resource another one needs first: a path parameter of a nested
// collection, or a body field referring to it.
type Dep struct {
	Param    string `json:"param"`    // python name of the value
	Resource string `json:"resource"` // Resource.Name
	InPath   bool   `json:"in_path,omitempty"`
}

// Resource is one resource the plugin exercises.
type Resource struct {
	Name   string `json:"name"`   // singular python name, unique in the plugin
	Plural string `json:"plural"` // unique in the plugin
	Human  string `json:"human"`  // for docstrings
	// Admin: the calls use the admin's session; otherwise the context
	// users' (project-scoped resources). Scope says why.
	Admin bool   `json:"admin"`
	Scope string `json:"scope"`

	List    *Call  `json:"list,omitempty"`
	ListKey string `json:"list_key,omitempty"` // key of the items in the list answer
	Create  *Call  `json:"create,omitempty"`
	Show    *Call  `json:"show,omitempty"`
	ShowKey string `json:"show_key,omitempty"` // wrapper key of the show answer
	Delete  *Call  `json:"delete,omitempty"`

	IDParam string   `json:"id_param,omitempty"` // python name of the member id
	IDKeys  []string `json:"id_keys,omitempty"`  // where the new id may be in the create answer
	Parents []Dep    `json:"parents,omitempty"`  // in path order, then body order
	// Existing are body fields that name an object another service
	// already has: create takes each as an argument, which the scenario
	// finds first in that service's listing.
	Existing []Existing `json:"existing,omitempty"`
	Wait     *Wait      `json:"wait,omitempty"`
	// DeleteWait: DELETE is answered 202, so delete waits for the 404.
	DeleteWait bool `json:"delete_wait,omitempty"`
	// Cleanup: a cleanup resource manager is registered (Rally's
	// cleanup@openstack / admin_cleanup@openstack context); CleanupNote
	// says why not otherwise.
	Cleanup     bool   `json:"cleanup"`
	CleanupNote string `json:"cleanup_note,omitempty"`
	// EmptyNotFound: the list answers an empty result 404 (the API
	// documents 404 for a collection GET with nothing in its path that
	// could be missing): a 404 carrying the service's JSON error is an
	// empty list.
	EmptyNotFound bool   `json:"empty_not_found,omitempty"`
	NameKey       string `json:"name_key,omitempty"`
	NamePrefix    string `json:"name_prefix,omitempty"`
	NameUpper     bool   `json:"name_upper,omitempty"`
	depth         int
}

// Creatable reports whether create-based scenarios are offered.
func (r *Resource) Creatable() bool { return r.Create != nil }

// Scenario is one generated scenario.
type Scenario struct {
	Name     string   `json:"name"`     // Rally plugin name, Group.method
	Class    string   `json:"class"`    // Python class
	Kind     string   `json:"kind"`     // list, create_and_delete, ..., action
	Resource string   `json:"resource"` // Resource.Name ("" for an action on nothing)
	Atomics  []string `json:"atomics"`
	Doc      string   `json:"doc"`
	Admin    bool     `json:"admin"` // needs the admin credential
	Users    bool     `json:"users"` // runs as the context's users
	// Cleanup are the "<service>.<resource>" names of the cleanup
	// managers, per context (user / admin).
	UserCleanup  []string `json:"user_cleanup,omitempty"`
	AdminCleanup []string `json:"admin_cleanup,omitempty"`
	// Services are the clients of other services it lists (Rally's
	// required_services validator, where Rally knows the name).
	Services []string `json:"services,omitempty"`
	// Concurrency overrides the task's when set; Why says why.
	Concurrency int      `json:"concurrency,omitempty"`
	Why         string   `json:"why,omitempty"`
	Lines       []string `json:"-"` // body of run()
}

// Action is an operation that is not a resource's create/list/show/delete:
// an event or notification sent to the service, or an action on a member.
type Action struct {
	Name   string `json:"name"` // python method name, unique
	Atomic string `json:"atomic"`
	On     string `json:"on,omitempty"` // Resource.Name it acts on
	Path   string `json:"path"`         // as documented
	Call   *Call  `json:"call"`
	Human  string `json:"human"`
}

// Suite is what `rallyforge plugin` generates for one repository.
type Suite struct {
	Project      string `json:"project"`
	ServiceType  string `json:"service_type"`
	Group        string `json:"group"`       // scenario name prefix
	AtomicPrefix string `json:"atomic_name"` // project name, as rally-openstack's "nova."
	// Profile is init's --profile ("" for `plugin`: the gate's load).
	Profile      string           `json:"profile,omitempty"`
	Microversion string           `json:"microversion,omitempty"`
	Operations   int              `json:"operations"`
	Resources    []*Resource      `json:"resources"`
	Actions      []*Action        `json:"actions,omitempty"`
	Scenarios    []Scenario       `json:"scenarios"`
	Skipped      []Skip           `json:"skipped"`
	Findings     []apiref.Finding `json:"findings,omitempty"`
	Found        int              `json:"resources_found"`
}

// randomName marks a value the scenario fills with Rally's random name
// generator; prefix and upper keep a documented naming convention (e.g.
// Placement's CUSTOM_ resource classes).
type randomName struct {
	prefix string
	upper  bool
}

// parentRef marks a value that is the id of a resource the scenario
// creates first.
type parentRef struct{ param string }

var (
	versionSeg = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v[0-9]+(\.[0-9]+)*$`) })
	uuidRe     = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)
	})
	refKeyRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(_id|_uuid|uuid|ref|_href|_url|.name|^id)$`) })
	refSuffix = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(_?ids?|_?uuids?|_?refs?|_?href|_?url|_?names?)$`)
	})
	dateRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`) })
	upperName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Z][A-Z0-9]*_)[A-Z0-9_]*$`) })
	neededRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\brequired (if|when|unless)\b`) })
	literalRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile("``([A-Za-z][A-Za-z0-9_ -]*)``|'([A-Za-z][A-Za-z0-9_-]*)'|\"([A-Za-z][A-Za-z0-9_-]*)\"")
	})
	valueRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile("(?:``|`|\"|')([0-9]+(?:\\.[0-9]+)+)(?:``|`|\"|')")
	})
)

// Build reads repo's api-ref and decides what to generate.
func Build(repo, project, serviceType string) (*Suite, error) {
	// Both end up in Python, YAML and file names.
	if err := servicetypes.Check(serviceType); err != nil {
		return nil, err
	}
	if err := servicetypes.CheckProject(project); err != nil {
		return nil, fmt.Errorf("%s: %w", repo, err)
	}
	ref, err := apiref.Load(repo)
	if err != nil {
		return nil, err
	}
	return FromRef(ref, project, serviceType), nil
}

// FromRef plans the plugin of a parsed reference.
func FromRef(ref *apiref.Ref, project, serviceType string) *Suite {
	p := &Suite{
		Project:      project,
		ServiceType:  serviceType,
		Group:        freeGroup(groupName(project)),
		AtomicPrefix: atomicPrefix(project),
		Microversion: ref.Microversion,
		Operations:   len(ref.Ops),
		Findings:     ref.Findings,
	}
	b := newBuilder(p, ref)
	b.resources()
	b.actions()
	b.scenarios()
	return p
}

func groupName(project string) string {
	var b strings.Builder
	for _, w := range regexp.MustCompile(`[^A-Za-z0-9]+`).Split(strings.TrimSuffix(project, "-api"), -1) {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	if b.Len() == 0 || b.String()[0] >= '0' && b.String()[0] <= '9' {
		return "Service" + b.String()
	}
	return b.String()
}

// freeGroup keeps the scenario names apart from rally-openstack's: a
// group its registry already uses (Octavia.*, for a service it covers)
// gets an "Api" suffix, or Rally would refuse the duplicate plugin names.
func freeGroup(g string) string {
	c := catalog.MustLoad()
	for _, s := range c.Scenarios {
		if strings.HasPrefix(s.Name, g+".") {
			return g + "Api"
		}
	}
	return g
}

// atomicPrefix is the project name as rally-openstack spells its atomic
// actions ("nova.boot_server", "octavia.load_balancer_create"): the
// project, not the service type.
func atomicPrefix(project string) string {
	s := strings.Trim(nonWord().ReplaceAllString(strings.ToLower(strings.TrimSuffix(project, "-api")), "_"), "_")
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "service_" + s
	}
	return s
}

var nonWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9]+`) })

func requiredIn(ps []apiref.Param, in ...string) string {
	for _, x := range ps {
		for _, w := range in {
			if x.Required && x.In == w {
				return fmt.Sprintf("%s parameter %q", w, x.Name)
			}
		}
	}
	return ""
}

func idKeys(param, name string) []string {
	keys := []string{param}
	for _, k := range []string{strings.TrimPrefix(param, name+"_"), "id", "uuid", "name"} {
		dup := false
		for _, x := range keys {
			dup = dup || x == k
		}
		if !dup {
			keys = append(keys, k)
		}
	}
	return keys
}

func nameKey(k string) bool {
	k = strings.ToLower(k)
	return k == "name" || k == "display_name"
}

func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.Split(s, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
