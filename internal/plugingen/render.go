package plugingen

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"

	"github.com/rallyforge/rallyforge/internal/apiref"
	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/rallyforge/rallyforge/internal/yamlstr"
)

// ErrNothing means the API reference documents nothing a scenario can use.
var ErrNothing = errors.New("the API reference documents no operation a scenario can call")

// ErrNoOperations means the API reference documents no operation at all.
var ErrNoOperations = errors.New("the API reference documents no operation (no rest_method)")

// Module is the plugin's path inside the repository.
func (p *Suite) Module() string {
	return "rally-jobs/plugins/" + strings.ReplaceAll(p.Project, "-", "_") + "_scenarios.py"
}

// Task is the task's path inside the repository.
func (p *Suite) Task() string { return "rally-jobs/task-" + p.Project + ".yaml" }

// Files renders the plugin module and the task.
func (p *Suite) Files() ([]scaffold.File, error) {
	if p.Operations == 0 {
		return nil, fmt.Errorf("%s: %w", p.Project, ErrNoOperations)
	}
	if len(p.Scenarios) == 0 {
		return nil, fmt.Errorf("%s: %w (%d operations, all skipped)", p.Project, ErrNothing, p.Operations)
	}
	var task bytes.Buffer
	if err := taskTmpl().Execute(&task, p); err != nil {
		return nil, err
	}
	return []scaffold.File{
		{Path: p.Module(), Content: []byte(p.python()), Mode: 0o644, By: "plugin"},
		{Path: p.Task(), Content: task.Bytes(), Mode: 0o644, By: "plugin"},
	}, nil
}

// Generate is init's scaffold.Options.Generate: init calls it for services without
// catalog coverage.
func Generate(repo, project, serviceType, profile string) ([]scaffold.File, error) {
	p, err := Build(repo, project, serviceType)
	if err != nil {
		return nil, err
	}
	p.Profile = profile
	files, err := p.Files()
	for i := range files {
		files[i].By = "init" // init writes them, as part of its tree
	}
	return files, err
}

// AtomicBudget is the max_avg_duration_per_atomic of every generated
// atomic action, in seconds: one REST call on a gate DevStack.
const AtomicBudget = 10

// WaitBudget is the budget of an atomic action that waits for an
// asynchronous resource (the default create timeout).
const WaitBudget = 300

// pyPath turns a documented path into a str.format template: the project
// segment becomes {project_id}, other parameters their Python names.
func pyPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			m := s[1 : len(s)-1]
			if apiref.ProjectParam(m) {
				segs[i] = "{project_id}"
			} else {
				segs[i] = "{" + pyName(m) + "}"
			}
		}
	}
	return strings.Join(segs, "/")
}

