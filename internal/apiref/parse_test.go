package apiref

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const sampleRST = `Widgets
=======

Create widget
=============

.. rest_method:: POST /v1/{project_id}/widgets

New in version 1.5

Request
-------

.. rest_parameters:: parameters.yaml

  - widget: widget
  - name: widget_name
  - colour: nowhere

.. literalinclude:: samples/widget-create-req.json
   :language: javascript

Response
--------

.. rest_parameters:: parameters.yaml

  - id: widget_id

.. literalinclude:: samples/widget-create-resp.json

Delete widget
=============

.. rest_method:: DELETE /v1/{project_id}/widgets/{widget_id}

.. rest_method:: FETCH /v1/widgets
.. rest_method:: GET
`

const sampleParams = `
widget:
  in: body
  required: true
  type: object
widget_name:
  in: body
  required: true
  type: string
  min_version: 1.7
widget_id:
  in: path
  required: true
  type: string
broken: 3
`

func sampleResolver(from, name string) ([]byte, error) {
	switch name {
	case "samples/widget-create-req.json":
		return []byte(`{"widget": {"name": "w1", "colour": "red"}}`), nil
	case "samples/widget-create-resp.json":
		return []byte(`{"widget": {"id": "42"`), nil
	}
	return nil, errors.New("not found")
}

func TestParseRST(t *testing.T) {
	ps, pf := ParseParams("parameters.yaml", []byte(sampleParams))
	if len(pf) != 1 || pf[0].Line != 15 {
		t.Errorf("parameters findings: %v (want one at line 15 for \"broken\")", pf)
	}
	ops, fs := ParseRST("w.inc", []byte(sampleRST), sampleResolver, func(string) (Params, error) { return ps, nil })
	if len(ops) != 2 {
		t.Fatalf("ops: %+v", ops)
	}
	c := ops[0]
	if c.Verb != "POST" || c.Path != "/v1/{project_id}/widgets" || c.Title != "Create widget" || c.Line != 7 || c.MinVersion != "1.5" {
		t.Errorf("create op: %+v", c)
	}
	if len(c.Request) != 3 || !c.Request[1].Required || c.Request[1].MinVersion != "1.7" || c.Request[0].Type != "object" {
		t.Errorf("request params: %+v", c.Request)
	}
	if len(c.Response) != 1 || c.Response[0].In != "path" {
		t.Errorf("response params: %+v", c.Response)
	}
	if m, ok := c.RequestSample.(map[string]any); !ok || m["widget"] == nil {
		t.Errorf("request sample: %v", c.RequestSample)
	}
	want := []string{
		`w.inc:18: rest_parameters: "nowhere" not defined`,
		`w.inc:30: literalinclude samples/widget-create-resp.json: not JSON`,
		`w.inc:37: rest_method: unknown HTTP verb "FETCH"`,
		`w.inc:38: rest_method: want VERB /path`,
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d: %q, want prefix %q", i, got[i], want[i])
		}
	}
	ref := &Ref{Ops: ops}
	rs := ref.Resources()
	if len(rs) != 1 {
		t.Fatalf("resources: %+v", rs)
	}
	r := rs[0]
	if r.Name != "widget" || r.Plural != "widgets" || r.Create == nil || r.Delete == nil || r.List != nil || r.IDParam != "widget_id" || len(r.Parents) != 0 {
		t.Errorf("resource: %+v", r)
	}
}

func TestResourcesNested(t *testing.T) {
	ref := &Ref{Ops: []Op{
		{Verb: "POST", Path: NormPath("segments/{segment_id}/hosts?x=1")},
		{Verb: "GET", Path: "/os-quota_classes"},
	}}
	rs := ref.Resources()
	if len(rs) != 2 || rs[0].Collection != "/segments/{segment_id}/hosts" || len(rs[0].Parents) != 1 || rs[1].Name != "quota_class" {
		t.Errorf("%+v %+v", rs[0], rs[1])
	}
}

