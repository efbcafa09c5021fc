package setupcfg

import (
	"os"
	"path/filepath"
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
