package catalog

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"
)

// TestInstalledHalfMatchesRally runs the introspection generator against the
// installed Rally and checks that every plugin it reports is in the embedded
// catalog with the same description. Rally missing is a failure, not a skip:
// CI installs it (scripts/install-deps.sh).
func TestInstalledHalfMatchesRally(t *testing.T) {
	cmd := exec.Command("/usr/bin/python3", "gen/introspect.py")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("introspect.py failed (is Debian rally + python3-rally-openstack installed?): %v\n%s", err, stderr.String())
	}
	var live struct {
		RallyVersion          string           `json:"rally_version"`
		RallyOpenStackVersion string           `json:"rally_openstack_version"`
		Scenarios             []map[string]any `json:"scenarios"`
		Contexts              []map[string]any `json:"contexts"`
		Runners               []map[string]any `json:"runners"`
		SLAs                  []map[string]any `json:"slas"`
		HookActions           []map[string]any `json:"hook_actions"`
		HookTriggers          []map[string]any `json:"hook_triggers"`
	}
	if err := json.Unmarshal(out, &live); err != nil {
		t.Fatal(err)
	}
	c := MustLoad()
	if c.Generated.RallyVersion != live.RallyVersion || c.Generated.RallyOpenStackVersion != live.RallyOpenStackVersion {
		t.Errorf("catalog generated from rally %s / rally-openstack %s, installed %s / %s: regenerate with internal/catalog/gen/generate.sh",
			c.Generated.RallyVersion, c.Generated.RallyOpenStackVersion, live.RallyVersion, live.RallyOpenStackVersion)
	}
	if len(live.Scenarios) < 300 {
		t.Fatalf("installed Rally lists only %d scenarios", len(live.Scenarios))
	}
	// Re-encode the catalog's view of each plugin and compare field by field
	// with what the live registry says.
	cat := map[string]map[string]any{}
	add := func(kind string, v any) {
		b, _ := json.Marshal(v)
		var l []map[string]any
		_ = json.Unmarshal(b, &l)
		for _, p := range l {
			srcs, _ := p["sources"].([]any)
			for _, s := range srcs {
				if s == SourceInstalled {
					cat[kind+"/"+p["name"].(string)+"@"+p["platform"].(string)] = p
				}
			}
		}
	}
	add("scenario", c.Scenarios)
	add("context", c.Contexts)
	add("runner", c.Runners)
	add("sla", c.SLAs)
	add("hook_action", c.HookActions)
	add("hook_trigger", c.HookTriggers)
	n := 0
	check := func(kind string, l []map[string]any, fields ...string) {
		for _, p := range l {
			key := kind + "/" + p["name"].(string) + "@" + p["platform"].(string)
			got, ok := cat[key]
			n++
			if !ok {
				t.Errorf("%s: in the installed registry, missing from the catalog", key)
				continue
			}
			delete(cat, key)
			for _, f := range fields {
				if !reflect.DeepEqual(norm(got[f]), norm(p[f])) {
					t.Errorf("%s: %s differs: catalog %v, installed %v", key, f, got[f], p[f])
				}
			}
		}
	}
	common := []string{"doc", "hidden", "schema", "module"}
	check("scenario", live.Scenarios, append(common, "params", "kwargs", "validators", "required_services", "required_contexts", "default_context", "service_type", "group")...)
	check("context", live.Contexts, common...)
	check("runner", live.Runners, common...)
	check("sla", live.SLAs, common...)
	check("hook_action", live.HookActions, common...)
	check("hook_trigger", live.HookTriggers, common...)
	for k := range cat {
		t.Errorf("%s: catalog says installed, the registry does not have it", k)
	}
	t.Logf("compared %d installed plugins", n)
}

// norm treats absent, null, false, "" and empty collections alike, since the
// catalog's omitempty drops them.
func norm(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case bool:
		if !x {
			return nil
		}
	case string:
		if x == "" {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

func TestLookups(t *testing.T) {
	c := MustLoad()
	s, ok := c.Scenario("NovaServers.boot_server")
	if !ok || s.ServiceType != "compute" || len(s.Params) == 0 || !s.Kwargs {
		t.Fatalf("NovaServers.boot_server: %+v", s)
	}
	if _, ok := c.Context("users@openstack"); !ok {
		t.Error("users context missing")
	}
	for _, r := range []string{"constant", "constant_for_duration", "rps", "serial"} {
		if _, ok := c.Runner(r); !ok {
			t.Errorf("runner %s missing", r)
		}
	}
	if q, ok := c.Context("quotas"); !ok || len(q.Schema) == 0 {
		t.Error("quotas context or its schema missing")
	}
}

// TestGoDataMatchesJSON: the catalog compiled into the binary
// (catalog_data.go) is exactly catalog.json, the generator's output.
func TestGoDataMatchesJSON(t *testing.T) {
	var want Catalog
	if err := json.Unmarshal(catalogJSON, &want); err != nil {
		t.Fatal(err)
	}
	Sort(&want)
	got := MustLoad()
	if !reflect.DeepEqual(got, &want) {
		t.Fatal("catalog_data.go differs from catalog.json: run rm -f internal/catalog/catalog_data.go && go run ./internal/catalog/gen/godata")
	}
	if !reflect.DeepEqual(Master(), BuildMaster(&want)) {
		t.Fatal("the generated master view differs from BuildMaster(catalog.json): regenerate catalog_data.go")
	}
	if Installed() != installedData || !reflect.DeepEqual(Installed(), want.Only(SourceInstalled)) {
		t.Fatal("the generated installed view differs from Only(SourceInstalled) of catalog.json: regenerate catalog_data.go")
	}
}

// BenchmarkDecodeJSON is what loading cost before the catalog became Go
// data (for the record; Load is now free).
func BenchmarkDecodeJSON(b *testing.B) {
	for b.Loop() {
		c := &Catalog{}
		if err := json.Unmarshal(catalogJSON, c); err != nil {
			b.Fatal(err)
		}
		Sort(c)
	}
}

// TestInstalledClientsMatchRally re-reads the installed rally-openstack's
// client plugins (gen/clients.py --tree, probing the installed python-*client
// libraries) and checks the catalog's installed entries equal them.
func TestInstalledClientsMatchRally(t *testing.T) {
	tree, err := exec.Command("/usr/bin/python3", "-c", "import os, rally_openstack; print(os.path.dirname(os.path.dirname(rally_openstack.__file__)))").Output()
	if err != nil {
		t.Fatalf("rally_openstack not importable by /usr/bin/python3 (apt-get install -y python3-rally-openstack): %v", err)
	}
	cmd := exec.Command("/usr/bin/python3", "gen/clients.py", "--tree", string(bytes.TrimSpace(tree)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("clients.py: %v\n%s", err, stderr.String())
	}
	var live []Client
	if err := json.Unmarshal(out, &live); err != nil {
		t.Fatal(err)
	}
	got := MustLoad().ClientsOf(SourceInstalled)
	for i := range got {
		got[i].Sources = nil
	}
	if len(live) < 15 {
		t.Fatalf("installed rally-openstack lists only %d clients", len(live))
	}
	if !reflect.DeepEqual(got, live) {
		t.Errorf("catalog's installed clients differ from the live ones: regenerate with gen/generate.sh\n got: %+v\nlive: %+v", got, live)
	}
}
