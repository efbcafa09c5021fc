package plugingen

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/rallyforge/rallyforge/internal/yamlstr"
)

// ErrNothing means the API reference documents nothing a scenario can use.
var ErrNothing = errors.New("the API reference documents no resource a scenario can list or create")

// Module is the plugin's path inside the repository.
func (p *Plan) Module() string {
	return "rally-jobs/plugins/" + strings.ReplaceAll(p.Project, "-", "_") + "_scenarios.py"
}

// Task is the task's path inside the repository.
func (p *Plan) Task() string { return "rally-jobs/task-" + p.Project + ".yaml" }

// Files renders the plugin module and the task.
func (p *Plan) Files() ([]scaffold.File, error) {
	if len(p.Scenarios) == 0 {
		return nil, fmt.Errorf("%s: %w", p.Project, ErrNothing)
	}
	var py, task bytes.Buffer
	if err := pyTmpl().Execute(&py, p); err != nil {
		return nil, err
	}
	if err := taskTmpl().Execute(&task, p); err != nil {
		return nil, err
	}
	return []scaffold.File{
		{Path: p.Module(), Content: py.Bytes(), Mode: 0o644, By: "plugin"},
		{Path: p.Task(), Content: task.Bytes(), Mode: 0o644, By: "plugin"},
	}, nil
}

// Generate is scaffold.Generator: init calls it for services without
// catalog coverage.
func Generate(repo, project, serviceType string) ([]scaffold.File, error) {
	p, err := Build(repo, project, serviceType)
	if err != nil {
		return nil, err
	}
	files, err := p.Files()
	for i := range files {
		files[i].By = "init" // init writes them, as part of its tree
	}
	return files, err
}

func init() { scaffold.Generator = Generate }

// AtomicBudget is the max_avg_duration_per_atomic of every generated
// atomic action, in seconds: one REST call on a gate DevStack.
const AtomicBudget = 10

// pyPath turns a documented path into a str.format template: the project
// segment becomes {project_id}, the member's id {id}.
func pyPath(p string) string {
	segs := strings.Split(p, "/")
	last := len(segs) - 1
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			if i == last {
				segs[i] = "{id}"
			} else {
				segs[i] = "{project_id}"
			}
		}
	}
	return strconv.Quote(strings.Join(segs, "/"))
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
			fmt.Fprintf(&b, "%s    %s: %s,\n", indent, strconv.Quote(k), pyValue(x[k], indent+"    "))
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
			fmt.Fprintf(&b, "%s    %s,\n", indent, pyValue(e, indent+"    "))
		}
		b.WriteString(indent + "]")
		return b.String()
	case string:
		return strconv.Quote(x)
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

// pyDoc makes s safe inside a """docstring""": no backslash escapes, no
// closing quotes, no control characters.
func pyDoc(s string) string {
	q := strconv.QuoteToASCII(s)
	q = q[1 : len(q)-1] // escapes as a Python "…" literal would need them
	return strings.ReplaceAll(q, `"`, `\x22`)
}

var pyIdent = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9_]`) })

var funcs = template.FuncMap{
	"pyPath":  pyPath,
	"pyValue": pyValue,
	"quote":   strconv.Quote,
	"doc":     pyDoc,
	"yaml":    yamlstr.Scalar,
	"ident":   func(s string) string { return pyIdent().ReplaceAllString(s, "_") },
	"human":   func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"budget":  func() int { return AtomicBudget },
	"pyList": func(xs []string) string {
		q := make([]string, len(xs))
		for i, x := range xs {
			q[i] = strconv.Quote(x)
		}
		return "(" + strings.Join(q, ", ") + ")"
	},
}

// Parsed on first use: start-up time counts for every command.
var pyTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("py").Funcs(funcs).Parse(`# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Rally scenarios for {{doc .Project}} ({{doc .ServiceType}} service).

