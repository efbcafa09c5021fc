package plugingen

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/apiref"
)

// Candidate states.
const (
	pending = iota
	creatable
	notCreatable
	dropped
)

type cand struct {
	r      *apiref.Resource
	name   string // python singular
	plural string
	res    *Resource
	state  int
	why    string // why it cannot be created
}

type builder struct {
	p       *Suite
	ref     *apiref.Ref
	cands   []*cand
	used    map[*apiref.Op]bool
	adminAt []string // static path prefixes whose every operation is admin-only
	names   map[string]bool
}

func newBuilder(p *Suite, ref *apiref.Ref) *builder {
	b := &builder{p: p, ref: ref, used: map[*apiref.Op]bool{}, names: map[string]bool{}}
	for _, r := range ref.Resources() {
		p.Found++
		b.cands = append(b.cands, &cand{r: r})
	}
	b.adminPrefixes()
	b.nameAll()
	return b
}

func (b *builder) skip(name, where, f string, a ...any) {
	b.p.Skipped = append(b.p.Skipped, Skip{Resource: name, Path: where, Reason: fmt.Sprintf(f, a...)})
}

// adminPrefixes finds the static path prefixes (e.g. .../mgmt) under which
// the reference says every operation is admin-only: a resource below one
// is an admin resource even when its own section says nothing.
func (b *builder) adminPrefixes() {
	count, admin := map[string]int{}, map[string]int{}
	for _, op := range b.ref.Ops {
		segs := strings.Split(strings.Trim(op.Path, "/"), "/")
		for i := 1; i < len(segs); i++ {
			if strings.HasPrefix(segs[i-1], "{") || versionSeg().MatchString(segs[i-1]) {
				continue
			}
			pre := "/" + strings.Join(segs[:i], "/")
			count[pre]++
			if op.Admin {
				admin[pre]++
			}
		}
	}
	for pre, n := range count {
		if n >= 2 && admin[pre] == n {
			b.adminAt = append(b.adminAt, pre)
		}
	}
}

func (b *builder) underAdmin(p string) bool {
	for _, pre := range b.adminAt {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			return true
		}
	}
	return false
}

// staticWords are the path's literal segments (no parameters), as Python
// words, versions kept apart.
func staticWords(p string, versions bool) []string {
	var out []string
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s == "" || strings.HasPrefix(s, "{") || !versions && versionSeg().MatchString(s) {
			continue
		}
		out = append(out, apiref.Snake(s))
	}
	return out
}

// nameAll gives every collection a readable, unique Python name: its last
// segment, qualified by the segments before it (then the API version)
// only when another collection ends the same way: /instances and
// /mgmt/instances are "instances" and "mgmt_instances",
// /vnflcm/v1/subscriptions and /vnflcm/v2/subscriptions
// "vnflcm_subscriptions" and "vnflcm_v2_subscriptions".
func (b *builder) nameAll() {
	last := map[string]int{}
	for _, c := range b.cands {
		last[c.r.Plural]++
	}
	taken := map[string]bool{}
	for _, c := range b.cands {
		var cands []string
		if last[c.r.Plural] == 1 {
			cands = append(cands, c.r.Plural)
		}
		for _, words := range [][]string{staticWords(c.r.Collection, false), staticWords(c.r.Collection, true)} {
			for k := 2; k <= len(words); k++ {
				suf := words[len(words)-k:]
				if versionSeg().MatchString(strings.ReplaceAll(suf[0], "_", ".")) {
					continue
				}
				cands = append(cands, strings.Join(suf, "_"))
			}
		}
		cands = append(cands, c.r.Plural)
		plural := ""
		for _, x := range cands {
			if !taken[x] {
				plural = x
				break
			}
		}
		for n := 2; plural == ""; n++ {
			// Only when two collections have the very same path words.
			if x := fmt.Sprintf("%s_%d", c.r.Plural, n); !taken[x] {
				plural = x
			}
		}
		taken[plural] = true
		c.plural = plural
		pre := strings.TrimSuffix(plural, c.r.Plural)
		c.name = pre + c.r.Name
		if c.name == c.plural {
			c.name += "_item"
		}
		b.names[c.name], b.names[c.plural] = true, true
	}
}

