// Package catalog is the Rally plugin catalog: every scenario, context,
// runner, SLA and hook plugin that Rally and rally-openstack provide, with
// parameters, validators, atomic action names and JSON Schemas, plus the
// real rally-task-* Zuul jobs of rally-openstack. The data is generated (see
// gen/ beside this file) from the installed registry and from
// rally-openstack master, and embedded; nothing here is typed in by hand.
package catalog

import "encoding/json"

// Source names used in Plugin.Sources.
const (
	SourceInstalled = "installed" // Debian rally + python3-rally-openstack, by introspection
	SourceMaster    = "master"    // rally-openstack master, by static analysis of its source
)

// Catalog is the whole generated data set.
type Catalog struct {
	// Generated records where the data came from: versions and commits.
	Generated Provenance `json:"generated"`

	Scenarios    []Scenario `json:"scenarios"`
	Contexts     []Plugin   `json:"contexts"`
	Runners      []Plugin   `json:"runners"`
	SLAs         []Plugin   `json:"slas"`
	HookActions  []Plugin   `json:"hook_actions"`
	HookTriggers []Plugin   `json:"hook_triggers"`
	// ZuulJobs are the jobs defined in rally-openstack's .zuul.d/ at master.
	ZuulJobs []ZuulJob `json:"zuul_jobs"`
	// Clients are rally-openstack's OpenStack client plugins (osclients),
	// which the api_versions context names. A client the two sources
	// describe differently has one entry per source.
	Clients []Client `json:"clients"`
}

// Provenance says which inputs produced the catalog.
type Provenance struct {
	RallyVersion          string `json:"rally_version"`           // installed Rally, e.g. "3.3.0"
	RallyOpenStackVersion string `json:"rally_openstack_version"` // installed rally-openstack, e.g. "2.2.0"
	RallyOpenStackCommit  string `json:"rally_openstack_commit"`  // master commit statically analysed
	Generator             string `json:"generator"`               // script that wrote the file
}

// Plugin is the part every plugin kind shares.
type Plugin struct {
	Name     string `json:"name"`
	Platform string `json:"platform"` // "openstack", "default", ...
	Doc      string `json:"doc"`      // first line of the docstring
	Hidden   bool   `json:"hidden,omitempty"`
	// Schema is the plugin's CONFIG_SCHEMA as JSON Schema (nil when the
	// plugin declares none).
	Schema json.RawMessage `json:"schema,omitempty"`
	// Sources lists SourceInstalled and/or SourceMaster.
	Sources []string `json:"sources"`
	// Module is the Python module that defines the plugin.
	Module string `json:"module,omitempty"`
}

// Scenario is a scenario plugin.
type Scenario struct {
	Plugin
	Group  string  `json:"group"` // the part before the dot: "NovaServers"
	Params []Param `json:"params"`
	// Kwargs is true when run() takes **kwargs: any extra argument is accepted.
	Kwargs bool `json:"kwargs"`
	// Validators as declared with @validation.add(...), in order.
	Validators []Validator `json:"validators"`
	// RequiredServices are the service types from required_services
	// validators ("compute", "image", ...); RequiredContexts from
	// required_contexts / required_context_config.
	RequiredServices []string `json:"required_services"`
	RequiredContexts []string `json:"required_contexts"`
	// DefaultContext is @scenario.configure(context=...).
	DefaultContext Object `json:"default_context,omitempty"`
	// Atomics are the atomic action names the scenario records on the
	// current API versions (identity v3, volume v3, image v2): every
	// nesting level, parents before their children, in call order, without
	// duplicates, with run()'s default arguments. Names that depend on a
	// runtime condition (an early return, a cache hit) are included: the
	// list is what the scenario may record; AlwaysAtomics is what every
	// run records.
	Atomics []string `json:"atomics"`
	// AtomicsByVersion holds the names per resolved service API version
	// where they differ, keyed "identity:2", "volume:2", "image:1", ...
	AtomicsByVersion VersionAtomics `json:"atomics_by_version,omitempty"`
	// AtomicsMaster are the names rally-openstack master records (current
	// API versions) when they differ from Atomics, which describe the
	// installed release when it has the scenario. Master's keystone layer,
	// for one, wraps keystone_v3.create_user in keystone.create_user.
	AtomicsMaster []string `json:"atomics_master,omitempty"`
	// AtomicTree is the tree of atomic actions the scenario may record on
	// the current API versions, as Rally records them: an action timed
	// while another is open is its child. Unlike Atomics it takes every
	// branch a task argument can choose (do_delete, router_create_args),
	// so it is what any task of the scenario may record. Rally's
	// max_avg_duration_per_atomic only sees the top level.
	AtomicTree []AtomicNode `json:"atomic_tree"`
	// AtomicTreeByVersion is the tree on other API versions where it
	// differs ("identity:2", "image:1", ...).
	AtomicTreeByVersion []VersionTree `json:"atomic_tree_by_version,omitempty"`
	// AtomicTreeMaster is master's tree when it differs from AtomicTree.
	AtomicTreeMaster []AtomicNode `json:"atomic_tree_master,omitempty"`
	// MasterDiffers holds, for a scenario both sources have, master's value
	// of each compared field (params, kwargs, default_context, validators,
	// required_services) that differs from the installed release.
	MasterDiffers RawObject `json:"master_differs,omitempty"`
	// ServiceType is the service the scenario mainly targets (from its
	// module path and validators); "" for generic scenarios such as Dummy.
	ServiceType string `json:"service_type,omitempty"`
}

