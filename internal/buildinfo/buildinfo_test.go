package buildinfo

import (
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/servicetypes"
)

func TestVersionSources(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs.revision", Value: "083a87e90c9c1e2a0fd4a6d0d3bbf2b3c3a1e7f0"},
		{Key: "vcs.time", Value: "2026-12-03T10:00:00Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	for _, tc := range []struct {
		name, ld, mod, want string
		modified            bool
	}{
		{"ldflags win", "0.1.0.dev148+g083a87e90c9c", "v1.0.0", "0.1.0.dev148+g083a87e90c9c", false},
		{"go install module@version", "", "v1.2.3", "v1.2.3", false},
		{"go build in a checkout", "", "v0.0.0-20261203100000-083a87e90c9c+dirty", "v0.0.0-20261203100000-083a87e90c9c", true},
		{"go run", "", "(devel)", "devel", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := read(tc.ld, &debug.BuildInfo{Main: debug.Module{Version: tc.mod}, Settings: vcs})
			if in.Version != tc.want || in.Modified != tc.modified || in.Commit != vcs[0].Value {
				t.Errorf("read = %+v, want version %q modified %v commit %s", in, tc.want, tc.modified, vcs[0].Value)
			}
		})
	}
	if in := read("", nil); in.Version != "devel" || in.Commit != "" {
		t.Errorf("no build information: %+v", in)
	}
}

// The --version text carries the provenance of the embedded data, so a
// user can tell which Rally's verdicts lint reproduces.
func TestVersionNamesTheKnowledge(t *testing.T) {
	in := withKnowledge(read("9.9.9", nil))
	c := catalog.MustLoad()
	if in.Catalog.RallyVersion != c.Generated.RallyVersion || in.Catalog.RallyOpenStackVersion != c.Generated.RallyOpenStackVersion ||
		in.Catalog.RallyOpenStackCommit != c.Generated.RallyOpenStackCommit {
		t.Errorf("catalog provenance %+v, catalog says %+v", in.Catalog, c.Generated)
	}
	hex := regexp.MustCompile(`^[0-9a-f]{40}$`)
	if !hex.MatchString(in.Catalog.RallyOpenStackCommit) || !hex.MatchString(in.ServiceType) || in.ServiceType != servicetypes.Commit() {
		t.Errorf("commits: rally-openstack %q, service-types-authority %q", in.Catalog.RallyOpenStackCommit, in.ServiceType)
	}
	s := in.String()
	first, _, _ := strings.Cut(s, "\n")
	if first != "rallyforge 9.9.9" {
		t.Errorf("first line %q, want the version alone", first)
	}
	for _, want := range []string{"Rally " + c.Generated.RallyVersion, "rally-openstack " + c.Generated.RallyOpenStackVersion,
		c.Generated.RallyOpenStackCommit[:12], in.ServiceType[:12]} {
		if !strings.Contains(s, want) {
			t.Errorf("--version text lacks %q:\n%s", want, s)
		}
	}
}