// resources decides, for every collection, what can be listed and what can
// be created and deleted; a resource that needs another (nested under it,
// or naming it in its body) waits for that one's verdict.
func (b *builder) resources() {
	for _, c := range b.cands {
		last := c.r.Collection[strings.LastIndex(c.r.Collection, "/")+1:]
		switch {
		case versionSeg().MatchString(last):
			c.state = dropped
			b.skip(c.r.Name, c.r.Collection, "API version document, not a resource")
		case c.r.Create == nil && c.r.Member == "" && c.r.List != nil && len(c.r.Parents) == 0:
			// e.g. /allocation_candidates, /limits: a GET whose answer
			// depends on the query, which the reference may document
			// as optional even when the server needs it.
			c.state = dropped
			b.skip(c.r.Name, c.r.Collection, "query endpoint, not a collection (no create and no member operations)")
		}
	}
	for progress := true; progress; {
		progress = false
		for _, c := range b.cands {
			if c.state == pending && b.decide(c, false) {
				progress = true
			}
		}
	}
	for _, c := range b.cands {
		if c.state == pending {
			b.decide(c, true)
		}
	}
	for _, c := range b.cands {
		if c.res == nil {
			continue
		}
		if c.res.List == nil && c.res.Create == nil {
			continue
		}
		b.p.Resources = append(b.p.Resources, c.res)
	}
}

func (b *builder) byCollection(coll string) *cand {
	for _, c := range b.cands {
		if c.r.Collection == coll {
			return c
		}
	}
	return nil
}

// byRef finds the collection a body field names ("instance", "instanceId").
func (b *builder) byRef(key string, self *cand) *cand {
	base := refBase(key)
	if base == "" {
		return nil
	}
	var best *cand
	for _, c := range b.cands {
		if c == self || c.state == dropped {
			continue
		}
		if c.r.Name == base || c.r.Plural == base || c.name == base {
			// The shortest path wins: /instances over /mgmt/instances.
			if best == nil || len(c.r.Collection) < len(best.r.Collection) {
				best = c
			}
		}
	}
	return best
}

// decide settles one collection; false while a resource it needs is
// undecided (final: decide anyway, an undecided need cannot be created).
func (b *builder) decide(c *cand, final bool) bool {
	r := c.r
	res := &Resource{Name: c.name, Plural: c.plural, Human: strings.ReplaceAll(c.name, "_", " ")}
	var blocked bool
	notMade := func(o *cand) string {
		if o.state == pending {
			if !final {
				blocked = true
			}
			return "which needs this one first"
		}
		return "which cannot be created: " + o.why
	}
	// Nested: every path parameter but the project names a parent.
	segs := strings.Split(strings.Trim(r.Collection, "/"), "/")
	var parentWhy string
	depth := 0
	for i, s := range segs {
		m := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
		if m == s || apiref.ProjectParam(m) {
			continue
		}
		parent := b.byCollection("/" + strings.Join(segs[:i], "/"))
		switch {
		case parent == nil:
			parentWhy = fmt.Sprintf("nested under {%s}, which this API does not create", m)
		case parent.state != creatable:
			parentWhy = fmt.Sprintf("nested under a %s (%s), %s", parent.name, parent.r.Collection, notMade(parent))
		default:
			res.Parents = append(res.Parents, Dep{Param: pyName(m), Resource: parent.name, InPath: true})
			depth = max(depth, parent.res.depth+1)
		}
		if parentWhy != "" {
			break
		}
	}
	if blocked {
		return false
	}
	res.depth = depth
	pathParents := len(res.Parents)
	scoped := b.projectScoped(r)
	var why string
	switch {
	case parentWhy != "":
		why = parentWhy
	case r.Create == nil:
		why = fmt.Sprintf("no POST %s: cannot create", r.Collection)
	case r.Delete == nil:
		why = fmt.Sprintf("no DELETE %s/{...}: what a scenario creates could not be removed", r.Collection)
	default:
		resolve := func(key string) (string, string) {
			o := b.byRef(key, c)
			if o == nil {
				return "", ""
			}
			if o.state != creatable {
				return "", fmt.Sprintf("refers to a %s (%s), %s", o.name, o.r.Collection, notMade(o))
			}
			return pyName(key), ""
		}
		body, deps, w := deriveBodyWithout(r.Create, resolve, b.deploymentValue(r.Create))
		if blocked {
			return false
		}
		if w != "" {
			why = "create: " + w
			break
		}
		if w := b.untied(c, body); w != "" {
			why = "create: " + w
			break
		}
		ex, w := existing(r.Create, r.Name, body)
		if w != "" {
			why = "create: " + w
			break
		}
		res.Existing = ex
		create, w := b.call(r.Create, body)
		if w != "" {
			why = "create: " + w
			break
		}
		for _, d := range deps {
			o := b.byRef(d.Resource, c)
			res.Parents = append(res.Parents, Dep{Param: d.Param, Resource: o.name})
			depth = max(depth, o.res.depth+1)
		}
		res.depth = depth
		res.Create = create
		res.IDParam = pyName(r.IDParam)
		res.IDKeys = idKeys(r.IDParam, r.Name)
		for _, op := range []*apiref.Op{r.Show, r.Create} {
			if op != nil && op.ResponseSample != nil {
				res.IDKeys = rankIDKeys(res.IDKeys, op.ResponseSample, r.Name)
				break
			}
		}
		if r.Show != nil {
			if show, w := b.call(r.Show, nil); w == "" {
				res.Show, res.ShowKey = show, wrapperKey(r.Show.ResponseSample, r.Name)
			}
		}
		res.Delete, w = b.call(r.Delete, nil)
		if w != "" {
			res.Create, why = nil, "delete: "+w
			break
		}
		res.DeleteWait = res.Show != nil && slices.Contains(r.Delete.Success, 202)
		res.Wait = b.wait(r, res)
		res.NameKey, res.NamePrefix, res.NameUpper = findName(body)
		b.used[r.Create], b.used[r.Delete] = true, true
		if r.Show != nil && res.Show != nil {
			b.used[r.Show] = true
		}
	}
	nested := len(r.Parents) > 0
	if r.List != nil && (!nested || res.Create != nil) {
		if q := requiredIn(r.List.Request, "query"); q != "" {
			b.skip(c.name, r.Collection, "list: required %s has no documented default", q)
		} else if list, w := b.call(r.List, nil); w != "" {
			b.skip(c.name, r.Collection, "list: %s", w)
		} else {
			res.List, res.ListKey = list, itemsKey(r.List.ResponseSample, r.Plural)
			res.EmptyNotFound = !pathParams(r.List.Path) && b.emptyIs404()
			b.used[r.List] = true
		}
	}
	// Scope: admin for admin-only operations, a path under an admin-only
	// prefix, or a resource that belongs to no project (global objects
	// are the cloud admin's); the context's users otherwise.
	for _, op := range []*apiref.Op{r.Create, r.List} {
		if op != nil && op.Admin {
			res.Admin, res.Scope = true, fmt.Sprintf("admin: %q is documented as admin-only", op.Title)
			break
		}
	}
	switch {
	case res.Admin:
	case b.underAdmin(r.Collection):
		res.Admin, res.Scope = true, "admin: every operation under this path is documented as admin-only"
	case scoped != "":
		res.Scope = "users: " + scoped
	default:
		res.Admin, res.Scope = true, "admin: the reference ties the resource to no project (no project in its path or fields)"
	}
	if res.Create != nil {
		c.state = creatable
		b.cleanup(res, pathParents)
	} else {
		c.state = notCreatable
		c.why = why
		if why != "" {
			b.skip(c.name, r.Collection, "%s", why)
		}
	}
	c.res = res
	return true
}

