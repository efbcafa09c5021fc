package plugingen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// ledgerRef is a reference shaped like cloudkitty's v2 API: records are
// pushed (POST answered 204) into a collection that GET lists and nothing
// deletes, and the API documents 404 for a collection GET with nothing in
// its path that could be missing, for a query that filters (its answer to
// nothing matching); states
// are added (POST) and never deleted, like cloudkitty's scopes.
const ledgerRef = `=======
Records
=======

Add records
===========

.. rest_method:: POST /v2/records

.. rest_parameters:: parameters.yaml

   - records: records

.. literalinclude:: samples/records-post.json
   :language: javascript

.. rest_status_code:: success status.yaml

   - 204

.. rest_status_code:: error status.yaml

   - 400

Get records
===========

.. rest_method:: GET /v2/records

.. rest_status_code:: success status.yaml

   - 200

.. rest_status_code:: error status.yaml

   - 400
   - 403

.. literalinclude:: samples/records-get.json
   :language: javascript

Get the states
==============

.. rest_method:: GET /v2/states

.. rest_parameters:: parameters.yaml

   - scope_id: scope_id

.. rest_status_code:: success status.yaml

   - 200

.. rest_status_code:: error status.yaml

   - 403
   - 404

.. literalinclude:: samples/states-get.json
   :language: javascript

Add a state
===========

.. rest_method:: POST /v2/states

.. rest_status_code:: success status.yaml

   - 200
`

func ledger(t *testing.T) fixture { return ledgerWith(t, "", "") }

