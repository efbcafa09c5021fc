package setupcfg

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func TestCorpusEntryPoints(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testcorpus.Repo(t, "aodh"), "setup.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "aodh" {
		t.Errorf("name %q", f.Name)
	}
	found := false
	for _, n := range f.EntryPoints["console_scripts"] {
		found = found || n == "aodh-dbsync"
	}
	if !found || len(f.EntryPoints) < 3 {
		t.Errorf("entry points: %v", f.EntryPoints)
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"nova", "neutron", "aodh", "venus", "python-novaclient"} {
		b, err := os.ReadFile(filepath.Join(testcorpus.Repo(f, n), "setup.cfg"))
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("[entry_points]\nconsole_scripts =\n  a = b\n\tc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Parse(b)
	})
}

// TestAgreesWithConfigparser: on every corpus setup.cfg the groups and
// entry names are the ones Python's configparser (what setuptools and pbr
// read the file with) finds. heat's setup.cfg continues heat.constraints
// after a comment line; a reader that ends values there invents groups.
func TestAgreesWithConfigparser(t *testing.T) {
	testcorpus.Long(t)
	var paths []string
	for _, n := range testcorpus.Repos(t) {
		p := filepath.Join(testcorpus.Repo(t, n), "setup.cfg")
		if _, err := os.Stat(p); err == nil {
			paths = append(paths, p)
		}
	}
	if len(paths) < 30 {
		t.Fatalf("only %d corpus setup.cfg files", len(paths))
	}
	const script = `
import configparser, json, sys
out = {}
for p in json.load(sys.stdin):
    c = configparser.ConfigParser()
    c.optionxform = str
    c.read(p)
    eps = {}
    if c.has_section("entry_points"):
        for k in c.options("entry_points"):
            eps[k] = [l.split("=")[0].strip() for l in c.get("entry_points", k).split("\n")
                      if l.strip() and "=" in l and l.index("=") > 0]
    out[p] = {"name": c.get("metadata", "name", fallback="").strip(),
              "summary": c.get("metadata", "summary", fallback="").strip(), "eps": eps}
json.dump(out, sys.stdout)
`
	in, _ := json.Marshal(paths)
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 configparser: %v", err)
	}
	var want map[string]struct {
		Name    string              `json:"name"`
		Summary string              `json:"summary"`
		EPs     map[string][]string `json:"eps"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(b)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		w := want[p]
		if got.Name != w.Name || (w.Summary != "" && got.Summary != w.Summary) {
			t.Errorf("%s: name %q summary %q, configparser %q %q", p, got.Name, got.Summary, w.Name, w.Summary)
		}
		if !reflect.DeepEqual(normalize(got.EntryPoints), normalize(w.EPs)) {
			t.Errorf("%s: entry points\n got %v\nwant %v", p, got.EntryPoints, w.EPs)
		}
	}
}

func normalize(m map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range m {
		s := append([]string{}, v...)
		sort.Strings(s)
		out[k] = s
	}
	return out
}

// Taken from openstack/glance_store setup.cfg at 5e561642d138: the legacy
// driver names follow a blank line and a comment inside glance_store.drivers.
func TestContinuationAfterComment(t *testing.T) {
	f, err := Parse([]byte(`[metadata]
name = glance_store
summary = OpenStack Image Service Store Library

[entry_points]
glance_store.drivers =
    file = glance_store._drivers.filesystem:Store

    # TESTS ONLY
    no_conf = glance_store.tests.fakes:UnconfigurableStore

    # Backwards compatibility
    glance.store.filesystem.Store = glance_store._drivers.filesystem:Store

oslo.config.opts =
    glance.store = glance_store.backend:_list_opts
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"glance_store.drivers": {"file", "no_conf", "glance.store.filesystem.Store"},
		"oslo.config.opts":     {"glance.store"},
	}
	if !reflect.DeepEqual(f.EntryPoints, want) {
		t.Errorf("entry points %v, want %v", f.EntryPoints, want)
	}
	if _, err := Parse([]byte("name = x\n[metadata]\n")); err == nil {
		t.Error("a key before any section header is accepted; configparser refuses it")
	}
}
