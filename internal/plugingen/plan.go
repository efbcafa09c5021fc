// Package plugingen turns a project's API reference into Rally scenarios
// for a service rally-openstack does not cover: a plugin module calling the
// REST API through the keystoneauth session Rally already holds, and a task
// running those scenarios with SLAs on their atomic actions.
package plugingen

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/apiref"
	"github.com/rallyforge/rallyforge/internal/servicetypes"
)

// Skip says why a resource gets fewer (or no) scenarios.
type Skip struct {
	Resource string `json:"resource"`
	Path     string `json:"path"`
	Reason   string `json:"reason"`
}

// Resource is one resource the plugin exercises.
type Resource struct {
	Name     string `json:"name"`   // singular, unique in the plugin
	Plural   string `json:"plural"` // unique in the plugin
	ListPath string `json:"list_path,omitempty"`
	// Create fields are set when the create request could be derived.
	CreatePath string   `json:"create_path,omitempty"`
	MemberPath string   `json:"member_path,omitempty"`
	IDKeys     []string `json:"id_keys,omitempty"` // where the new id may be in the create response
	Body       any      `json:"body,omitempty"`    // JSON with randomName leaves; nil: no body
	Show       bool     `json:"show,omitempty"`
}

// Creatable reports whether create-based scenarios are offered.
func (r Resource) Creatable() bool { return r.CreatePath != "" }

// Scenario is one generated scenario.
type Scenario struct {
	Name     string   `json:"name"`     // Rally plugin name, Group.method
	Class    string   `json:"class"`    // Python class
	Kind     string   `json:"kind"`     // list, create_and_delete, ...
	Resource string   `json:"resource"` // Resource.Name
	Plural   string   `json:"-"`        // Resource.Plural
	Atomics  []string `json:"atomics"`
}

// Plan is what `rallyforge plugin` generates for one repository.
type Plan struct {
	Project      string            `json:"project"`
	ServiceType  string            `json:"service_type"`
	Group        string            `json:"group"` // scenario name prefix
	Microversion string            `json:"microversion,omitempty"`
	Operations   int               `json:"operations"`
	Resources    []Resource        `json:"resources"`
	Scenarios    []Scenario        `json:"scenarios"`
	Skipped      []Skip            `json:"skipped"`
	Findings     []apiref.Finding  `json:"findings,omitempty"`
	Found        int               `json:"resources_found"`
	byName       map[string]string // Python names taken -> collection
}

// randomName marks a value the scenario fills with Rally's random name
// generator; prefix and upper keep a documented naming convention (e.g.
// Placement's CUSTOM_ resource classes).
type randomName struct {
	prefix string
	upper  bool
}

var (
	versionSeg = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v[0-9]+(\.[0-9]+)?$`) })
	uuidRe     = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)
	})
	refKeyRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(_id|_uuid|uuid|ref|_href|_url|_name|^id)$`) })
	dateRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`) })
	upperName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Z][A-Z0-9]*_)[A-Z0-9_]*$`) })
)