// pyValue renders a body as a Python literal over several lines.
func pyValue(v any, indent string) string {
	switch x := v.(type) {
	case randomName:
		expr := "self.generate_random_name()"
		if x.upper {
			expr += ".upper()"
		}
		if x.prefix != "" {
			expr = strconv.Quote(x.prefix) + " + " + expr
		}
		return expr
	case parentRef:
		return x.param
	case timeAt:
		return fmt.Sprintf("_at(%d, %q)", x.offset, x.format)
	case map[string]any:
		if len(x) == 0 {
			return "{}"
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("{\n")
		for _, k := range keys {
			lead := fmt.Sprintf("%s    %s: ", indent, strconv.Quote(k))
			val := pyValue(x[k], indent+"    ")
			if str, ok := x[k].(string); ok {
				val = pyStr(str, len(lead))
			}
			fmt.Fprintf(&b, "%s%s,\n", lead, val)
		}
		b.WriteString(indent + "}")
		return b.String()
	case []any:
		if len(x) == 0 {
			return "[]"
		}
		var b strings.Builder
		b.WriteString("[\n")
		for _, e := range x {
			val := pyValue(e, indent+"    ")
			if str, ok := e.(string); ok {
				val = pyStr(str, len(indent)+4)
			}
			fmt.Fprintf(&b, "%s    %s,\n", indent, val)
		}
		b.WriteString(indent + "]")
		return b.String()
	case string:
		return pyStr(x, len(indent)+4)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.Quote(fmt.Sprint(v))
}

// pyStr quotes s for a literal starting at column col: split over lines
// (implicit concatenation, aligned after the opening parenthesis) when it
// would pass column 79 with two closing characters after it.
func pyStr(s string, col int) string {
	q := strconv.Quote(s)
	if col+len(q)+2 <= 79 {
		return q
	}
	room := max(12, 79-(col+1)-2)
	var parts []string
	for len(s) > 0 {
		// The longest prefix whose quoted form fits, cut after a slash
		// or a space when there is one.
		n := 0
		for i := range s {
			if len(strconv.Quote(s[:i])) > room {
				break
			}
			n = i
		}
		if len(strconv.Quote(s)) <= room {
			n = len(s)
		}
		if n == 0 {
			_, size := utf8.DecodeRuneInString(s)
			n = size
		}
		if n < len(s) {
			if i := strings.LastIndexAny(s[:n], "/ "); i > 0 {
				n = i + 1
			}
		}
		parts = append(parts, strconv.Quote(s[:n]))
		s = s[n:]
	}
	return "(" + strings.Join(parts, "\n"+strings.Repeat(" ", col+1)) + ")"
}

// wrap fills text to width columns after indent.
func wrap(text, indent string) string {
	var lines []string
	for _, para := range strings.Split(text, "\n\n") {
		cur := ""
		var words []string
		for _, w := range strings.Fields(para) {
			words = append(words, splitLong(w, 76-len(indent))...)
		}
		for _, w := range words {
			if cur != "" && len(indent)+len(cur)+1+len(w) > 76 {
				lines = append(lines, indent+cur)
				cur = ""
			}
			if cur != "" {
				cur += " "
			}
			cur += w
		}
		if cur != "" {
			lines = append(lines, indent+cur)
		}
		lines = append(lines, "")
	}
	return strings.TrimSpace(strings.Join(lines[:len(lines)-1], "\n"))
}

// splitLong cuts a word longer than width (a long path) after its
// slashes, so that a docstring line never passes column 79.
func splitLong(w string, width int) []string {
	var out []string
	for len(w) > width {
		i := strings.LastIndex(w[:width], "/")
		if i <= 0 {
			break
		}
		out = append(out, w[:i+1])
		w = w[i+1:]
	}
	return append(out, w)
}

// py writes the Python module.
type py struct{ b strings.Builder }

func (w *py) l(f string, a ...any) {
	if f == "" {
		w.b.WriteString("\n")
		return
	}
	fmt.Fprintf(&w.b, f+"\n", a...)
}

// doc writes a docstring at indent.
func (w *py) doc(indent, text string) {
	body := wrap(docSafe(text), indent)
	if !strings.Contains(body, "\n") && len(indent)+len(body)+6 <= 79 {
		w.l(`%s"""%s"""`, indent, body)
		return
	}
	lines := strings.Split(body, "\n")
	w.l(`%s"""%s`, indent, lines[0])
	for _, x := range lines[1:] {
		w.l("%s", strings.TrimRight(x, " "))
	}
	w.l(`%s"""`, indent)
}

// docSafe keeps text that comes from the repository (project name, service
// type, api-ref paths) inside its """docstring""": backslashes and quotes
// escaped, control characters (but line breaks) written as escapes.
func docSafe(text string) string {
	var b strings.Builder
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"' && (i+1 == len(rs) || rs[i+1] == '"'):
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (p *Suite) waits() bool {
	for _, r := range p.Resources {
		if r.Wait != nil || r.DeleteWait {
			return true
		}
	}
	return false
}

func (p *Suite) cleans() bool {
	for _, r := range p.Resources {
		if r.Cleanup {
			return true
		}
	}
	return false
}

func (p *Suite) upper() bool {
	for _, r := range p.Resources {
		if r.NameUpper && r.Cleanup {
			return true
		}
	}
	return false
}

// requestArgs renders the arguments of _request after the path: the path
// arguments, version, headers and body.
func (p *Suite) requestArgs(c *Call, pathArgs []string, indent string, extra ...string) string {
	var parts []string
	if len(pathArgs) > 0 {
		var kv []string
		for _, a := range pathArgs {
			kv = append(kv, fmt.Sprintf("%q: %s", a, a))
		}
		parts = append(parts, "{"+strings.Join(kv, ", ")+"}")
	}
	if c.Microversion != "" {
		parts = append(parts, "version="+strconv.Quote(c.Microversion))
	}
	if len(c.Headers) > 0 {
		var kv []string
		for _, h := range c.Headers {
			kv = append(kv, fmt.Sprintf("%q: %q", h.Name, h.Value))
		}
		parts = append(parts, "headers={"+strings.Join(kv, ", ")+"}")
	}
	parts = append(parts, extra...)
	if c.Body != nil {
		parts = append(parts, "json="+pyValue(c.Body, indent))
	}
	return strings.Join(parts, ",\n"+indent)
}

func pathArgs(r *Resource, all, own bool) []string {
	var out []string
	for _, d := range r.Parents {
		if all || d.InPath {
			out = append(out, d.Param)
		}
	}
	if all {
		for _, e := range r.Existing {
			out = append(out, e.Param)
		}
	}
	if own {
		out = append(out, r.IDParam)
	}
	return out
}

func sig(args []string) string {
	if len(args) == 0 {
		return "self"
	}
	return "self, " + strings.Join(args, ", ")
}

func kw(args []string) string {
	var out []string
	for _, a := range args {
		out = append(out, a+"="+a)
	}
	return strings.Join(out, ", ")
}

func clients(admin bool) string {
	if admin {
		return "self._admin_clients"
	}
	return "self._clients"
}

func (p *Suite) opt(r *Resource, what string) string {
	return p.AtomicPrefix + "_" + r.Name + "_" + what
}

func pyList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	if len(q) == 1 {
		return "(" + q[0] + ",)"
	}
	return "(" + strings.Join(q, ", ") + ")"
}

func pyListBracket(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// python renders the plugin module.
func (p *Suite) python() string {
	w := &py{}
	w.l(`# Licensed under the Apache License, Version 2.0 (the "License"); you may`)
	w.l(`# not use this file except in compliance with the License. You may obtain`)
	w.l(`# a copy of the License at`)
	w.l(`#`)
	w.l(`#      http://www.apache.org/licenses/LICENSE-2.0`)
	w.l(`#`)
	w.l(`# Unless required by applicable law or agreed to in writing, software`)
	w.l(`# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT`)
	w.l(`# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the`)
	w.l(`# License for the specific language governing permissions and limitations`)
	w.l(`# under the License.`)
	w.l("")
	w.doc("", fmt.Sprintf("Rally scenarios for %s (%s service).\n\n"+
		"Generated by `rallyforge plugin` from api-ref/source. rally-openstack has "+
		"no client for this service, so requests go through the keystoneauth "+
		"session of the context's users, or of the admin for what the reference "+
		"documents as admin-only or as belonging to no project. The endpoint "+
		"comes from the Keystone catalog by service type. What the scenarios "+
		"create is registered with Rally's cleanup where leftovers can be told "+
		"apart, and asynchronous resources are waited for with Rally's own "+
		"utilities and [openstack] poll settings.", p.Project, p.ServiceType))
	w.l("")
	switch {
	case p.upper() && p.times():
		w.l("import datetime")
		w.l("import string")
		w.l("")
	case p.upper():
		w.l("import string")
		w.l("")
	case p.times():
		w.l("import datetime")
		w.l("")
	}
	w.l("from rally.common import cfg")
	w.l("from rally.common import opts as rally_opts")
	w.l("from rally.common.plugin import discover")
	w.l("from rally import exceptions")
	w.l("from rally.task import atomic")
	if p.waits() {
		w.l("from rally.task import utils")
	}
	w.l("from rally.task import validation")
	w.l("")
	// Rally imports --plugin-paths / RALLY_PLUGIN_PATHS modules before it
	// registers its plugin packages' options (it does so before
	// ~/.rally/plugins, where the gate puts them); rally_openstack's
	// cleanup module reads CONF.openstack when imported.
	w.l("# Loaded through --plugin-paths or RALLY_PLUGIN_PATHS, this module is")
	w.l("# imported before Rally registers its plugin packages' options, which")
	w.l("# rally_openstack reads on import: register them as Rally would.")
	w.l("for _pkg in discover.find_packages_by_entry_point():")
	w.l("    if \"options\" in _pkg:")
	w.l("        rally_opts.register_options_from_path(_pkg[\"options\"])")
	w.l("")
	if p.cleans() {
		w.l("from rally_openstack.task.cleanup import base as cleanup_base  # noqa: E402")
	}
	w.l("from rally_openstack.task import scenario  # noqa: E402")
	w.l("")
	w.l("CONF = cfg.CONF")
	w.l("SERVICE_TYPE = %q", p.ServiceType)
	if p.waits() {
		w.l("")
		w.l("# Poll settings of the [openstack] section, named as rally-openstack")
		w.l("# names its own (nova_server_boot_timeout, ...).")
		w.l("POLL_OPTS = [")
		for _, r := range p.Resources {
			if r.Wait == nil && !r.DeleteWait {
				continue
			}
			if r.Wait != nil {
				w.l("    cfg.FloatOpt(%s,", pyStr(p.opt(r, "create_timeout"), 17))
				w.l("                 default=%d.0,", WaitBudget)
				w.l("                 help=%s),", pyStr(fmt.Sprintf("Time to wait for a new %s %s", p.AtomicPrefix, r.Human), 22))
			}
			w.l("    cfg.FloatOpt(%s,", pyStr(p.opt(r, "poll_interval"), 17))
			w.l("                 default=1.0,")
			w.l("                 help=%s),", pyStr(fmt.Sprintf("Interval between checks of a %s %s", p.AtomicPrefix, r.Human), 22))
			if r.DeleteWait {
				w.l("    cfg.FloatOpt(%s,", pyStr(p.opt(r, "delete_timeout"), 17))
				w.l("                 default=%d.0,", WaitBudget)
				w.l("                 help=%s),", pyStr(fmt.Sprintf("Time to wait for a %s %s to be deleted", p.AtomicPrefix, r.Human), 22))
			}
		}
		w.l("]")
		w.l("for _opt in POLL_OPTS:")
		w.l("    try:")
		w.l(`        CONF.register_opt(_opt, group="openstack")`)
		w.l("    except cfg.DuplicateOptError:")
		w.l("        pass  # rally-openstack defines it: its setting applies")
	}
	w.l("")
	w.l("")
	w.b.WriteString(helpers)
	if slices.ContainsFunc(p.Resources, func(r *Resource) bool { return r.EmptyNotFound }) {
		w.b.WriteString(listingHelper)
	}
	if p.times() {
		w.b.WriteString(timeHelper)
	}
	if p.cleans() {
		p.cleanupClasses(w)
	}
	w.l("")
	w.l("")
	w.l("class %sScenario(scenario.OpenStackScenario):", p.Group)
	w.doc("    ", fmt.Sprintf("Base class: REST calls to the %s API.", p.ServiceType))
	if p.upper() {
		w.l("")
		w.l("    # Lower case only: a name upper-cased by a naming convention")
		w.l("    # (CUSTOM_...) still maps back to the task for Rally's cleanup.")
		w.l("    RESOURCE_NAME_ALLOWED_CHARACTERS = (")
		w.l("        string.ascii_lowercase + string.digits)")
	}
	for _, r := range p.Resources {
		p.methods(w, r)
	}
	for _, a := range p.Actions {
		p.actionMethod(w, a)
	}
	p.existingMethods(w)
	for _, s := range p.Scenarios {
		p.scenarioClass(w, s)
	}
	return fitModule(w.b.String())
}

// fitModule keeps the module within 79 columns for names and paths of
// any length: a code line too long is broken after its first opening
// bracket (hanging indent), then at its top-level commas; a line that
// still does not fit is marked for flake8.
func fitModule(src string) string {
	var out []string
	inDoc := false
	for _, line := range strings.Split(src, "\n") {
		quotes := strings.Count(line, `"""`)
		if inDoc || quotes > 0 || len(line) <= 79 || strings.HasPrefix(strings.TrimSpace(line), "#") {
			out = append(out, line)
			if quotes%2 == 1 {
				inDoc = !inDoc
			}
			continue
		}
		for _, l := range fitCode(line, 0) {
			if len(l) > 79 {
				l += "  # noqa: E501"
			}
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// fitCode splits one code line (see fitModule).
func fitCode(line string, depth int) []string {
	if len(line) <= 79 || depth > 3 {
		return []string{line}
	}
	ind := line[:len(line)-len(strings.TrimLeft(line, " "))]
	open := -1
	inStr := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && inStr:
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && (c == '(' || c == '[' || c == '{') && i+1 < len(line) && i < 78:
			open = i
		}
		if open >= 0 {
			break
		}
	}
	var head, rest, inner string
	switch {
	case open < 0 || strings.TrimSpace(line[open+1:]) == "":
		// A continuation line: split it at its commas, same indent.
		head, rest, inner = "", strings.TrimSpace(line), ind
	default:
		head, rest = line[:open+1], strings.TrimSpace(line[open+1:])
		inner = ind + "    "
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "def ") || strings.HasPrefix(t, "class ") || strings.HasSuffix(t, ":") {
			inner = ind + "        " // not the indent of the block
		}
		if len(inner)+len(rest) <= 79 {
			return []string{head, inner + rest}
		}
	}
	// Top-level commas of the rest, keeping the closing part on the
	// last piece.
	var parts []string
	depthN, start := 0, 0
	inStr = false
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '\\' && inStr:
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '(' || c == '[' || c == '{':
			depthN++
		case c == ')' || c == ']' || c == '}':
			depthN--
		case c == ',' && depthN == 0 && i+1 < len(rest) && rest[i+1] == ' ':
			parts = append(parts, rest[start:i+1])
			start = i + 2
		}
	}
	parts = append(parts, rest[start:])
	var out []string
	if head != "" {
		out = append(out, head)
	} else if len(parts) == 1 {
		return []string{line}
	}
	for _, part := range parts {
		out = append(out, fitCode(inner+part, depth+1)...)
	}
	return out
}

// listingHelper reads a list answer of an API that answers an empty
// result 404. A 404 without the service's JSON error is no such route (a
// wrong endpoint, an API the deployment disabled) and still fails.
const listingHelper = `

def _listing(resp, key):
    """A list answer; a 404 with the service's JSON error is empty.

    The reference documents 404 for a list with nothing in its path that
    could be missing: how this API answers an empty result.
    """
    if resp.status_code == 404:
        try:
            body = resp.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            return {key: []} if key else []
    resp.raise_for_status()
    return resp.json()
`

const helpers = `def _request(clients, method, path, path_args=None, version=None,
             **kwargs):
    """Send one request through the credential's keystoneauth session.

    ` + "``path``" + ` is the documented path; the part the catalog URL already
    ends with (API version, project) is not repeated. A 4xx/5xx answer
    raises unless ` + "``raise_exc=False``" + `.
    """
    sess, _auth = clients.keystone.get_session()
    cred = clients.credential
    endpoint = sess.get_endpoint(
        service_type=SERVICE_TYPE,
        interface=cred.endpoint_type or "public",
        region_name=cred.region_name).rstrip("/")
    args = dict(path_args or {}, project_id=sess.get_project_id())
    segments = path.format(**args).strip("/").split("/")
    base = endpoint.split("/")
    for n in range(min(len(base), len(segments)), 0, -1):
        if base[-n:] == segments[:n]:
            segments = segments[n:]
            break
    if version:
        kwargs["microversion"] = version
        kwargs["microversion_service_type"] = SERVICE_TYPE
    return sess.request("/".join([endpoint] + segments), method, **kwargs)


def _created_id(resp, keys):
    """The new resource's id: from the JSON body, else Location."""
    body = resp.json() if resp.content else {}
    if isinstance(body, dict):
        objects = [body]
        objects += [v for v in body.values() if isinstance(v, dict)]
        for obj in objects:
            for key in keys:
                if key in obj:
                    return obj[key]
    location = resp.headers.get("Location")
    if location:
        return location.rstrip("/").rsplit("/", 1)[-1]
    raise exceptions.RallyException(
        "no id (%s) in the create response" % ", ".join(keys))


def _unwrap(body, key):
    """The object of a {"<resource>": {...}} answer."""
    if key and isinstance(body, dict) and isinstance(body.get(key), dict):
        return body[key]
    return body


def _fault(resource, keys):
    """The resource's own account of why it failed."""
    for key in keys:
        value = resource.get(key) if isinstance(resource, dict) else None
        if isinstance(value, dict):
            value = value.get("message") or value
        if value:
            return str(value)
    return "the resource gives no reason"
`

const timeHelper = `

def _at(offset, fmt):
    """Now plus offset seconds (UTC), spelled as the reference's samples."""
    moment = datetime.datetime.now(datetime.timezone.utc)
    return (moment + datetime.timedelta(seconds=offset)).strftime(fmt)
`

// times: some request carries a point in time computed at run time.
func (p *Suite) times() bool {
	var has func(v any) bool
	has = func(v any) bool {
		switch x := v.(type) {
		case timeAt:
			return true
		case map[string]any:
			for _, e := range x {
				if has(e) {
					return true
				}
			}
		case []any:
			for _, e := range x {
				if has(e) {
					return true
				}
			}
		}
		return false
	}
	for _, r := range p.Resources {
		if r.Create != nil && has(r.Create.Body) {
			return true
		}
	}
	for _, a := range p.Actions {
		if has(a.Call.Body) {
			return true
		}
	}
	return false
}

func (p *Suite) cleanupClasses(w *py) {
	w.l("")
	w.l("")
	w.l("class _Cleanup(cleanup_base.ResourceManager):")
	w.doc("    ", "Finds and deletes what the scenarios left behind, through the "+
		"REST API (rally_openstack.task.cleanup runs it after the workload, "+
		"even when iterations failed).")
	w.l("")
	w.l("    _list_path = _member_path = _id_param = _items_key = None")
	w.l("    _id_keys = (\"id\",)")
	w.l("    _name_key = None")
	w.l("    _name_prefix = \"\"")
	w.l("    _name_upper = False")
	w.l("    _can_show = True")
	w.l("    _list_kwargs = {}")
	w.l("    _member_kwargs = {}")
	w.l("")
	w.l("    def _client(self):")
	w.l("        return self.admin if self._admin_required else self.user")
	w.l("")
	w.l("    def id(self):")
	w.l("        for key in self._id_keys:")
	w.l("            if key in self.raw_resource:")
	w.l("                return self.raw_resource[key]")
	w.l("")
	w.l("    def name(self):")
	w.l("        name = self.raw_resource.get(self._name_key or \"name\")")
	w.l("        if not self._name_key or not isinstance(name, str):")
	w.l("            return cleanup_base.NoName(self._resource)")
	w.l("        if self._name_upper and name.startswith(self._name_prefix):")
	w.l("            return name[len(self._name_prefix):].lower()")
	w.l("        return name")
	w.l("")
	w.l("    def list(self):")
	w.l("        body = _request(")
	w.l("            self._client(), \"GET\", self._list_path,")
	w.l("            **self._list_kwargs).json()")
	w.l("        if isinstance(body, dict):")
	w.l("            body = body.get(self._items_key) or []")
	w.l("        return [item for item in body if isinstance(item, dict)]")
	w.l("")
	w.l("    def delete(self):")
	w.l("        _request(")
	w.l("            self._client(), \"DELETE\", self._member_path,")
	w.l("            {self._id_param: self.id()}, **self._member_kwargs)")
	w.l("")
	w.l("    def is_deleted(self):")
	w.l("        if not self._can_show:")
	w.l("            return True")
	w.l("        resp = _request(")
	w.l("            self._client(), \"GET\", self._member_path,")
	w.l("            {self._id_param: self.id()}, raise_exc=False,")
	w.l("            **self._member_kwargs)")
	w.l("        return resp.status_code == 404")
	for _, r := range p.Resources {
		if !r.Cleanup {
			continue
		}
		w.l("")
		w.l("")
		order := 300 - 100*min(r.depth, 2)
		flags := "tenant_resource=True"
		if r.Admin {
			flags = "admin_required=True, perform_for_admin_only=True"
		}
		if first := fmt.Sprintf("@cleanup_base.resource(%q, %q, order=%d,", p.AtomicPrefix, r.Plural, order); len(first) <= 79 {
			w.l("%s", first)
			w.l("                       %s)", flags)
		} else {
			w.l("@cleanup_base.resource(")
			w.l("    %q, %q, order=%d,", p.AtomicPrefix, r.Plural, order)
			w.l("    %s)", flags)
		}
		w.l("class %sCleanup(_Cleanup):", camel(r.Plural))
		w.doc("    ", fmt.Sprintf("%s the scenarios created (%s).", sentence(human(r.Plural)), r.Scope))
		w.l("")
		w.l("    _list_path = %s", pyStr(pyPath(r.List.Path), 17))
		w.l("    _member_path = %s", pyStr(pyPath(r.Delete.Path), 19))
		if r.Show == nil {
			w.l("    _can_show = False")
		}
		w.l("    _id_param = %q", r.IDParam)
		w.l("    _id_keys = %s", pyList(r.IDKeys))
		w.l("    _items_key = %q", r.ListKey)
		if r.NameKey != "" {
			w.l("    _name_key = %q", r.NameKey)
		}
		if r.NameUpper {
			w.l("    _name_prefix = %q", r.NamePrefix)
			w.l("    _name_upper = True")
		}
		if kw := kwargsLiteral(r.List); kw != "" {
			w.l("    _list_kwargs = %s", kw)
		}
		if kw := kwargsLiteral(r.Delete); kw != "" {
			w.l("    _member_kwargs = %s", kw)
		}
	}
}

func kwargsLiteral(c *Call) string {
	var parts []string
	if c.Microversion != "" {
		parts = append(parts, fmt.Sprintf("%q: %q", "version", c.Microversion))
	}
	if len(c.Headers) > 0 {
		var kv []string
		for _, h := range c.Headers {
			kv = append(kv, fmt.Sprintf("%q: %q", h.Name, h.Value))
		}
		parts = append(parts, fmt.Sprintf("%q: {%s}", "headers", strings.Join(kv, ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// optRef reads an [openstack] option in an expression starting at col.
func optRef(name string, col int) string {
	if e := "CONF.openstack." + name; col+len(e)+2 <= 79 {
		return e
	}
	return "getattr(CONF.openstack,\n" + strings.Repeat(" ", col+8) + pyStr(name, col+8) + ")"
}

// fit breaks a call that would pass column 79 after its first "(".
func fit(line string) string {
	if len(line) <= 79 {
		return line
	}
	i := strings.Index(line, "(")
	if i < 0 || i == len(line)-1 {
		return line
	}
	ind := line[:len(line)-len(strings.TrimLeft(line, " "))]
	return line[:i+1] + "\n" + ind + "    " + line[i+1:]
}

// request writes a _request(...) call.
func (p *Suite) request(w *py, lead string, admin bool, verb, path, rest, suffix string) {
	w.l("        %s_request(", lead)
	w.l("            %s, %q,", clients(admin), verb)
	if rest == "" {
		w.l("            %s)%s", pyStr(pyPath(path), 12), suffix)
		return
	}
	w.l("            %s,", pyStr(pyPath(path), 12))
	w.l("            %s)%s", rest, suffix)
}

func (p *Suite) timer(w *py, name string) {
	w.l("")
	if len(name)+27 > 79 {
		w.l("    @atomic.action_timer(")
		w.l("        %q)", name)
		return
	}
	w.l("    @atomic.action_timer(%q)", name)
}

func (p *Suite) def(w *py, name string, args []string) {
	line := fmt.Sprintf("    def %s(%s):", name, sig(args))
	if len(line) <= 79 {
		w.l("%s", line)
		return
	}
	w.l("    def %s(", name)
	w.l("            %s):", strings.Join(append([]string{"self"}, args...), ", "))
}

func (p *Suite) methods(w *py, r *Resource) {
	at := p.AtomicPrefix + "."
	const ind = "            "
	if r.List != nil {
		args := pathArgs(r, false, false)
		p.timer(w, at+"list_"+r.Plural)
		p.def(w, "_list_"+r.Plural, args)
		if r.EmptyNotFound {
			w.doc("        ", fmt.Sprintf("List %s: %s %s (an empty result is answered 404).", human(r.Plural), r.List.Verb, r.List.Path))
			p.request(w, "resp = ", r.Admin, "GET", r.List.Path, p.requestArgs(r.List, args, ind, "raise_exc=False"), "")
			w.l("        return _listing(resp, %q)", r.ListKey)
		} else {
			w.doc("        ", fmt.Sprintf("List %s: %s %s.", human(r.Plural), r.List.Verb, r.List.Path))
			p.request(w, "return ", r.Admin, "GET", r.List.Path, p.requestArgs(r.List, args, ind), ".json()")
		}
	}
	if r.Create == nil {
		return
	}
	parents := pathArgs(r, true, false)
	member := pathArgs(r, false, true)
	p.timer(w, at+"create_"+r.Name)
	p.def(w, "_create_"+r.Name, parents)
	text := fmt.Sprintf("Create a %s; returns its id.\n\n%s %s", r.Human, r.Create.Verb, r.Create.Path)
	if r.Wait != nil {
		text += fmt.Sprintf(", then wait until its %s is %s.", r.Wait.StatusKey, strings.Join(r.Wait.Ready, " or "))
	}
	w.doc("        ", text)
	p.request(w, "resp = ", r.Admin, r.Create.Verb, r.Create.Path, p.requestArgs(r.Create, pathArgs(r, false, false), ind), "")
	w.l("%s", fit(fmt.Sprintf("        %s = _created_id(resp, %s)", r.IDParam, pyList(r.IDKeys))))
	if r.Wait != nil {
		w.l("        self._wait_for_%s(%s)", r.Name, kw(member))
	}
	w.l("        return %s", r.IDParam)
	if r.Wait != nil || r.DeleteWait {
		w.l("")
		p.def(w, "_get_"+r.Name, member)
		w.doc("        ", fmt.Sprintf("GET %s for the waiters: a 404 raises GetResourceNotFound%s.",
			r.Show.Path, map[bool]string{true: ", a failure status GetResourceErrorStatus with the fault", false: ""}[r.Wait != nil]))
		p.request(w, "resp = ", r.Admin, "GET", r.Show.Path, p.requestArgs(r.Show, member, ind, "raise_exc=False"), "")
		w.l("        if resp.status_code == 404:")
		w.l("            raise exceptions.GetResourceNotFound(resource=%s)", r.IDParam)
		w.l("        resp.raise_for_status()")
		w.l("        %s = _unwrap(resp.json(), %q)", "res", r.ShowKey)
		if r.Wait != nil {
			w.l("        status = str(res.get(%q, \"\")).upper()", r.Wait.StatusKey)
			up := make([]string, len(r.Wait.Failure))
			for i, f := range r.Wait.Failure {
				up[i] = strings.ToUpper(f)
			}
			w.l("        if status in %s:", pyList(up))
			w.l("            raise exceptions.GetResourceErrorStatus(")
			w.l("                resource=%s, status=status,", r.IDParam)
			keys := r.Wait.FaultKeys
			if !slices.Contains(keys, "fault") {
				keys = append(slices.Clone(keys), "fault")
			}
			w.l("                fault=_fault(res, %s))", pyList(keys))
		}
		w.l("        return res")
	}
	if r.Wait != nil {
		w.l("")
		p.def(w, "_wait_for_"+r.Name, member)
		w.doc("        ", fmt.Sprintf("Wait until the %s's %s is %s; %s fails the iteration.",
			r.Human, r.Wait.StatusKey, strings.Join(r.Wait.Ready, " or "), strings.Join(r.Wait.Failure, " or ")))
		w.l("        utils.wait_for_status(")
		w.l("            {%q: %s},", "id", r.IDParam)
		w.l("            ready_statuses=%s,", pyListBracket(r.Wait.Ready))
		w.l("            failure_statuses=%s,", pyListBracket(r.Wait.Failure))
		w.l("            status_attr=%q,", r.Wait.StatusKey)
		w.l("            update_resource=lambda _res: self._get_%s(", r.Name)
		w.l("                %s),", kw(member))
		w.l("            timeout=%s,", optRef(p.opt(r, "create_timeout"), 20))
		w.l("            check_interval=%s)", optRef(p.opt(r, "poll_interval"), 27))
	}
	if r.Show != nil {
		p.timer(w, at+"show_"+r.Name)
		p.def(w, "_show_"+r.Name, member)
		w.doc("        ", fmt.Sprintf("Show a %s: GET %s.", r.Human, r.Show.Path))
		p.request(w, "return ", r.Admin, "GET", r.Show.Path, p.requestArgs(r.Show, member, ind), ".json()")
	}
	p.timer(w, at+"delete_"+r.Name)
	p.def(w, "_delete_"+r.Name, member)
	text = fmt.Sprintf("Delete a %s: DELETE %s", r.Human, r.Delete.Path)
	if r.DeleteWait {
		text += ", then wait until it is gone."
	} else {
		text += "."
	}
	w.doc("        ", text)
	p.request(w, "", r.Admin, "DELETE", r.Delete.Path, p.requestArgs(r.Delete, member, ind), "")
	if r.DeleteWait {
		w.l("        utils.wait_for_status(")
		w.l("            {%q: %s},", "id", r.IDParam)
		w.l("            ready_statuses=[\"deleted\"],")
		w.l("            check_deletion=True,")
		w.l("            update_resource=lambda _res: self._get_%s(", r.Name)
		w.l("                %s),", kw(member))
		w.l("            timeout=%s,", optRef(p.opt(r, "delete_timeout"), 20))
		w.l("            check_interval=%s)", optRef(p.opt(r, "poll_interval"), 27))
	}
}

func (p *Suite) actionMethod(w *py, a *Action) {
	const ind = "            "
	var args []string
	var r *Resource
	if a.On != "" {
		r = p.resource(a.On)
		args = pathArgs(r, false, true)
	}
	p.timer(w, a.Atomic)
	p.def(w, "_"+a.Name, args)
	text := fmt.Sprintf("%s: %s %s.", sentence(a.Human), a.Call.Verb, a.Call.Path)
	wait := r != nil && r.Wait != nil && a.Call.Async
	if wait {
		text += fmt.Sprintf("\n\nAnswered 202: waits until the %s is %s again.", r.Human, strings.Join(r.Wait.Ready, " or "))
	}
	w.doc("        ", text)
	ret := "return "
	if wait {
		ret = "resp = "
	}
	p.request(w, ret, a.Call.Admin, a.Call.Verb, a.Call.Path, p.requestArgs(a.Call, args, ind), "")
	if wait {
		w.l("        self._wait_for_%s(%s)", r.Name, kw(args))
		w.l("        return resp")
	}
}

func (p *Suite) scenarioClass(w *py, s Scenario) {
	w.l("")
	w.l("")
	var flags []string
	if s.Admin {
		flags = append(flags, "admin=True")
	}
	if s.Users {
		flags = append(flags, "users=True")
	}
	if len(s.Services) > 0 {
		w.l("@validation.add(\"required_services\", services=%s)", pyListBracket(s.Services))
	}
	if v := fmt.Sprintf("@validation.add(\"required_platform\", platform=\"openstack\", %s)", strings.Join(flags, ", ")); len(v) <= 79 {
		w.l("%s", v)
	} else {
		w.l("@validation.add(\"required_platform\", platform=\"openstack\",")
		w.l("                %s)", strings.Join(flags, ", "))
	}
	w.l("@scenario.configure(")
	w.l("    name=%s,", pyStr(s.Name, 9))
	if len(s.UserCleanup)+len(s.AdminCleanup) == 0 {
		w.l("    platform=\"openstack\")")
	} else {
		w.l("    platform=\"openstack\",")
		var ctx []string
		if len(s.UserCleanup) > 0 {
			ctx = append(ctx, fmt.Sprintf("%q: %s", "cleanup@openstack", pyListBracket(s.UserCleanup)))
		}
		if len(s.AdminCleanup) > 0 {
			ctx = append(ctx, fmt.Sprintf("%q: %s", "admin_cleanup@openstack", pyListBracket(s.AdminCleanup)))
		}
		w.l("    context={")
		for i, c := range ctx {
			end := ","
			if i == len(ctx)-1 {
				end = "})"
			}
			if len(c)+8 > 79 {
				k, v, _ := strings.Cut(c, ": ")
				w.l("        %s:", k)
				w.l("            %s%s", v, end)
				continue
			}
			w.l("        %s%s", c, end)
		}
	}
	w.l("class %s(%sScenario):", s.Class, p.Group)
	w.l("")
	w.l("    def run(self):")
	w.doc("        ", s.Doc)
	for _, l := range s.Lines {
		w.l("%s", fit(l))
	}
}

// Parsed on first use: start-up time counts for every command.
var taskTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("task").Funcs(template.FuncMap{
		// The module's name as Module() makes it; anything a project
		// name cannot hold (CheckProject refuses it earlier) is replaced.
		"ident": func(s string) string {
			return strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
					return r
				}
				return '_'
			}, s)
		},
		"yaml": yamlstr.Scalar,
	}).Parse(`---
{{- with .NotMeasured}}
# Not measured: the reference's collections and operations without a
# scenario, and why (a scenario is generated only when its requests can be
# derived from the reference and it removes what it creates).
{{- range .}}
#   {{.}}
{{- end}}
{{- end}}
version: 2
title: {{yaml (printf "Rally task for %s (%s)" .Project .ServiceType)}}
description: >-
  REST scenarios generated by rallyforge plugin from api-ref/source; the
  plugin is rally-jobs/plugins/{{ident .Project}}_scenarios.py.
subtasks:
{{- range .Scenarios}}
  - title: {{yaml .Name}}
    workloads:
{{- if .Why}}
      - description: {{yaml .Why}}
        scenario:
{{- else}}
      - scenario:
{{- end}}
          {{yaml .Name}}: {}
        runner:
          constant:
            times: {{$.Runner.Times}}
            concurrency: {{if .Concurrency}}{{.Concurrency}}{{else}}{{$.Runner.Concurrency}}{{end}}
        sla:
          failure_rate:
            max: 0
          max_avg_duration_per_atomic:
{{- range .Atomics}}
            {{yaml .}}: {{$.Budget .}}
{{- end}}
{{- end}}
`))
})