// deploymentValue says which fields of op's request sample hold what a
// deployment registers rather than a value of the API: an optional field
// (documented "a.b" somewhere in the reference, required: false) that
// another request sample of the reference spells differently (trove's
// datastore version: "mysql-5.7" in the configuration sample, "5.7" in
// the instance one). Left out, the server's default applies.
func (b *builder) deploymentValue(op *apiref.Op) func(path string) bool {
	optional := map[string]bool{}
	for _, o := range b.ref.Ops {
		for _, x := range o.Request {
			if x.In == "body" && !x.Required && strings.Contains(x.Name, ".") {
				optional[x.Name] = true
			}
		}
	}
	mine := sampleLeaves(op.RequestSample)
	varies := map[string]bool{}
	for i := range b.ref.Ops {
		o := &b.ref.Ops[i]
		if o == op {
			continue
		}
		for k, v := range sampleLeaves(o.RequestSample) {
			if w, ok := mine[k]; ok && w != v && optional[k] {
				varies[k] = true
			}
		}
	}
	return func(path string) bool { return varies[path] }
}

// sampleLeaves are a request sample's scalar values by dotted path below
// its {"<resource>": {...}} wrapper.
func sampleLeaves(sample any) map[string]string {
	out := map[string]string{}
	m, ok := sample.(map[string]any)
	if !ok {
		return out
	}
	if len(m) == 1 {
		for _, v := range m {
			if inner, ok := v.(map[string]any); ok {
				m = inner
			}
		}
	}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(strings.TrimPrefix(at+"."+k, "."), e)
			}
		case []any:
		default:
			out[at] = fmt.Sprint(x)
		}
	}
	walk("", m)
	return out
}

// pathParams: the path has a parameter other than the project's, which
// a 404 may be about.
func pathParams(p string) bool {
	for _, s := range strings.Split(p, "/") {
		if m := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"); m != s && !apiref.ProjectParam(m) {
			return true
		}
	}
	return false
}

