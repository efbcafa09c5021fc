package apiref

import (
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// uncovered are the corpus services with an api-ref and no rally-openstack
// scenarios (the list).
var uncovered = []string{"trove", "placement", "masakari", "cyborg", "blazar", "tacker",
	"cloudkitty", "ironic-inspector", "zun", "freezer-api", "monasca-api"}

func TestLoadCorpus(t *testing.T) {
	for _, name := range uncovered {
		ref, err := Load(testcorpus.Repo(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range ref.Findings {
			if f.File == "" || f.Line <= 0 {
				t.Errorf("%s: finding without position: %+v", name, f)
			}
		}
		var rs []string
		for _, r := range ref.Resources() {
			rs = append(rs, r.Name)
		}
		t.Logf("%s: %d ops, %d findings, mv %q, resources %s", name, len(ref.Ops), len(ref.Findings), ref.Microversion, strings.Join(rs, ","))
	}
}
