package plugingen

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rallyforge/rallyforge/internal/apiref"
)

// refResolver answers for a body field that refers to another resource:
// the python name of the parent's id when the plugin can create that
// parent first, or why not ("" when the field names no resource of this
// API).
type refResolver func(key string) (param, why string)

// deriveBody builds a request from what the reference documents as
// required, with values from the request sample:
//   - names become Rally random names (keeping an upper-case prefix
//     convention such as CUSTOM_);
//   - a field documented as optional but "required if ..." or one the
//     sample fills with a reference to a resource of this API is needed
//     all the same (a backup's instance);
//   - a required object the documentation does not detail keeps the
//     sample's content, never {};
//   - a reference to another resource becomes the id of a parent the
//     scenario creates first (resolve), or the reason it cannot be built;
//   - what drop names is left out (deriveBodyWithout).
//
// Parameters listed as "parent.child" are required inside their parent
// only, so they count only when the parent itself is required.
func deriveBody(op *apiref.Op, resolve refResolver) (any, []Dep, string) {
	return deriveBodyWithout(op, resolve, nil)
}

// deriveBodyWithout is deriveBody leaving out the fields at the dotted
// paths (below the wrapper) that drop says are the deployment's.
func deriveBodyWithout(op *apiref.Op, resolve refResolver, drop func(path string) bool) (any, []Dep, string) {
	required := map[string]bool{}
	documented := map[string]bool{}
	detailed := map[string]bool{} // objects whose children are documented
	var order []string
	request, undefined := sampleDecides(op)
	for _, x := range request {
		if x.In != "body" {
			continue
		}
		key := x.Name
		if parent, child, ok := strings.Cut(x.Name, "."); ok {
			detailed[parent] = true
			if i := strings.LastIndex(child, "."); i >= 0 {
				detailed[child[:i]] = true
			}
			key = child[strings.LastIndex(child, ".")+1:]
			documented[key] = true
			if !x.Required || !requiredParam(request, parent) {
				continue
			}
		}
		documented[key] = true
		if !x.Required && !neededRe().MatchString(x.Description) {
			continue
		}
		if !required[key] {
			required[key] = true
			order = append(order, key)
		}
	}
	if q := requiredIn(request, "query"); q != "" {
		return nil, nil, "required " + q + " has no documented value"
	}
	if undefined != "" {
		return nil, nil, undefined
	}
	if resolve == nil {
		resolve = func(string) (string, string) { return "", "" }
	}
	var deps []Dep
	addDep := func(param, key string) {
		for _, d := range deps {
			if d.Param == param {
				return
			}
		}
		deps = append(deps, Dep{Param: param, Resource: key})
	}
	if op.RequestSample == nil {
		if len(order) == 0 {
			return nil, nil, ""
		}
		body := map[string]any{}
		for _, k := range order {
			if !nameKey(k) {
				return nil, nil, fmt.Sprintf("no request sample, and required %q cannot be invented", k)
			}
			body[k] = randomName{}
		}
		return body, nil, ""
	}
	top, ok := op.RequestSample.(map[string]any)
	if !ok {
		return nil, nil, "request sample is not a JSON object"
	}
	seen := map[string]bool{}
	var why string
	earliest := earliestTime(top)
	// value turns one sample value into what the scenario sends.
	var value func(k, at string, x any, whole bool) any
	var filter func(m map[string]any, whole bool, at string) map[string]any
	value = func(k, at string, x any, whole bool) any {
		if why == "" && strings.HasSuffix(strings.ToLower(k), "generation") {
			why = fmt.Sprintf("required %q is the server's current generation of the resource, not a sample value", k)
		}
		switch val := x.(type) {
		case string:
			switch {
			case nameKey(k):
				if mm := upperName().FindStringSubmatch(val); mm != nil {
					return randomName{prefix: mm[1], upper: true}
				}
				return randomName{}
			case why != "":
			// Inside an object the reference does not detail, a UUID
			// under a plain key (a rule's "value") is data.
			// Inside an object the reference does not detail, a name
			// is data too (the name an action gives what it makes).
			case whole && byName(k) && !uuidRe().MatchString(val):
			case refKeyRe().MatchString(k) || uuidRe().MatchString(val) && !whole:
				param, w := resolve(k)
				if byName(k) && !uuidRe().MatchString(val) {
					if param == "" && w == "" {
						break // a name of something outside this API (a process): data
					}
					// The parent's id would not do, and its name is
					// the scenario's to choose.
					why = fmt.Sprintf("required %q names a resource of this API by its name", k)
					break
				}
				if param != "" {
					addDep(param, k)
					return parentRef{param}
				}
				if w == "" {
					w = "refers to another resource"
				}
				why = fmt.Sprintf("required %q %s", k, w)
			case dateRe().MatchString(val):
				t, pyFmt, ok := sampleTime(val)
				if !ok {
					why = fmt.Sprintf("required %q is a point in time; the sample's %q would be stale", k, val)
					break
				}
				// Now, keeping the sample's distances between its
				// times (a lease's start and end).
				return timeAt{offset: int(t.Sub(earliest).Seconds()), format: pyFmt}
			}
		case map[string]any:
			out := filter(val, whole || !detailed[k], at)
			if len(out) == 0 && len(val) > 0 {
				out = filter(val, true, at)
			}
			return out
		case []any:
			out := make([]any, 0, len(val))
			for _, e := range val {
				out = append(out, value(k, at+"[]", e, true))
			}
			return out
		}
		return x
	}
	filter = func(m map[string]any, whole bool, at string) map[string]any {
		out := map[string]any{}
		// In key order: the first field that makes the body
		// unbuildable gives the reason, the same on every run.
		for _, k := range slices.Sorted(maps.Keys(m)) {
			x := m[k]
			path := strings.TrimPrefix(at+"."+k, ".")
			if drop != nil && drop(path) {
				continue
			}
			need := required[k] || whole && !optionalSibling(k, documented, required)
			// A field the sample fills with a reference to a
			// resource of this API is needed even when documented
			// optional (a backup names its instance).
			if !need && isRef(k, x) && !byName(k) {
				if param, w := resolve(k); param != "" || w != "" {
					need = true
				}
			}
			// The sample names what the scenario creates: always
			// a random name, so that Rally's cleanup knows it.
			if !need && nameKey(k) {
				if _, ok := x.(string); ok {
					need = true
				}
			}
			if !need {
				continue
			}
			seen[k] = true
			out[k] = value(k, path, x, whole)
		}
		return out
	}
	var body map[string]any
	// A request the reference documents by its sample alone (no body
	// parameter listed for it) is the sample, not {}.
	onlySample := true
	for _, x := range request {
		if x.In == "body" {
			onlySample = false
		}
	}
	// The usual {"<resource>": {...}} wrapper is kept even when the
	// reference does not list it as a parameter.
	if len(top) == 1 {
		for k, v := range top {
			if inner, ok := v.(map[string]any); ok && !required[k] {
				body = map[string]any{k: filter(inner, onlySample, "")}
			}
		}
	}
	if body == nil {
		body = filter(top, onlySample, "")
	}
	if why != "" {
		return nil, nil, why
	}
	for _, k := range order {
		if !seen[k] {
			return nil, nil, fmt.Sprintf("required %q is not in the request sample", k)
		}
	}
	return body, deps, ""
}