// NotMeasured is the plan's skips, one line each ("path: reason"), in the
// reference's order, without repeats (an action documented once per
// variant is skipped once per variant).
func (p *Suite) NotMeasured() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range p.Skipped {
		line := strings.Join(strings.Fields(s.Path+": "+s.Reason), " ")
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	return out
}

// Runner is the load of every workload: the smoke profile's runner under
// --profile smoke (a first check that each scenario works), 10 iterations
// 2 at a time otherwise.
func (p *Suite) Runner() plan.Runner {
	if p.Profile == plan.ProfileSmoke {
		return plan.SmokeRunner()
	}
	return plan.Runner{Type: "constant", Times: 10, Concurrency: 2}
}

// Budget is the max_avg_duration_per_atomic of an atomic action: one REST
// call, or a wait for an asynchronous resource.
func (p *Suite) Budget(atomic string) int {
	for _, r := range p.Resources {
		if r.Wait != nil && atomic == p.AtomicPrefix+".create_"+r.Name ||
			r.DeleteWait && atomic == p.AtomicPrefix+".delete_"+r.Name {
			return WaitBudget
		}
	}
	for _, a := range p.Actions {
		if r := p.resource(a.On); a.Atomic == atomic && r != nil && r.Wait != nil && a.Call.Async {
			return WaitBudget
		}
	}
	return AtomicBudget
}