func FuzzParseRST(f *testing.F) {
	f.Add([]byte(sampleRST), []byte(sampleParams))
	f.Add([]byte(".. rest_method:: GET /a/{b}\n.. rest_parameters:: p\n\n  - a: b\n  -\n"), []byte("a: [\n"))
	f.Add([]byte("T\n=\n.. literalinclude:: x.json\n"), []byte("- 1"))
	f.Fuzz(func(t *testing.T, rst, params []byte) {
		ps, pfs := ParseParams("parameters.yaml", params)
		for _, x := range pfs {
			if x.Line <= 0 {
				t.Fatalf("finding without a line: %v", x)
			}
		}
		ops, fs := ParseRST("f.inc", rst, func(_, name string) ([]byte, error) { return rst, nil },
			func(string) (Params, error) { return ps, nil })
		for _, x := range fs {
			if x.File != "f.inc" || x.Line <= 0 {
				t.Fatalf("finding without a position: %v", x)
			}
		}
		(&Ref{Ops: ops}).Resources()
	})
}

// TestVersionNotes: a note before the first operation covers the file, a
// note in an operation's section that operation (the newer one wins); a
// section saying only administrators may call it marks it admin-only,
// while "admin only" about a filter in a bullet list does not; success
// codes come from rest_status_code and from "Normal response codes".
func TestVersionNotes(t *testing.T) {
	rst := `.. note:: Resource class API calls are available starting from version 1.2.

List classes
============

.. rest_method:: GET /classes

- ` + "``all=True``" + ` lists every project's, admin only.

Normal response codes: 200

Update class
============

.. rest_method:: PUT /classes/{name}

.. note:: Method is available starting from version 1.7.

Admin only API. Replaces the class.

.. rest_status_code:: success status.yaml

   - 201
   - 204: no change
`
	ops, fs := ParseRST("c.inc", []byte(rst), nil, nil)
	if len(fs) != 0 || len(ops) != 2 {
		t.Fatalf("ops %+v findings %v", ops, fs)
	}
	if ops[0].MinVersion != "1.2" || ops[0].Admin || len(ops[0].Success) != 1 || ops[0].Success[0] != 200 {
		t.Errorf("list: %+v", ops[0])
	}
	if ops[1].MinVersion != "1.7" || !ops[1].Admin || len(ops[1].Success) != 2 || ops[1].Success[1] != 204 {
		t.Errorf("update: %+v", ops[1])
	}
}

// TestErrorCodes: the documented error codes come from rest_status_code
// error and from "Error response codes", apart from the success codes.
func TestErrorCodes(t *testing.T) {
	rst := `List scopes
===========

.. rest_method:: GET /v2/scope

.. rest_status_code:: success http_status.yml

   - 200

.. rest_status_code:: error http_status.yml

   - 400
   - 404

Show class
==========

.. rest_method:: GET /classes/{name}

Normal response codes: 200

Error response codes: itemNotFound(404), unauthorized(401)
`
	ops, fs := ParseRST("s.inc", []byte(rst), nil, nil)
	if len(fs) != 0 || len(ops) != 2 {
		t.Fatalf("ops %+v findings %v", ops, fs)
	}
	if !slices.Equal(ops[0].Success, []int{200}) || !slices.Equal(ops[0].Errors, []int{400, 404}) {
		t.Errorf("scope: success %v errors %v", ops[0].Success, ops[0].Errors)
	}
	if !slices.Equal(ops[1].Success, []int{200}) || !slices.Equal(ops[1].Errors, []int{404, 401}) {
		t.Errorf("class: success %v errors %v", ops[1].Success, ops[1].Errors)
	}
}

// TestPathParamDeclaredQuery: a parameter listed for an operation whose
// path has its {name} is a path parameter, whatever `in` its definition
// says (a reference that defines every path parameter "in: query" would
// otherwise make each operation need a query value it cannot have).
func TestPathParamDeclaredQuery(t *testing.T) {
	const rst = `Create thing
============

.. rest_method:: POST /v2/{project_id}/things

.. rest_parameters:: parameters.yaml

  - project_id: project_id_path
  - limit: limit
`
	ps, _ := ParseParams("parameters.yaml", []byte(`
project_id_path:
  in: query
  required: true
  type: string
limit:
  in: query
  required: false
  type: integer
`))
	ops, _ := ParseRST("things.inc", []byte(rst), nil, func(string) (Params, error) { return ps, nil })
	if len(ops) != 1 || len(ops[0].Request) != 2 {
		t.Fatalf("ops: %+v", ops)
	}
	if got := ops[0].Request[0].In; got != "path" {
		t.Errorf("project_id: in %q, want path (it is {project_id} of the path)", got)
	}
	if got := ops[0].Request[1].In; got != "query" {
		t.Errorf("limit: in %q, want query", got)
	}
}