// sampleDecides resolves the parameters an operation lists without their
// definition (a parameters file generated when the docs are built, and
// not shipped) by its request sample, the one valid request the
// reference shows: one the sample fills is required and sent as the
// sample has it; a child ("a.b") of an object the sample fills is that
// object's business (the sample's content is sent). Otherwise what is
// required is unknown, and why says so; also when the sample puts a
// listed child somewhere else than the list does (the two disagree).
// A path parameter the parameters file forgets is still a path
// parameter.
func sampleDecides(op *apiref.Op) (request []apiref.Param, why string) {
	for _, x := range op.Request {
		if x.In != "" || strings.Contains(op.Path, "{"+x.Name+"}") {
			request = append(request, x)
			continue
		}
		parent, _, dotted := strings.Cut(x.Name, ".")
		if _, ok := sampleAt(op.RequestSample, x.Name); ok && !dotted {
			x.In, x.Required = "body", true
			request = append(request, x)
			continue
		} else if ok {
			continue
		}
		if _, ok := sampleAt(op.RequestSample, parent); ok && dotted {
			leaf := x.Name[strings.LastIndex(x.Name, ".")+1:]
			within := x.Name[:strings.LastIndex(x.Name, ".")]
			if why == "" && sampleHasKey(op.RequestSample, leaf) {
				why = fmt.Sprintf("the request sample puts %q outside %q, where the reference lists it (parameter %q is not defined): what is required is unknown", leaf, within, x.Name)
			}
			continue
		}
		if why == "" {
			why = fmt.Sprintf("parameter %q is not defined, so what is required is unknown", x.Name)
		}
	}
	return request, why
}