// existingMethods writes one finder per value a create takes from another
// service's listing: through Rally's client of that service, as the admin
// (a service list is an admin API), untimed (it measures that service).
func (p *Suite) existingMethods(w *py) {
	done := map[string]bool{}
	for _, r := range p.Resources {
		for _, e := range r.Existing {
			if done[e.Param] {
				continue
			}
			done[e.Param] = true
			which := fmt.Sprintf("%s's %s list", e.Client, strings.TrimSuffix(e.Collection, "s"))
			if e.Binary != "" {
				which += " (binary " + e.Binary + ")"
			}
			w.l("")
			p.def(w, e.Method(), nil)
			w.doc("        ", fmt.Sprintf("The first %s of %s.\n\nThe reference: %q.", e.Attr, which, e.Source))
			w.l("        found = sorted(set(")
			w.l("            getattr(x, %q, None)", e.Attr)
			w.l("            for x in self.admin_clients(%q).%s.list()", e.Client, e.Collection)
			if e.Binary != "" {
				w.l("            if getattr(x, %q, None) == %q) - {None})", "binary", e.Binary)
			} else {
				w.l("        ) - {None})")
			}
			w.l("        if not found:")
			w.l("            raise exceptions.RallyException(")
			w.l("                %s)", pyStr(fmt.Sprintf("no %s in %s: a %s must be named after one", e.Attr, which, r.Human), 16))
			w.l("        return found[0]")
		}
	}
}