// emptyIs404: the reference documents 404 for a filtered query (a GET
// with query parameters) on a path with no parameter that could be
// missing: how this API answers "nothing matched" (cloudkitty's "No
// resource found for provided filters"). Its other such lists answer the
// same way, documented or not. A pagination marker is another thing a
// list's 404 may be about (masakari's), and a 404 for a GET without any
// query tells nothing of matches (tacker's subscriptions).
func (b *builder) emptyIs404() bool {
	for _, op := range b.ref.Ops {
		if op.Verb != "GET" || op.Path == "/" || pathParams(op.Path) || !slices.Contains(op.Errors, 404) {
			continue
		}
		filters, marker := false, false
		for _, x := range op.Request {
			if x.In == "query" {
				filters = true
				marker = marker || strings.Contains(strings.ToLower(x.Name), "marker")
			}
		}
		if filters && !marker {
			return true
		}
	}
	return false
}

// projectScoped says why a resource belongs to the caller's project, or "".
func (b *builder) projectScoped(r *apiref.Resource) string {
	for _, s := range strings.Split(r.Collection, "/") {
		if m := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"); m != s && apiref.ProjectParam(m) {
			return "the path is under the project (" + s + ")"
		}
	}
	for _, op := range []*apiref.Op{r.Create, r.Show, r.List} {
		if op == nil {
			continue
		}
		for _, ps := range [][]apiref.Param{op.Response, op.Request} {
			for _, x := range ps {
				leaf := x.Name[strings.LastIndex(x.Name, ".")+1:]
				if x.In == "body" && ownerKey(leaf) {
					return fmt.Sprintf("%s %s documents its %q", op.Verb, op.Path, leaf)
				}
			}
		}
	}
	for _, op := range []*apiref.Op{r.Show, r.Create} {
		if op == nil {
			continue
		}
		if m, ok := op.ResponseSample.(map[string]any); ok {
			if k := wrapperKey(m, r.Name); k != "" {
				m = m[k].(map[string]any)
			}
			for k := range m {
				if ownerKey(k) {
					return fmt.Sprintf("the %s %s answer carries its %q", op.Verb, op.Path, k)
				}
			}
		}
	}
	return ""
}

func (b *builder) pathHasProject(p string) bool {
	for _, s := range strings.Split(p, "/") {
		if m := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"); m != s && apiref.ProjectParam(m) {
			return true
		}
	}
	return false
}

func ownerKey(k string) bool {
	switch strings.ToLower(strings.ReplaceAll(k, "-", "_")) {
	case "project_id", "tenant_id", "projectid", "tenantid", "project", "tenant", "owner", "owner_id":
		return true
	}
	return false
}

// pyName is a path parameter or body field as a Python name.
func pyName(s string) string {
	n := apiref.Snake(s)
	switch n {
	case "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
		"except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
		"or", "pass", "raise", "return", "try", "while", "with", "yield", "self", "id":
		return n + "_"
	}
	return n
}

// call turns a documented operation into a request: version headers and
// microversion from what the reference documents for it.
func (b *builder) call(op *apiref.Op, body any) (*Call, string) {
	c := &Call{Verb: op.Verb, Path: op.Path, Title: op.Title, Body: body, Admin: op.Admin,
		Async: slices.Contains(op.Success, 202)}
	version := op.MinVersion
	sent := bodyKeys(body)
	for _, x := range op.Request {
		leaf := x.Name[strings.LastIndex(x.Name, ".")+1:]
		if x.MinVersion != "" && (x.In == "path" || x.In == "body" && sent[leaf]) &&
			(version == "" || apiref.CompareVersions(x.MinVersion, version) > 0) {
			version = x.MinVersion
		}
	}
	custom := false
	for _, x := range op.Request {
		if x.In != "header" || !x.Required {
			continue
		}
		low := strings.ToLower(x.Name)
		switch {
		case low == "x-auth-token" || low == "content-type" || low == "accept" || strings.Contains(low, "request-id") || strings.Contains(low, "request_id"):
			continue // keystoneauth and requests send these
		case low == "openstack-api-version":
			if version == "" {
				version = b.ref.Microversion
			}
			continue
		}
		val := ""
		if m := valueRe().FindStringSubmatch(x.Description); m != nil {
			val = m[1]
		}
		if val == "" && (strings.Contains(low, "version") || strings.Contains(strings.ToLower(x.Description), "microversion")) {
			val = version
			if val == "" {
				val = b.ref.Microversion
			}
			custom = true
		}
		if val == "" {
			return nil, fmt.Sprintf("required header %q has no documented value", x.Name)
		}
		c.Headers = append(c.Headers, Header{Name: x.Name, Value: val})
	}
	if !custom && b.ref.Microversion != "" {
		c.Microversion = version
	}
	return c, ""
}