// ledgerWith: the fixture with more query parameters of GET /v2/states.
func ledgerWith(t *testing.T, stateParams, extraParams string) fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ledger")
	files := map[string]string{
		"setup.cfg":                 "[metadata]\nname = ledger\n",
		"api-ref/source/index.rst":  ".. include:: ledger.inc\n",
		"api-ref/source/ledger.inc": strings.Replace(ledgerRef, "   - scope_id: scope_id\n", "   - scope_id: scope_id\n"+stateParams, 1),
		"api-ref/source/parameters.yaml": "records:\n  in: body\n  required: true\n  type: array\n  description: The records.\n" +
			"scope_id:\n  in: query\n  required: false\n  type: string\n  description: Filter by scope.\n" + extraParams,
		"api-ref/source/samples/records-post.json": `{"records": [{"qty": 1.2, "unit": "GiB"}]}`,
		"api-ref/source/samples/records-get.json":  `{"total": 1, "records": [{"qty": 1.2, "unit": "GiB"}]}`,
		"api-ref/source/samples/states-get.json":   `{"results": [{"scope_id": "s1", "state": "2019-07-23T12:28:10+00:00"}]}`,
	}
	writeTree(t, dir, files)
	p, err := Build(dir, "ledger", "rating")
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{dir: dir, plan: p, py: filepath.Join(dir, p.Module()), task: filepath.Join(dir, p.Task())}
	for _, x := range out {
		if x.Path == p.Module() {
			f.src = string(x.Content)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(x.Path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, x.Path), x.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// TestNoScenarioLeavesWhatItAdds: a POST that adds to what a GET on the
// same path lists, where no DELETE removes anything, is not an action
// scenario (every iteration would leave what it added); the plan says why.
// The listing stays.
func TestNoScenarioLeavesWhatItAdds(t *testing.T) {
	f := ledger(t)
	var names []string
	for _, s := range f.plan.Scenarios {
		names = append(names, s.Name)
	}
	for _, a := range f.plan.Actions {
		if a.Path == "/v2/records" {
			t.Errorf("POST /v2/records became the action %s (scenarios %v)", a.Name, names)
		}
	}
	found := false
	for _, s := range f.plan.Skipped {
		found = found || s.Path == "/v2/records" && strings.Contains(s.Reason, "no DELETE")
	}
	if !found {
		t.Errorf("no skip with the reason for POST /v2/records: %+v", f.plan.Skipped)
	}
	if !strings.Contains(strings.Join(names, " "), "Ledger.list_records") {
		t.Errorf("the listing is gone: %v", names)
	}
}

// TestEmptyListAnswered404: the reference documents 404 for a collection
// GET with no parameter in its path, the API's answer to an empty result:
// the list scenarios take a 404 carrying the service's JSON error as an
// empty list; a 404 without one (no such route: a wrong endpoint, an API
// the deployment disabled) and other errors still fail.
func TestEmptyListAnswered404(t *testing.T) {
	f := ledger(t)
	res := exercise(t, f.py, []step{
		{Call: "_list_states", Answers: [][2]any{{404, map[string]any{"message": "No resource found for provided filters."}}}},
		{Call: "_list_records", Answers: [][2]any{{404, map[string]any{"message": "No resource found for provided filters."}}}},
		{Call: "_list_states", Answers: [][2]any{{404, "<html>Not Found</html>"}}},
		{Call: "_list_states", Answers: [][2]any{{500, map[string]any{"message": "boom"}}}},
		{Call: "_list_states", Answers: [][2]any{{200, map[string]any{"results": []any{map[string]any{"scope_id": "s1"}}}}}},
	})
	for i, r := range res[:2] {
		if errText(r) != "" {
			t.Errorf("step %d: an empty result (404 with the service's JSON error) failed: %s", i, errText(r))
		}
	}
	for i, r := range res[2:4] {
		if errText(r) == "" {
			t.Errorf("step %d: %+v passed, want a failure", i+2, r)
		}
	}
	if errText(res[4]) != "" || res[4].Result == nil {
		t.Errorf("a 200 list: %+v", res[4])
	}
}

// TestSmokeProfileIsSmall: init --profile smoke sizes the generated task
// like its other smoke tasks (plan's smoke runner), the gate and scale
// profiles keep their load.
func TestSmokeProfileIsSmall(t *testing.T) {
	repo := testcorpus.Copy(t, "placement")
	for _, c := range []struct {
		profile string
		want    plan.Runner
	}{{plan.ProfileSmoke, plan.SmokeRunner()}, {plan.ProfileGate, plan.Runner{Type: "constant", Times: 10, Concurrency: 2}}} {
		files, err := Generate(repo, "placement", "placement", c.profile)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("constant:\n            times: %d\n            concurrency: %d\n", c.want.Times, c.want.Concurrency)
		for _, f := range files {
			if strings.HasSuffix(f.Path, ".yaml") {
				if n, all := strings.Count(string(f.Content), want), strings.Count(string(f.Content), "constant:"); n == 0 || n != all {
					t.Errorf("%s: %d of %d runners are %v", c.profile, n, all, c.want)
				}
			}
		}
	}
	if r := plan.SmokeRunner(); r.Times*r.Concurrency > 2 {
		t.Errorf("smoke runner %v is not small", r)
	}
}

// TestNotFoundForOtherReasons: a list documents 404 for a pagination
// marker that is not found (masakari), or with no query to match
// (tacker's subscriptions): that says nothing about empty results, and a
// 404 still fails those lists.
func TestNotFoundForOtherReasons(t *testing.T) {
	if n := emptyLists(ledger(t)); n != 2 {
		t.Errorf("%d lists take a 404 as empty, want records and states", n)
	}
	marker := ledgerWith(t, "   - marker: marker\n",
		"marker:\n  in: query\n  required: false\n  type: string\n  description: The last item of the previous page.\n")
	if n := emptyLists(marker); n != 0 {
		t.Errorf("404 documented for a marker: %d lists take a 404 as empty", n)
	}
}

func emptyLists(f fixture) int {
	n := 0
	for _, r := range f.plan.Resources {
		if r.EmptyNotFound {
			n++
		}
	}
	return n
}

// TestTaskSaysWhatIsNotMeasured: the generated task names, once each,
// the reference's collections and operations that got no scenario, with
// the reason (a reviewer sees why there is no "add records" workload).
func TestTaskSaysWhatIsNotMeasured(t *testing.T) {
	f := ledger(t)
	b, err := os.ReadFile(f.task)
	if err != nil {
		t.Fatal(err)
	}
	task := string(b)
	for _, s := range f.plan.Skipped {
		line := "#   " + s.Path + ": " + s.Reason + "\n"
		if n := strings.Count(task, line); n != 1 {
			t.Errorf("task names %q %d times, want once:\n%s", line, n, task)
		}
	}
	if len(f.plan.Skipped) == 0 || !strings.Contains(task, "/v2/records: no DELETE") {
		t.Errorf("nothing said about POST /v2/records:\n%s", task)
	}
}
