package plugingen

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// fleet is a small reference whose hosts must be named after an existing
// object of another service ("Host name should be equal to cinder-volume
// host name from cinder service list", as masakari documents its hosts
// against nova's), and whose racks name one of a service Rally has no
// client for.
func fleet(t *testing.T) fixture {
	t.Helper()
	return buildFixture(t, "fleet", "fleet", "fleet")
}

// TestNameOfExistingObject: a field the reference says must equal an
// object of another service (a host name from that service's service
// list) is not a random name: the scenario takes it from that service's
// listing through Rally's client for it (admin), requires the service,
// and runs one iteration at a time (the cloud may have one such host,
// and two live hosts cannot both carry its name). A service Rally has
// no client for leaves the resource out, with the reason.
func TestNameOfExistingObject(t *testing.T) {
	f := fleet(t)
	for _, want := range []string{
		`self.admin_clients("cinder").services.list()`,
		`"binary", None) == "cinder-volume"`,
		`"name": cinder_volume_host,`,
		"def _create_host(self, pool_id, cinder_volume_host):",
	} {
		if !strings.Contains(f.src, want) {
			t.Errorf("plugin lacks %q", want)
		}
	}
	if !regexp.MustCompile(`@validation.add\("required_services", services=\["cinder"\]\)\n(@validation.add\([^\n]*\n)*@scenario.configure\(\n    name="Fleet.create_and_delete_host"`).MatchString(f.src) {
		t.Error("Fleet.create_and_delete_host does not require cinder")
	}
	for _, s := range f.plan.Scenarios {
		if s.Resource == "host" && strings.HasPrefix(s.Kind, "create") && (!s.Admin || s.Concurrency != 1) {
			t.Errorf("%s: admin %v, concurrency %d; want the admin's client and one at a time", s.Name, s.Admin, s.Concurrency)
		}
		if s.Resource == "pool" && s.Concurrency != 0 {
			t.Errorf("%s: concurrency %d, want the task's", s.Name, s.Concurrency)
		}
	}
	task, err := os.ReadFile(f.task)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Fleet.create_and_delete_host: \{\}\n        runner:\n          constant:\n            times: 10\n            concurrency: 1\n`).Match(task) ||
		!regexp.MustCompile(`Fleet.create_and_delete_pool: \{\}\n        runner:\n          constant:\n            times: 10\n            concurrency: 2\n`).Match(task) {
		t.Errorf("task runners:\n%s", task)
	}
	skipped := false
	for _, s := range f.plan.Skipped {
		skipped = skipped || s.Resource == "rack" && strings.Contains(s.Reason, `"gizmo"`) && strings.Contains(s.Reason, "no client")
	}
	for _, s := range f.plan.Scenarios {
		if s.Resource == "rack" {
			t.Errorf("%s: the rack's name would be made up", s.Name)
		}
	}
	if !skipped {
		t.Errorf("racks not skipped with the reason: %+v", f.plan.Skipped)
	}
	res := exercise(t, f.py, []step{
		{Call: "_existing_cinder_volume_host", Answers: [][2]any{{200, []any{
			map[string]any{"host": "sched-1", "binary": "cinder-scheduler"},
			map[string]any{"host": "vol-b", "binary": "cinder-volume"},
			map[string]any{"host": "vol-a", "binary": "cinder-volume"},
		}}}},
		{Call: "_existing_cinder_volume_host", Answers: [][2]any{{200, []any{
			map[string]any{"host": "sched-1", "binary": "cinder-scheduler"}}}}},
		{Call: "_create_host", Args: map[string]any{"pool_id": "p1", "cinder_volume_host": "vol-a"},
			Answers: [][2]any{{201, map[string]any{"host": map[string]any{"id": "h1", "name": "vol-a"}}}}},
	})
	if r := res[0]; errText(r) != "" || r.Result != "vol-a" || len(r.Requests) != 1 ||
		r.Requests[0].Session != "admin" || r.Requests[0].URL != "cinder.services.list" || len(r.Requests[0].Kwargs) != 0 {
		t.Errorf("listing: %+v", r)
	}
	if e := errText(res[1]); !strings.Contains(e, "cinder-volume") {
		t.Errorf("no cinder-volume host: %q, want an error naming it", e)
	}
	if r := res[2]; errText(r) != "" || r.Result != "h1" {
		t.Errorf("create: %+v", r)
	} else if b, _ := sent(t, r).Kwargs["json"].(map[string]any); b == nil || b["host"].(map[string]any)["name"] != "vol-a" {
		t.Errorf("create body %v", sent(t, r).Kwargs["json"])
	}
}

// TestMasakariHostsFromNova: masakari's reference says a host's name must
// be a nova-compute host of nova's service list; its host scenarios take
// it from there.
func TestMasakariHostsFromNova(t *testing.T) {
	p, err := Build(testcorpus.Repo(t, "masakari"), "masakari", "instance-ha")
	if err != nil {
		t.Fatal(err)
	}
	r := p.resource("host")
	if r == nil || r.Create == nil || len(r.Existing) != 1 {
		t.Fatalf("host: %+v", r)
	}
	if e := r.Existing[0]; e.Client != "nova" || e.Binary != "nova-compute" || e.Attr != "host" || e.Collection != "services" {
		t.Errorf("host name from %+v", e)
	}
	var names []string
	for _, s := range p.Scenarios {
		names = append(names, s.Name)
	}
	if !slices.Contains(names, "Masakari.create_and_show_host") {
		t.Errorf("scenarios %v", names)
	}
}