func bodyKeys(body any) map[string]bool {
	out := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				out[k] = true
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(body)
	return out
}

// wrapperKey is the key of a {"<resource>": {...}} answer ("" when bare).
func wrapperKey(sample any, name string) string {
	m, ok := sample.(map[string]any)
	if !ok {
		return ""
	}
	if _, ok := m[name].(map[string]any); ok {
		return name
	}
	if len(m) == 1 {
		for k, v := range m {
			if _, ok := v.(map[string]any); ok {
				return k
			}
		}
	}
	return ""
}

// itemsKey is the key of the list in a list answer ("" when the answer is
// the list itself, or unknown: then the plural).
func itemsKey(sample any, plural string) string {
	m, ok := sample.(map[string]any)
	if !ok {
		if _, ok := sample.([]any); ok {
			return ""
		}
		return plural
	}
	for k, v := range m {
		if _, ok := v.([]any); ok && apiref.Snake(k) == plural {
			return k
		}
	}
	for k, v := range m {
		if _, ok := v.([]any); ok {
			return k
		}
	}
	return plural
}

// findName finds the random name the body sets, for cleanup.
func findName(body any) (key, prefix string, upper bool) {
	m, ok := body.(map[string]any)
	if !ok {
		return "", "", false
	}
	for k, v := range m {
		if rn, ok := v.(randomName); ok {
			return k, rn.prefix, rn.upper
		}
	}
	for _, v := range m {
		if k, p, u := findName(v); k != "" {
			return k, p, u
		}
	}
	return "", "", false
}

// cleanup registers the resource with Rally's cleanup when leftovers can
// be found and told apart from what others own.
func (b *builder) cleanup(res *Resource, pathParents int) {
	switch {
	case pathParents > 0:
		res.CleanupNote = "nested: the scenario removes it with its parent; Rally's cleanup lists top-level resources only"
	case res.List == nil:
		res.CleanupNote = "no list operation for Rally's cleanup to find leftovers"
	case res.NameKey == "" && res.Admin:
		res.CleanupNote = "no name to tell the task's resources from others': a cleanup would delete every one"
	default:
		res.Cleanup = true
	}
}

// wait reads the documented status field and its values: create waits
// for a ready value when the reference shows the resource starting in a
// transitional one (or answers 202).
func (b *builder) wait(r *apiref.Resource, res *Resource) *Wait {
	if res.Show == nil {
		return nil
	}
	key := ""
	var desc string
	for _, op := range []*apiref.Op{r.Show, r.Create} {
		for _, x := range op.Response {
			leaf := x.Name[strings.LastIndex(x.Name, ".")+1:]
			// The resource's own field (or its wrapper's): the waiter
			// reads that one; a nested object's status (a schedule's)
			// is not the resource's.
			if within, _, nested := strings.Cut(x.Name, "."); nested && (within != res.ShowKey || strings.Count(x.Name, ".") > 1) {
				continue
			}
			if leaf == "status" || leaf == "state" && key == "" {
				key, desc = leaf, x.Description
			}
		}
	}
	if key == "" {
		return nil
	}
	var values []string
	add := func(v string) {
		if v != "" && !slices.ContainsFunc(values, func(x string) bool { return strings.EqualFold(x, v) }) {
			values = append(values, v)
		}
	}
	initial := ""
	if vs := statusValues(r.Create.ResponseSample, key); len(vs) > 0 {
		initial = vs[0]
	}
	// Every answer about this resource shows values: its own
	// operations' and those of actions on its members (start answers
	// Running, stop Stopped).
	for i := range b.ref.Ops {
		op := &b.ref.Ops[i]
		if op.Path == r.Collection || op.Path == r.Member || samePrefix(op.Path, r.Member) {
			for _, v := range statusValues(op.ResponseSample, key) {
				add(v)
			}
		}
	}
	for _, m := range literalRe().FindAllStringSubmatch(desc, -1) {
		add(m[1] + m[2] + m[3])
	}
	transitional := func(v string) bool {
		return strings.EqualFold(v, initial) || strings.HasSuffix(strings.ToLower(v), "ing")
	}
	failed := func(v string) bool {
		l := strings.ToLower(v)
		return strings.Contains(l, "error") || strings.Contains(l, "fail")
	}
	w := &Wait{StatusKey: key}
	for _, v := range values {
		switch {
		case failed(v):
			w.Failure = append(w.Failure, v)
		case !transitional(v):
			w.Ready = append(w.Ready, v)
		}
	}
	if !slices.ContainsFunc(w.Failure, func(x string) bool { return strings.EqualFold(x, "error") }) {
		w.Failure = append(w.Failure, "ERROR") // Rally's own default failure status
	}
	if len(w.Ready) == 0 || !res.Create.Async && !transitional(initial) {
		return nil
	}
	for _, op := range []*apiref.Op{r.Show} {
		for _, x := range op.Response {
			leaf := x.Name[strings.LastIndex(x.Name, ".")+1:]
			l := strings.ToLower(leaf)
			if (strings.Contains(l, "fault") || strings.Contains(l, "reason") || strings.Contains(l, "status_detail") || l == "error" || strings.HasSuffix(l, "_error")) &&
				!slices.Contains(w.FaultKeys, leaf) {
				w.FaultKeys = append(w.FaultKeys, leaf)
			}
		}
	}
	return w
}

