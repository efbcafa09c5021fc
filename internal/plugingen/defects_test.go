package plugingen

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// The acme fixture (testdata/acme) is a small API reference written the
// way os-api-ref references are: project-scoped widgets created
// asynchronously (202, status CREATING -> ACTIVE, a fault on ERROR),
// needing an admin-only gadget, with a microversion header; an admin-only
// mgmt path; an event endpoint answered 204 with an ETSI-style Version
// header; a member action answered 202.

type fixture struct {
	dir, py, task string
	plan          *Suite
	src           string
}

// copyTree copies testdata/<name> into a temporary repository.
func copyTree(t *testing.T, name string, keep func(rel string) bool) string {
	t.Helper()
	src := filepath.Join("testdata", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if keep != nil && !keep(filepath.ToSlash(rel)) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func acme(t *testing.T) fixture {
	t.Helper()
	return buildFixture(t, "acme", "acme-api", "widget-service")
}

// buildFixture builds and writes the plugin of testdata/<tree> (a copy)
// and reads back what plugin wrote.
func buildFixture(t *testing.T, tree, project, serviceType string) fixture {
	t.Helper()
	dir := copyTree(t, tree, nil)
	p, err := Build(dir, project, serviceType)
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	changes, err := scaffold.Decide(dir, files, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := scaffold.Apply(dir, changes); err != nil {
		t.Fatal(err)
	}
	f := fixture{dir: dir, plan: p, py: filepath.Join(dir, p.Module()), task: filepath.Join(dir, p.Task())}
	src, err := os.ReadFile(f.py)
	if err != nil {
		t.Fatal(err)
	}
	f.src = string(src)
	return f
}

// writeTree writes files (relative path -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type step struct {
	Call     string         `json:"call"`
	On       string         `json:"on,omitempty"`
	Args     map[string]any `json:"args,omitempty"`
	Resource map[string]any `json:"resource,omitempty"`
	Answers  [][2]any       `json:"answers"`
}

type request struct {
	Session string         `json:"session"`
	Method  string         `json:"method"`
	URL     string         `json:"url"`
	Kwargs  map[string]any `json:"kwargs"`
}

type outcome struct {
	Requests []request `json:"requests"`
	Result   any       `json:"result"`
	Error    *string   `json:"error"`
}

// exercise runs steps of the generated plugin against a scripted fake API
// with the real Rally and rally-openstack (testdata/exercise.py).
func exercise(t *testing.T, py string, steps []step) []outcome {
	t.Helper()
	testcorpus.Long(t) // the real Rally runs the plugin
	script := filepath.Join(t.TempDir(), "steps.json")
	b, _ := json.Marshal(steps)
	if err := os.WriteFile(script, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(rallyoracle.Python, "testdata/exercise.py", py, script)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("exercise.py: %v\n%s", err, msg)
	}
	var res []outcome
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(res) != len(steps) {
		t.Fatalf("%d outcomes for %d steps", len(res), len(steps))
	}
	return res
}

// sent is the step's first request (fatal when it sent none).
func sent(t *testing.T, o outcome) request {
	t.Helper()
	if len(o.Requests) == 0 {
		t.Fatalf("no request sent: %s", errText(o))
	}
	return o.Requests[0]
}

func errText(o outcome) string {
	if o.Error == nil {
		return ""
	}
	return *o.Error
}

func widget(status string, extra map[string]any) [2]any {
	w := map[string]any{"id": "w1", "status": status}
	for k, v := range extra {
		w[k] = v
	}
	return [2]any{200, map[string]any{"widget": w}}
}

// TestWaitsForDocumentedStatus: the reference documents the widget's
// status field and values (CREATING in the create answer, ACTIVE, ERROR)
// and answers create and delete with 202: create waits with Rally's
// wait_for_status for ACTIVE, polling at the [openstack] settings; ERROR
// fails with the widget's fault; delete waits for the 404 (defect 2).
func TestWaitsForDocumentedStatus(t *testing.T) {
	f := acme(t)
	for _, want := range []string{"utils.wait_for_status(", "CONF.openstack.acme_widget_create_timeout",
		"CONF.openstack.acme_widget_poll_interval", `ready_statuses=["ACTIVE"]`, "check_deletion=True"} {
		if !strings.Contains(f.src, want) {
			t.Errorf("plugin lacks %q", want)
		}
	}
	created := [2]any{202, map[string]any{"widget": map[string]any{"id": "w1", "status": "CREATING"}}}
	res := exercise(t, f.py, []step{
		{Call: "_create_widget", Args: map[string]any{"gadget_id": "g1"},
			Answers: [][2]any{created, widget("CREATING", nil), widget("ACTIVE", nil)}},
		{Call: "_create_widget", Args: map[string]any{"gadget_id": "g1"},
			Answers: [][2]any{created, widget("ERROR", map[string]any{"fault": map[string]any{"message": "No valid host was found"}})}},
		{Call: "_delete_widget", Args: map[string]any{"widget_id": "w1"},
			Answers: [][2]any{{202, nil}, widget("DELETING", nil), {404, nil}}},
	})
	if r := res[0]; errText(r) != "" || r.Result != "w1" || len(r.Requests) != 3 || r.Requests[2].Method != "GET" {
		t.Errorf("create did not wait for ACTIVE: %+v", r)
	}
	if e := errText(res[1]); !strings.Contains(e, "GetResourceErrorStatus") || !strings.Contains(e, "No valid host was found") {
		t.Errorf("a widget in ERROR: %q, want GetResourceErrorStatus with the fault", e)
	}
	if r := res[2]; errText(r) != "" || len(r.Requests) != 3 || r.Requests[0].Method != "DELETE" {
		t.Errorf("delete did not wait for the 404: %+v", r)
	}
}

// TestBodyFromRequiredAndSamples: the create body keeps what the reference
// marks required, with the sample's values (flavor is an object the
// reference does not detail: the sample's, never {}), a random name, no
// optional description; the gadget the body refers to is created first
// and deleted last; a parent that cannot be created skips the resource
// with the reason (trove's backup needs an instance) (defect 3).
func TestBodyFromRequiredAndSamples(t *testing.T) {
	f := acme(t)
	res := exercise(t, f.py, []step{{Call: "_create_widget", Args: map[string]any{"gadget_id": "g-parent"},
		Answers: [][2]any{{202, map[string]any{"widget": map[string]any{"id": "w1", "status": "ACTIVE"}}}, widget("ACTIVE", nil)}}})
	body, _ := json.Marshal(sent(t, res[0]).Kwargs["json"])
	var got struct {
		Widget map[string]any `json:"widget"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	flavor, _ := json.Marshal(got.Widget["flavor"])
	if string(flavor) != `{"disk":1,"ram":512}` || got.Widget["gadget_id"] != "g-parent" ||
		got.Widget["description"] != nil || !strings.HasPrefix(fmt.Sprint(got.Widget["name"]), "s_rally_") {
		t.Errorf("create body %s", body)
	}
	for _, s := range f.plan.Scenarios {
		if s.Name == "Acme.create_and_delete_widget" &&
			!slices.Equal(s.Atomics, []string{"acme.create_gadget", "acme.create_widget", "acme.delete_widget", "acme.delete_gadget"}) {
			t.Errorf("%s atomics %v: the gadget is not created first and deleted last", s.Name, s.Atomics)
		}
	}
	trove, err := Build(testcorpus.Repo(t, "trove"), "trove", "database")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range trove.Skipped {
		found = found || strings.HasSuffix(s.Path, "/backups") && strings.Contains(s.Reason, `"instance" refers to a instance`)
	}
	for _, s := range trove.Scenarios {
		if strings.Contains(s.Name, "_backup") && strings.HasPrefix(s.Kind, "create") {
			t.Errorf("trove: %s creates a backup without an instance", s.Name)
		}
	}
	if !found {
		t.Errorf("trove: backups not skipped for want of an instance: %+v", trove.Skipped)
	}
}

// TestUsersUnlessAdmin: project-scoped widgets are created through the
// context user's session; the gadget (policy note: administrative role)
// and the mgmt path (documented admin-only) through the admin's (defect 4).
func TestUsersUnlessAdmin(t *testing.T) {
	f := acme(t)
	ok := [2]any{200, map[string]any{"widgets": []any{}, "gadget": map[string]any{"id": "g1"}}}
	res := exercise(t, f.py, []step{
		{Call: "_list_widgets", Answers: [][2]any{ok}},
		{Call: "_create_gadget", Answers: [][2]any{ok}},
		{Call: "_list_mgmt_widgets", Answers: [][2]any{ok}},
	})
	for i, want := range []string{"user", "admin", "admin"} {
		if len(res[i].Requests) != 1 || res[i].Requests[0].Session != want {
			t.Errorf("step %d: %+v, want the %s session", i, res[i], want)
		}
	}
	if !strings.Contains(f.src, "class ListWidgets") ||
		!regexp.MustCompile(`users=True\)\n@scenario.configure\(\n    name="Acme.list_widgets"`).MatchString(f.src) {
		t.Error("Acme.list_widgets does not require users only")
	}
}

// TestCleanupRegistered: what the scenarios create is registered with
// rally_openstack.task.cleanup (resource managers found by the cleanup
// contexts the scenarios declare), listing and deleting through the same
// session as the scenario (defect 5).
func TestCleanupRegistered(t *testing.T) {
	f := acme(t)
	if !strings.Contains(f.src, `"cleanup@openstack": ["acme.widgets"]`) ||
		!strings.Contains(f.src, `"admin_cleanup@openstack": ["acme.gadgets"]`) {
		t.Error("scenarios do not declare the cleanup contexts")
	}
	res := exercise(t, f.py, []step{
		{On: "registry", Call: "-", Args: map[string]any{"names": []string{"acme.widgets", "acme.gadgets"}, "admin": false}},
		{On: "registry", Call: "-", Args: map[string]any{"names": []string{"acme.widgets", "acme.gadgets"}, "admin": true}},
		{On: "cleanup:WidgetsCleanup", Call: "list", Answers: [][2]any{{200, map[string]any{"widgets": []any{map[string]any{"id": "w9", "name": "s_rally_a_b"}}}}}},
		{On: "cleanup:GadgetsCleanup", Call: "delete", Resource: map[string]any{"id": "g7", "name": "s_rally_c_d"}, Answers: [][2]any{{204, nil}}},
	})
	if r, _ := json.Marshal(res[0].Result); string(r) != `["acme.widgets"]` {
		t.Errorf("user cleanup managers: %s", r)
	}
	if r, _ := json.Marshal(res[1].Result); string(r) != `["acme.gadgets"]` {
		t.Errorf("admin cleanup managers: %s", r)
	}
	if r := res[2]; len(r.Requests) != 1 || r.Requests[0].Session != "user" || r.Requests[0].URL != "http://api.example/v2/project-of-user/widgets" {
		t.Errorf("widget cleanup list: %+v", r)
	}
	if r := res[3]; len(r.Requests) != 1 || r.Requests[0].Session != "admin" || r.Requests[0].Method != "DELETE" ||
		r.Requests[0].URL != "http://api.example/v1/gadgets/g7" {
		t.Errorf("gadget cleanup delete: %+v", r)
	}
}

// TestNamesReadable: atomic actions are named after the project (as
// rally-openstack's nova., octavia.), not the service type; collections
// sharing a last segment are told apart by their path, never a number
// (defect 6).
func TestNamesReadable(t *testing.T) {
	f := acme(t)
	var names []string
	for _, s := range f.plan.Scenarios {
		names = append(names, s.Name)
		for _, a := range s.Atomics {
			if !strings.HasPrefix(a, "acme.") {
				t.Errorf("%s: atomic %q is not named after the project", s.Name, a)
			}
		}
	}
	if !slices.Contains(names, "Acme.list_widgets") || !slices.Contains(names, "Acme.list_mgmt_widgets") {
		t.Errorf("scenarios %v", names)
	}
	numbered := regexp.MustCompile(`[a-z][0-9]+$`)
	for _, repo := range []string{"tacker", "trove"} {
		p, err := Build(testcorpus.Repo(t, repo), repo, "x")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.Scenarios {
			if numbered.MatchString(s.Name) {
				t.Errorf("%s: numbered scenario name %s", repo, s.Name)
			}
		}
	}
}

// TestVersionHeaders: the microversion the reference documents for an
// operation ("New in version 2.3", OpenStack-API-Version required) goes
// with it, and a required version header with a documented value (ETSI's
// Version) is sent (defect 7).
func TestVersionHeaders(t *testing.T) {
	f := acme(t)
	res := exercise(t, f.py, []step{
		{Call: "_create_widget", Args: map[string]any{"gadget_id": "g"}, Answers: [][2]any{{202, map[string]any{"widget": map[string]any{"id": "w1"}}}, widget("ACTIVE", nil)}},
		{Call: "_send_event", Answers: [][2]any{{204, nil}}},
	})
	if kw := sent(t, res[0]).Kwargs; kw["microversion"] != "2.3" || kw["microversion_service_type"] != "widget-service" {
		t.Errorf("create widget: %v, want microversion 2.3", kw)
	}
	if h, _ := json.Marshal(sent(t, res[1]).Kwargs["headers"]); string(h) != `{"Version":"1.3.0"}` {
		t.Errorf("send event headers %s", h)
	}
}

// TestActionEndpoints: an event endpoint (POST answered 204, nothing to
// list or delete) and an action on a widget become scenarios; a reference
// whose only operation is the event still gets a plugin; exit 2 stays for
// a reference without any operation (defect 8).
func TestActionEndpoints(t *testing.T) {
	f := acme(t)
	var names []string
	for _, s := range f.plan.Scenarios {
		names = append(names, s.Name)
	}
	for _, want := range []string{"Acme.send_event", "Acme.create_and_reboot_widget"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s in %v", want, names)
		}
	}
	only := copyTree(t, "acme", func(rel string) bool {
		return !strings.HasSuffix(rel, "widgets.inc") && !strings.HasSuffix(rel, "gadgets.inc")
	})
	p, err := Build(only, "acme-api", "widget-service")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Files(); err != nil || len(p.Scenarios) != 1 {
		t.Errorf("events only: %v, %d scenarios", err, len(p.Scenarios))
	}
	none := copyTree(t, "acme", func(rel string) bool { return !strings.HasSuffix(rel, ".inc") })
	p, err = Build(none, "acme-api", "widget-service")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Files(); err == nil || !strings.Contains(err.Error(), "no operation") {
		t.Errorf("no operation documented: %v", err)
	}
}

// TestAcmeLoadsInRally: the fixture's plugin is flake8-clean, the real
// Rally loads it and accepts its task.
func TestAcmeLoadsInRally(t *testing.T) {
	testcorpus.Long(t)
	f := acme(t)
	if out, err := exec.Command("flake8", f.py).CombinedOutput(); err != nil {
		t.Errorf("flake8: %v\n%s", err, out)
	}
	verdict, err := rallyoracle.Validate([]rallyoracle.Item{{Name: "acme", Task: f.task,
		Plugins: []string{filepath.Dir(f.py)}}})
	if err != nil {
		t.Fatal(err)
	}
	if v := verdict["acme"]; v != nil {
		t.Errorf("Rally rejects the task: %s", *v)
	}
}