// Param is one argument of a scenario's run().
type Param struct {
	Name     string          `json:"name"`
	Required bool            `json:"required"`
	Default  json.RawMessage `json:"default,omitempty"` // JSON of the Python default; absent when required
	Doc      string          `json:"doc,omitempty"`
}

// Validator is one @validation.add(name, **kwargs) decoration.
type Validator struct {
	Name string `json:"name"`
	Args Object `json:"args,omitempty"`
}

// Client is one @configure(...)'d OpenStack client plugin: what Rally's
// check_api_versions validator asks of it.
type Client struct {
	Name               string   `json:"name"`
	Module             string   `json:"module"`
	DefaultVersion     string   `json:"default_version,omitempty"`
	DefaultServiceType string   `json:"default_service_type,omitempty"` // "": a service type cannot be set
	SupportedVersions  []string `json:"supported_versions,omitempty"`
	// VersionCheck says how validate_version decides: VersionSupported
	// (str(version) must be one of SupportedVersions), VersionFloat
	// (str(float(version)) must be), VersionMicro (the python-*client
	// library's get_api_version: "MAJOR.MINOR" or "MAJOR.latest" with a
	// major in Majors, at most MaxVersion), or VersionUnknown.
	VersionCheck string `json:"version_check"`
	Library      string `json:"library,omitempty"`
	// Majors are the major versions the library accepts (nil: any).
	Majors []string `json:"majors,omitempty"`
	// IntLike: the library reads "2" as "2.0".
	IntLike             bool     `json:"int_like,omitempty"`
	MaxVersion          string   `json:"max_version,omitempty"`
	ReplacementVersions Object   `json:"replacement_versions,omitempty"`
	Sources             []string `json:"sources"`
}

// Client.VersionCheck values.
const (
	VersionSupported = "supported"
	VersionFloat     = "float"
	VersionMicro     = "microversion"
	VersionUnknown   = "unknown"
)

// ZuulJob is a job of rally-openstack's Zuul configuration.
type ZuulJob struct {
	Name      string `json:"name"`
	Parent    string `json:"parent,omitempty"`
	RallyTask string `json:"rally_task,omitempty"`
	Abstract  bool   `json:"abstract,omitempty"`
	File      string `json:"file"`
	Vars      Object `json:"vars,omitempty"`
	// Pipelines are the pipelines of rally-openstack's own project that
	// run the job; none for a job rally-openstack defines but never runs.
	Pipelines []JobPipeline `json:"pipelines,omitempty"`
	// TaskArgs are, per scenario of the task the job runs (rendered with
	// its Jinja2 defaults), the scalar arguments of its first workload:
	// how rally-openstack itself runs the scenario on that job's cloud.
	TaskArgs Object `json:"task_args,omitempty"`
}

// JobPipeline is one pipeline a job is listed in.
type JobPipeline struct {
	Name   string `json:"name"`
	Voting bool   `json:"voting"`
}

// AtomicNode is one atomic action of a scenario's tree.
type AtomicNode struct {
	Name string `json:"name"`
	// Pattern is set when task arguments shape the name: Name is the one
	// recorded with run()'s defaults, Pattern a glob of every name
	// ("zaqar.post_between_*_and_*_messages").
	Pattern string `json:"pattern,omitempty"`
	// Timeout is the default, in seconds, of the rally-openstack option
	// that bounds a poll inside the action (wait_for_status(...,
	// timeout=CONF.openstack.octavia_create_loadbalancer_timeout)): the
	// action fails rather than take longer. 0 when it polls nothing.
	Timeout float64 `json:"timeout,omitempty"`
	// Conditional is set when the action is timed only under a condition
	// run()'s code decides at run time, from its arguments, a context or
	// what the cloud answers (create_subnet adds a router interface only
	// when given a router; delete_port detaches a router's port instead
	// of deleting it): a task may well never record it. Its children
	// inherit the condition.
	Conditional bool         `json:"conditional,omitempty"`
	Children    []AtomicNode `json:"children"`
}

// VersionTree is the atomic action tree on one resolved API version.
type VersionTree struct {
	Version string       `json:"version"` // "identity:2", "volume:1", ...
	Tree    []AtomicNode `json:"tree"`
}