// statusValues collects the string values of key in a sample (the object,
// its wrapper, or the items of its list).
func statusValues(sample any, key string) []string {
	var out []string
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 3 {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x[key].(string); ok {
				out = append(out, s)
				return
			}
			for _, e := range x {
				walk(e, depth+1)
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		}
	}
	walk(sample, 0)
	return out
}

// actions turns the operations no resource uses into scenarios when their
// request can be built: events and notifications posted to the service
// (nothing to list or delete), and actions on a member the plugin can
// create.
func (b *builder) actions() {
	// Action methods live beside the resources' own.
	taken := map[string]bool{}
	for k := range b.names {
		taken[k] = true
	}
	for _, r := range b.p.Resources {
		for _, m := range []string{"list_" + r.Plural, "create_" + r.Name, "show_" + r.Name, "delete_" + r.Name,
			"get_" + r.Name, "wait_for_" + r.Name} {
			taken[m] = true
		}
	}
	// An operation documented once per microversion range ("Update
	// resource class (microversions 1.2 - 1.6)", "... (1.7 - )") is one
	// operation: the newest documentation wins.
	newest := map[string]*apiref.Op{}
	for i := range b.ref.Ops {
		op := &b.ref.Ops[i]
		k := opKey(op)
		if o := newest[k]; o == nil || apiref.CompareVersions(op.MinVersion, o.MinVersion) > 0 {
			newest[k] = op
		}
	}
	for i := range b.ref.Ops {
		op := &b.ref.Ops[i]
		if b.used[op] || op.Path == "/" || newest[opKey(op)] != op {
			continue
		}
		var params []string
		for _, s := range strings.Split(op.Path, "/") {
			if m := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"); m != s && !apiref.ProjectParam(m) {
				params = append(params, m)
			}
		}
		label := op.Verb + " " + op.Path
		var on *Resource
		switch {
		case len(params) == 0:
			if op.Verb != "POST" {
				continue // GET lists were judged as collections
			}
			c := b.byCollection(op.Path)
			if c != nil && c.r.Delete != nil || b.deletable(op.Path) {
				continue // a resource's create: judged with it
			}
			// What a GET on the same path lists, this POST adds to, and
			// nothing deletes (cloudkitty's dataframes, answered 204):
			// every iteration would leave what it added. The
			// collection's verdict ("no DELETE") says so.
			if c != nil && c.r.List != nil {
				continue
			}
			// An event or notification: answered 202/204, or nothing
			// to list it by. A 201 that nothing deletes would leak.
			if !slices.Contains(op.Success, 202) && !slices.Contains(op.Success, 204) && len(op.Success) > 0 {
				continue
			}
		default:
			if c := b.byCollection(op.Path); op.Verb == "POST" && c != nil && c.r.Delete != nil {
				continue // a nested resource's create: judged with it
			}
			// A POST into a sub-collection named like a collection of
			// this API (a session's "actions") adds one of those there,
			// which nothing documented deletes from it: not a verb on
			// the member (start, kill), and every iteration would
			// leave what it added.
			if last := path.Base(op.Path); op.Verb == "POST" && !strings.HasPrefix(last, "{") && b.namesCollection(op.Path) {
				b.skip(lastWord(op.Path), op.Path, "%s adds to {%s}'s %q, a collection of this API, from which nothing documented deletes", label, params[len(params)-1], last)
				continue
			}
			// A POST on a member's own path replaces it (freezer's
			// "Updates actions"): an update, as PUT and PATCH.
			onMember := op.Verb == "POST" && strings.HasPrefix(path.Base(op.Path), "{")
			on = b.memberOf(op.Path, op.Verb == "PUT" || op.Verb == "PATCH" || onMember)
			if on == nil {
				if op.Verb == "POST" || op.Verb == "PUT" {
					b.skip(lastWord(op.Path), op.Path, "%s acts on {%s}, which this API does not create", label, params[len(params)-1])
				}
				continue
			}
			if op.Verb == "DELETE" {
				continue
			}
			if strings.Count(op.Path, "{") > strings.Count(on.Delete.Path, "{") {
				// A member of a sub-collection: needs an id the
				// scenario does not have.
				if op.Verb != "GET" {
					b.skip(lastWord(op.Path), op.Path, "%s acts on {%s}, which this API does not create", label, params[len(params)-1])
				}
				continue
			}
		}
		body, _, why := deriveBody(op, nil)
		if why == "" {
			// A field naming another service's object is filled only
			// by a resource's create.
			if ex, w := existing(op, "", body); w != "" {
				why = w
			} else if len(ex) > 0 {
				why = fmt.Sprintf("%q must be a %s of %s's %s list (%q); only a resource's create takes it from there",
					ex[0].Key, ex[0].Attr, ex[0].Client, strings.TrimSuffix(ex[0].Collection, "s"), ex[0].Source)
			}
		}
		if why != "" {
			b.skip(lastWord(op.Path), op.Path, "%s: %s", label, why)
			continue
		}
		call, why := b.call(op, body)
		if why != "" {
			b.skip(lastWord(op.Path), op.Path, "%s: %s", label, why)
			continue
		}
		if on != nil {
			call.Path = rebase(op.Path, on.Delete.Path)
		}
		name := actionName(op, on, taken)
		taken[name] = true
		b.used[op] = true
		a := &Action{Name: name, Atomic: b.p.AtomicPrefix + "." + name, Call: call, Path: op.Path,
			Human: strings.ToLower(strings.TrimSpace(op.Title))}
		if a.Human == "" {
			a.Human = strings.ToLower(label)
		}
		a.Call.Admin = op.Admin || b.underAdmin(op.Path)
		if on != nil {
			a.On = on.Name
			a.Call.Admin = a.Call.Admin || on.Admin
		} else if !b.pathHasProject(op.Path) {
			a.Call.Admin = true // global: the cloud admin's
		}
		b.p.Actions = append(b.p.Actions, a)
	}
	b.dropActionSkips()
}