Generated by ` + "`rallyforge plugin`" + ` from api-ref/source. rally-openstack has no
client for this service, so every call goes through the keystoneauth
session Rally already holds for the admin credential; the endpoint comes
from the Keystone catalog by service type.
"""

from rally import exceptions
from rally.task import atomic
from rally.task import validation

from rally_openstack.task import scenario

SERVICE_TYPE = {{quote .ServiceType}}
{{- if .Microversion}}
# Highest microversion the API reference documents.
MICROVERSION = {{quote .Microversion}}
{{- end}}


class {{.Group}}Scenario(scenario.OpenStackScenario):
    """Base class: REST calls to the {{doc .ServiceType}} API."""

    def _request(self, method, path, ident=None, **kwargs):
        """Send one request; any 4xx/5xx answer raises.

        ` + "``path``" + ` is the documented path; the part the catalog URL
        already ends with (API version, project) is not repeated.
        """
        sess, _auth = self._admin_clients.keystone.get_session()
        cred = self._admin_clients.credential
        endpoint = sess.get_endpoint(
            service_type=SERVICE_TYPE,
            interface=cred.endpoint_type or "public",
            region_name=cred.region_name).rstrip("/")
        segments = path.format(
            project_id=sess.get_project_id(), id=ident).strip("/").split("/")
        base = endpoint.split("/")
        for n in range(min(len(base), len(segments)), 0, -1):
            if base[-n:] == segments[:n]:
                segments = segments[n:]
                break
{{- if .Microversion}}
        kwargs.setdefault("microversion", MICROVERSION)
        kwargs.setdefault("microversion_service_type", SERVICE_TYPE)
{{- end}}
        return sess.request("/".join([endpoint] + segments), method, **kwargs)

    @staticmethod
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
{{- range .Resources}}
{{- if .ListPath}}

    @atomic.action_timer({{quote (printf "%s.list_%s" $.ServiceType .Plural)}})
    def _list_{{.Plural}}(self):
        """GET {{doc .ListPath}}."""
        return self._request(
            "GET", {{pyPath .ListPath}}).json()
{{- end}}
{{- if .Creatable}}

    @atomic.action_timer({{quote (printf "%s.create_%s" $.ServiceType .Name)}})
    def _create_{{.Name}}(self):
        """Create a {{human .Name}}; returns its id.

        POST {{doc .CreatePath}}
        """
        resp = self._request(
            "POST", {{pyPath .CreatePath}}{{if .Body}},
            json={{pyValue .Body "            "}}{{end}})
        return self._created_id(
            resp, {{pyList .IDKeys}})
{{- if .Show}}

    @atomic.action_timer({{quote (printf "%s.show_%s" $.ServiceType .Name)}})
    def _show_{{.Name}}(self, ident):
        """GET {{doc .MemberPath}}."""
        return self._request(
            "GET", {{pyPath .MemberPath}}, ident).json()
{{- end}}

    @atomic.action_timer({{quote (printf "%s.delete_%s" $.ServiceType .Name)}})
    def _delete_{{.Name}}(self, ident):
        """DELETE {{doc .MemberPath}}."""
        self._request(
            "DELETE", {{pyPath .MemberPath}}, ident)
{{- end}}
{{- end}}
{{range .Scenarios}}

@validation.add("required_platform", platform="openstack", admin=True)
@scenario.configure(
    name={{quote .Name}},
    platform="openstack")
class {{.Class}}({{$.Group}}Scenario):
{{- if eq .Kind "list"}}

    def run(self):
        """List {{human .Plural}}."""
        self._list_{{.Plural}}()
{{- else if eq .Kind "create_and_delete"}}

    def run(self):
        """Create a {{human .Resource}} and delete it."""
        ident = self._create_{{.Resource}}()
        self._delete_{{.Resource}}(ident)
{{- else if eq .Kind "create_and_list"}}

    def run(self):
        """Create a {{human .Resource}}, list them, delete it."""
        ident = self._create_{{.Resource}}()
        try:
            self._list_{{.Plural}}()
        finally:
            self._delete_{{.Resource}}(ident)
{{- else if eq .Kind "create_and_show"}}

    def run(self):
        """Create a {{human .Resource}}, show it, delete it."""
        ident = self._create_{{.Resource}}()
        try:
            self._show_{{.Resource}}(ident)
        finally:
            self._delete_{{.Resource}}(ident)
{{- end}}
{{end}}`))
})

// Parsed on first use: start-up time counts for every command.
var taskTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("task").Funcs(funcs).Parse(`---
version: 2
title: {{yaml (printf "Rally task for %s (%s)" .Project .ServiceType)}}
description: >-
  REST scenarios generated by rallyforge plugin from api-ref/source; the
  plugin is rally-jobs/plugins/{{ident .Project}}_scenarios.py.
subtasks:
{{- range .Scenarios}}
  - title: {{yaml .Name}}
    workloads:
      - scenario:
          {{yaml .Name}}: {}
        runner:
          constant:
            times: 10
            concurrency: 2
        sla:
          failure_rate:
            max: 0
          max_avg_duration_per_atomic:
{{- range .Atomics}}
            {{yaml .}}: {{budget}}
{{- end}}
{{- end}}
`))
})