// Build reads repo's api-ref and decides what to generate.
func Build(repo, project, serviceType string) (*Plan, error) {
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
	p := &Plan{
		Project:      project,
		ServiceType:  serviceType,
		Group:        groupName(project),
		Microversion: ref.Microversion,
		Operations:   len(ref.Ops),
		Findings:     ref.Findings,
		byName:       map[string]string{},
	}
	for _, r := range ref.Resources() {
		p.Found++
		p.add(r)
	}
	return p, nil
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

func (p *Plan) skip(r *apiref.Resource, f string, a ...any) {
	p.Skipped = append(p.Skipped, Skip{Resource: r.Name, Path: r.Collection, Reason: fmt.Sprintf(f, a...)})
}

// add decides the scenarios of one resource.
func (p *Plan) add(r *apiref.Resource) {
	last := r.Collection[strings.LastIndex(r.Collection, "/")+1:]
	switch {
	case versionSeg().MatchString(last):
		p.skip(r, "API version document, not a resource")
		return
	case len(r.Parents) > 0:
		p.skip(r, "nested under {%s}: needs a parent resource first", strings.Join(r.Parents, "}, {"))
		return
	}
	if r.Create == nil && r.Member == "" {
		// e.g. /allocation_candidates, /limits: a GET whose answer depends
		// on the query, which the reference may document as optional
		// even when the server needs it.
		p.skip(r, "query endpoint, not a collection (no create and no member operations)")
		return
	}
	res := Resource{Name: r.Name, Plural: r.Plural}
	if r.List != nil {
		if q := requiredIn(r.List.Request, "query", "header"); q != "" {
			p.skip(r, "list: required %s has no documented default", q)
		} else {
			res.ListPath = r.Collection
		}
	}
	switch {
	case r.Create == nil:
		p.skip(r, "no POST %s: cannot create", r.Collection)
	case r.Delete == nil:
		p.skip(r, "no DELETE %s/{...}: what a scenario creates could not be removed", r.Collection)
	default:
		body, why := deriveBody(r.Create)
		if why != "" {
			p.skip(r, "create: %s", why)
			break
		}
		res.CreatePath, res.MemberPath, res.Body = r.Collection, r.Member, body
		res.IDKeys = idKeys(r.IDParam, r.Name)
		res.Show = r.Show != nil
	}
	if res.ListPath == "" && !res.Creatable() {
		return
	}
	// Two collections can share a last segment (/a/x and /b/x): qualify.
	for n := 2; p.byName[res.Name] != "" || p.byName[res.Plural] != ""; n++ {
		res.Name, res.Plural = fmt.Sprintf("%s%d", r.Name, n), fmt.Sprintf("%s%d", r.Plural, n)
	}
	p.byName[res.Name], p.byName[res.Plural] = r.Collection, r.Collection
	p.Resources = append(p.Resources, res)
	p.scenarios(res)
}

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

// deriveBody builds the create request from the documented sample, keeping
// only required parameters; names become random names. A required value
// that names another resource (an id, a reference) cannot be derived.
// Parameters listed as "parent.child" are required inside their parent
// only, so they count only when the parent itself is required.
func deriveBody(op *apiref.Op) (any, string) {
	required := map[string]bool{}
	var order []string
	for _, x := range op.Request {
		if x.In != "body" || !x.Required {
			continue
		}
		key := x.Name
		if parent, child, ok := strings.Cut(x.Name, "."); ok {
			if !requiredParam(op.Request, parent) {
				continue
			}
			key = child[strings.LastIndex(child, ".")+1:]
		}
		if !required[key] {
			required[key] = true
			order = append(order, key)
		}
	}
	if q := requiredIn(op.Request, "query", "header"); q != "" {
		return nil, "required " + q + " has no documented value"
	}
	for _, x := range op.Request {
		if x.In == "" {
			return nil, fmt.Sprintf("parameter %q is not defined, so what is required is unknown", x.Name)
		}
	}
	if op.RequestSample == nil {
		if len(order) == 0 {
			return nil, ""
		}
		body := map[string]any{}
		for _, k := range order {
			if !nameKey(k) {
				return nil, fmt.Sprintf("no request sample, and required %q cannot be invented", k)
			}
			body[k] = randomName{}
		}
		return body, ""
	}
	top, ok := op.RequestSample.(map[string]any)
	if !ok {
		return nil, "request sample is not a JSON object"
	}
	seen := map[string]bool{}
	var why string
	var filter func(m map[string]any) map[string]any
	filter = func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, x := range m {
			if !required[k] {
				continue
			}
			seen[k] = true
			switch val := x.(type) {
			case string:
				switch {
				case nameKey(k):
					rn := randomName{}
					if mm := upperName().FindStringSubmatch(val); mm != nil {
						rn = randomName{prefix: mm[1], upper: true}
					}
					out[k] = rn
					continue
				case why != "":
				case refKeyRe().MatchString(k) || uuidRe().MatchString(val):
					why = fmt.Sprintf("required %q refers to another resource", k)
				case dateRe().MatchString(val):
					why = fmt.Sprintf("required %q is a point in time; the sample's %q would be stale", k, val)
				}
			case map[string]any:
				x = filter(val)
			}
			out[k] = x
		}
		return out
	}
	var body map[string]any
	// The usual {"<resource>": {...}} wrapper is kept even when the
	// reference does not list it as a parameter.
	if len(top) == 1 {
		for k, v := range top {
			if inner, ok := v.(map[string]any); ok && !required[k] {
				body = map[string]any{k: filter(inner)}
			}
		}
	}
	if body == nil {
		body = filter(top)
	}
	if why != "" {
		return nil, why
	}
	for _, k := range order {
		if !seen[k] {
			return nil, fmt.Sprintf("required %q is not in the request sample", k)
		}
	}
	return body, ""
}

func requiredParam(ps []apiref.Param, name string) bool {
	for _, x := range ps {
		if x.Name == name && x.Required {
			return true
		}
	}
	return false
}

func nameKey(k string) bool {
	k = strings.ToLower(k)
	return k == "name" || k == "display_name"
}

// scenarios adds the scenarios one resource supports.
func (p *Plan) scenarios(r Resource) {
	at := func(verb, what string) string { return p.ServiceType + "." + verb + "_" + what }
	add := func(kind, method string, atomics ...string) {
		p.Scenarios = append(p.Scenarios, Scenario{
			Name: p.Group + "." + method, Class: camel(method), Kind: kind,
			Resource: r.Name, Plural: r.Plural, Atomics: atomics,
		})
	}
	if r.ListPath != "" {
		add("list", "list_"+r.Plural, at("list", r.Plural))
	}
	if !r.Creatable() {
		return
	}
	create, del := at("create", r.Name), at("delete", r.Name)
	add("create_and_delete", "create_and_delete_"+r.Name, create, del)
	if r.ListPath != "" {
		add("create_and_list", "create_and_list_"+r.Plural, create, at("list", r.Plural), del)
	}
	if r.Show {
		add("create_and_show", "create_and_show_"+r.Name, create, at("show", r.Name), del)
	}
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