// untied: the resource's representation (its show answer) names another
// resource of this API by id (a job's client_id) that the create request
// does not carry: the server ties it to one, and the reference does not
// show how (freezer-api's job sample has no client_id; the server answers
// 400 "'client_id' is a required property"). The owner, the resource's
// own id and its path's parents are not such references.
func (b *builder) untied(c *cand, body any) string {
	r := c.r
	if r.Show == nil {
		return ""
	}
	show, ok := r.Show.ResponseSample.(map[string]any)
	if !ok {
		return ""
	}
	if inner, ok := show[wrapperKey(r.Show.ResponseSample, r.Name)].(map[string]any); ok {
		show = inner
	}
	// What the request says about it: the field itself, or the object
	// it belongs to (trove's "datastore" for a datastore_version_id,
	// whose version the server defaults).
	said := func(base string) bool {
		for k := range bodyKeys(body) {
			if s := refBase(k); s != "" && (base == s || strings.HasPrefix(base, s+"_")) {
				return true
			}
		}
		return false
	}
	for _, k := range slices.Sorted(maps.Keys(show)) {
		v, _ := show[k].(string)
		base := refBase(k)
		if v == "" || !strings.HasSuffix(strings.ToLower(k), "_id") || ownerKey(k) || base == r.Name ||
			k == r.IDParam || strings.Contains(r.Collection, "{"+k+"}") || said(base) {
			continue
		}
		if o := b.byRef(k, c); o != nil {
			return fmt.Sprintf("the %s's representation names a %s (%q), which the request does not: how one is tied to it is not documented", c.name, o.name, k)
		}
	}
	return ""
}

// namesCollection: the last segment of p is also the last segment of a
// top-level collection of this API (no parent in its path) that is
// listed. The same verb under the members of two collections (trove's
// instances/{id}/action and mgmt/instances/{id}/action) is no collection.
func (b *builder) namesCollection(p string) bool {
	plural := apiref.Snake(path.Base(p))
	for _, c := range b.cands {
		if c.r.Collection != p && c.r.Plural == plural && len(c.r.Parents) == 0 && c.r.List != nil {
			return true
		}
	}
	return false
}

// deletable: some DELETE removes what is under p (a member, or the
// collection itself with a query): what a POST there makes is a resource,
// not an event.
func (b *builder) deletable(p string) bool {
	for _, op := range b.ref.Ops {
		if op.Verb == "DELETE" && (op.Path == p || strings.HasPrefix(op.Path, p+"/")) {
			return true
		}
	}
	return false
}