// sampleAt is the sample's value at a dotted parameter name, from its top
// level or below its usual single-key {"<resource>": {...}} wrapper.
func sampleAt(sample any, name string) (any, bool) {
	// A list's items are looked into (job_actions.max_retries names a
	// field of each action of the list).
	var walk func(v any, keys []string) (any, bool)
	walk = func(v any, keys []string) (any, bool) {
		if len(keys) == 0 {
			return v, true
		}
		switch x := v.(type) {
		case map[string]any:
			if e, ok := x[keys[0]]; ok {
				return walk(e, keys[1:])
			}
		case []any:
			for _, e := range x {
				if got, ok := walk(e, keys); ok {
					return got, true
				}
			}
		}
		return nil, false
	}
	at := func(v any) (any, bool) { return walk(v, strings.Split(name, ".")) }
	if v, ok := at(sample); ok {
		return v, true
	}
	if m, ok := sample.(map[string]any); ok && len(m) == 1 {
		for _, inner := range m {
			return at(inner)
		}
	}
	return nil, false
}

// sampleHasKey: key is a field of some object of the sample.
func sampleHasKey(sample any, key string) bool {
	switch v := sample.(type) {
	case map[string]any:
		if _, ok := v[key]; ok {
			return true
		}
		for _, e := range v {
			if sampleHasKey(e, key) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if sampleHasKey(e, key) {
				return true
			}
		}
	}
	return false
}

// optionalSibling: inside an object kept whole from the sample, a field
// the reference documents as optional is still left out.
func optionalSibling(k string, documented, required map[string]bool) bool {
	return documented[k] && !required[k]
}

func isRef(k string, x any) bool {
	s, ok := x.(string)
	return ok && (refKeyRe().MatchString(k) && !nameKey(k) || uuidRe().MatchString(s))
}

func requiredParam(ps []apiref.Param, name string) bool {
	for _, x := range ps {
		if x.Name == name && x.Required {
			return true
		}
	}
	return false
}

// refBase is the resource a reference field names: "instance" for
// instance, instance_id, instanceId, instanceRef.
func refBase(key string) string {
	k := camelBoundary().ReplaceAllString(key, "${1}_${2}")
	k = refSuffix().ReplaceAllString(strings.ToLower(k), "")
	return strings.Trim(nonWord().ReplaceAllString(k, "_"), "_")
}

var camelBoundary = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([a-z0-9])([A-Z])`) })

// byName: the field refers to another resource by name (hostname,
// datastore_name), not by id.
func byName(k string) bool {
	l := strings.ToLower(k)
	return strings.HasSuffix(l, "name") && !nameKey(k)
}

// timeAt is a point in time the scenario computes: now plus offset
// seconds, spelled with format (Python strftime).
type timeAt struct {
	offset int
	format string
}

var sampleTimeRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:([T ])([0-9]{2}:[0-9]{2})(:[0-9]{2})?(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$`)
})

// sampleTime parses a sample's timestamp and gives the strftime format
// that spells a time the same way.
func sampleTime(s string) (time.Time, string, bool) {
	m := sampleTimeRe().FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, "", false
	}
	layout, pyFmt := "2006-01-02", "%Y-%m-%d"
	if m[2] != "" {
		layout += m[2] + "15:04"
		pyFmt += m[2] + "%H:%M"
		if m[4] != "" {
			layout += ":05"
			pyFmt += ":%S"
		}
		if m[5] != "" {
			layout += "." + strings.Repeat("0", len(m[5])-1)
			pyFmt += ".%f"
		}
		if m[6] != "" {
			layout += m[6] // a literal: the scenario's times are UTC
			pyFmt += strings.ReplaceAll(m[6], "%", "%%")
		}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, "", false
	}
	return t, pyFmt, true
}

// earliestTime is the first point in time a sample mentions.
func earliestTime(v any) time.Time {
	var first time.Time
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if t, _, ok := sampleTime(x); ok && (first.IsZero() || t.Before(first)) {
				first = t
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return first
}
