// Package buildinfo says which rallyforge this is and which knowledge it
// carries: the build's version (set by `make build`/`make dist`, or read
// from the module information `go install` and `go build` record) and the
// provenance of the embedded Rally catalog and service-types data. A user
// comparing lint verdicts with their own Rally needs both.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/servicetypes"
)

// version is set with -ldflags "-X github.com/rallyforge/rallyforge/internal/buildinfo.version=…"
// by the Makefile; empty means "ask the module information".
var version string

// Info is what --version prints, also as JSON.
type Info struct {
	Version     string `json:"version"`
	Commit      string `json:"commit,omitempty"`
	CommitTime  string `json:"commit_time,omitempty"`
	Modified    bool   `json:"modified,omitempty"`
	GoVersion   string `json:"go_version"`
	Platform    string `json:"platform"`
	Catalog     Source `json:"catalog"`
	ServiceType string `json:"service_types_authority_commit"`
}

// Source is the provenance of the embedded Rally plugin catalog.
type Source struct {
	RallyVersion          string `json:"rally_version"`
	RallyOpenStackVersion string `json:"rally_openstack_version"`
	RallyOpenStackCommit  string `json:"rally_openstack_commit"`
}

// Read gathers the build and knowledge information.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return withKnowledge(read(version, bi))
}

func read(ldVersion string, bi *debug.BuildInfo) Info {
	in := Info{
		Version:   ldVersion,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
	if bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				in.Commit = s.Value
			case "vcs.time":
				in.CommitTime = s.Value
			case "vcs.modified":
				in.Modified = s.Value == "true"
			}
		}
		// `go install module@version` records the module version; a build
		// in a checkout records a pseudo-version from the commit (Go 1.24+),
		// and `go run` records "(devel)".
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = strings.TrimSuffix(bi.Main.Version, "+dirty")
			if strings.HasSuffix(bi.Main.Version, "+dirty") {
				in.Modified = true
			}
		}
	}
	if in.Version == "" {
		in.Version = "devel"
	}
	return in
}

// withKnowledge adds the provenance of the embedded data.
func withKnowledge(in Info) Info {
	if c, err := catalog.Load(); err == nil {
		in.Catalog = Source{
			RallyVersion:          c.Generated.RallyVersion,
			RallyOpenStackVersion: c.Generated.RallyOpenStackVersion,
			RallyOpenStackCommit:  c.Generated.RallyOpenStackCommit,
		}
	}
	in.ServiceType = servicetypes.Commit()
	return in
}

// String is the text of `rallyforge --version`: the first line is the
// version alone, so scripts can keep reading `--version | head -1`.
func (in Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rallyforge %s\n", in.Version)
	if in.Commit != "" {
		dirty := ""
		if in.Modified {
			dirty = ", modified"
		}
		fmt.Fprintf(&b, "  commit:         %s%s%s\n", in.Commit, when(in.CommitTime), dirty)
	}
	fmt.Fprintf(&b, "  built with:     %s %s\n", in.GoVersion, in.Platform)
	fmt.Fprintf(&b, "  rally catalog:  Rally %s, rally-openstack %s (installed view); rally-openstack master %s\n",
		orUnknown(in.Catalog.RallyVersion), orUnknown(in.Catalog.RallyOpenStackVersion), short(in.Catalog.RallyOpenStackCommit))
	fmt.Fprintf(&b, "  service types:  service-types-authority %s\n", short(in.ServiceType))
	return b.String()
}

func when(t string) string {
	if t == "" {
		return ""
	}
	return " (" + t + ")"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return orUnknown(commit)
}

// Version is the build's version alone, without reading the embedded data
// (SARIF output and the first line of --version use it).
func Version() string {
	if version != "" {
		return version
	}
	bi, _ := debug.ReadBuildInfo()
	return read("", bi).Version
}