// dropActionSkips forgets the collection-level verdicts on paths that
// became action scenarios.
func (b *builder) dropActionSkips() {
	done := map[string]bool{}
	for _, a := range b.p.Actions {
		done[a.Path] = true
	}
	out := b.p.Skipped[:0]
	for _, s := range b.p.Skipped {
		if !done[s.Path] {
			out = append(out, s)
		}
	}
	b.p.Skipped = out
}

// opKey tells the documentations of one operation apart from other
// operations: verb, path and title without its parenthesised version range.
func opKey(op *apiref.Op) string {
	return op.Verb + " " + op.Path + " " + strings.Join(strings.Fields(parens().ReplaceAllString(op.Title, " ")), " ")
}

var parens = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\([^()]*\)`) })

func lastWord(p string) string {
	w := staticWords(p, false)
	if len(w) == 0 {
		return "root"
	}
	return w[len(w)-1]
}

// memberOf finds the creatable resource whose member path the operation's
// path extends: /containers/{id}/stop acts on a container.
func (b *builder) memberOf(p string, update bool) *Resource {
	var best *Resource
	for _, res := range b.p.Resources {
		if res.Create == nil {
			continue
		}
		m := res.Delete.Path
		if (samePrefix(p, m) || update && samePrefix(p+"/x", m)) && (best == nil || len(m) > len(best.Delete.Path)) {
			best = res
		}
	}
	return best
}

// samePrefix: p starts with member's segments (parameters match any
// parameter) and goes on.
func samePrefix(p, member string) bool {
	ps, ms := strings.Split(strings.Trim(p, "/"), "/"), strings.Split(strings.Trim(member, "/"), "/")
	if len(ps) <= len(ms) {
		return false
	}
	for i := range ms {
		pp, mp := strings.HasPrefix(ps[i], "{"), strings.HasPrefix(ms[i], "{")
		if pp != mp || !pp && ps[i] != ms[i] {
			return false
		}
	}
	return true
}

// rebase spells p's member part with the member path's parameter names.
func rebase(p, member string) string {
	ps, ms := strings.Split(strings.Trim(p, "/"), "/"), strings.Split(strings.Trim(member, "/"), "/")
	return "/" + path.Join(append(ms, ps[len(ms):]...)...)
}

// actionName is the section title in snake case ("Stop a container" ->
// stop_container), else verb and path; qualified by a path word when two
// actions share a title.
func actionName(op *apiref.Op, on *Resource, taken map[string]bool) string {
	var words []string
	title := parens().ReplaceAllString(op.Title, " ")
	for _, w := range strings.Fields(strings.ToLower(nonWord().ReplaceAllString(title, " "))) {
		switch w {
		case "a", "an", "the", "of", "for", "to", "from", "on", "in", "specified", "specific", "given":
			continue
		}
		words = append(words, w)
	}
	// "Updates actions" on one action: update_action. A title's verb
	// in the third person is the method's in the imperative, and the
	// collection's plural names the one member the action is on.
	if len(words) > 1 {
		w := words[0]
		switch {
		case strings.HasSuffix(w, "ss"):
		case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"):
			words[0] = strings.TrimSuffix(w, "es")
		case strings.HasSuffix(w, "s"):
			words[0] = strings.TrimSuffix(w, "s")
		}
	}
	for i, w := range words {
		if on != nil && i > 0 && w == on.Plural {
			words[i] = on.Name
		}
	}
	if len(words) > 6 {
		words = words[:6]
	}
	name := strings.Join(words, "_")
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = strings.ToLower(op.Verb) + "_" + strings.Join(staticWords(op.Path, false), "_")
	}
	name = apiref.Snake(name)
	if !taken[name] {
		return name
	}
	for _, w := range staticWords(op.Path, true) {
		if q := w + "_" + name; !strings.Contains(name, w) && !taken[q] {
			return q
		}
	}
	for n := 2; ; n++ {
		if q := fmt.Sprintf("%s_%d", name, n); !taken[q] {
			return q
		}
	}
}

// rankIDKeys puts first the keys whose sample value looks like what a
// path takes (a UUID, then any string): masakari's "id" is a database
// integer, its "uuid" the id its paths use.
func rankIDKeys(keys []string, sample any, name string) []string {
	m, ok := sample.(map[string]any)
	if !ok {
		return keys
	}
	if k := wrapperKey(m, name); k != "" {
		m = m[k].(map[string]any)
	}
	rank := func(k string) int {
		switch v := m[k].(type) {
		case string:
			if uuidRe().MatchString(v) {
				return 0
			}
			return 1
		case nil:
			return 2
		}
		return 3 // a number: a database id
	}
	out := slices.Clone(keys)
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return out
}
