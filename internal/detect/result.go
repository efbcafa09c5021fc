// Package detect tells which OpenStack service (if any) a repository
// implements, from its structure alone, with the evidence for the verdict.
package detect

// Kinds of repository (DESIGN.md, detect contract).
const (
	KindService   = "service"
	KindClient    = "client"
	KindLibrary   = "library"
	KindPlugin    = "plugin"
	KindTooling   = "tooling"
	KindDashboard = "dashboard"
	KindUnknown   = "unknown"
)

// Result is one repository's verdict; its JSON form is the `detect
// --format json` contract.
type Result struct {
	Path           string     `json:"path"`
	Project        string     `json:"project"`
	Kind           string     `json:"kind"`
	ServiceType    *string    `json:"service_type"` // nil unless Kind is service
	Aliases        []string   `json:"aliases"`
	Retired        bool       `json:"retired"`
	Confidence     float64    `json:"confidence"`
	Evidence       []Evidence `json:"evidence"`
	APIRef         bool       `json:"api_ref"`
	ConsoleScripts []string   `json:"console_scripts"`
	Rally          RallyInfo  `json:"rally"`
	// Reason explains a kind of unknown (empty otherwise).
	Reason string `json:"reason,omitempty"`
}

// Evidence is one signal that contributed to the verdict.
type Evidence struct {
	Signal string `json:"signal"`
	Path   string `json:"path"`
	Detail string `json:"detail"`
}

// RallyInfo is what the repository already has of Rally.
type RallyInfo struct {
	TaskFiles      []string `json:"task_files"`
	ZuulJobs       []string `json:"zuul_jobs"`
	ScenarioGroups []string `json:"scenario_groups"`
}
