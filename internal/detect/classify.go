package detect

import (
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/servicetypes"
)

// pluginHostGroups are entry-point groups through which a package plugs
// into another program rather than running on its own. Groups named after
// an authority project ("neutron.service_plugins", "nova.scheduler...") are
// recognised by rule in hostGroup; these are the hosts that are not
// services themselves.
var pluginHostGroups = []string{"rally_plugins", "tempest.test_plugins"}

// oscExtension is the entry-point group of OpenStackClient plugins: the
// package is a client of its service (python-ironicclient's `baremetal`
// commands), not a plugin of a service.
const oscExtension = "openstack.cli.extension"

var (
	reClientName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^python-[a-z0-9]+client$`) })
	reDashboard  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(dashboard|horizon)\b`) })
	reClientDesc = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(client library|sdk|client for|command-line client|cli client)\b`)
	})
	reLibDesc = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(library|shared routines|utilities|api$)\b`) })
	// A driver or plugin names what it plugs into ("Docker libnetwork
	// driver for OpenStack Neutron"); the plural is left out, it describes
	// what a library or service supports ("to support provider drivers").
	reDescPlugin = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(driver|plugin|plug-in)\b`) })
	reToolDesc   = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(ansible|deploy(ing|ment)?|integration testing|test framework|testing|tool|tooling)\b`)
	})
	reServiceCmd = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`-(api|server|engine|conductor|scheduler|worker|manager)$`)
	})
)

func classify(dir string, f *facts) *Result {
	abs, _ := filepath.Abs(dir)
	r := &Result{
		Path:           dir,
		Kind:           KindUnknown,
		Aliases:        []string{},
		Evidence:       []Evidence{},
		ConsoleScripts: []string{},
		APIRef:         f.apiRef,
		Rally:          RallyInfo{TaskFiles: f.taskFiles, ZuulJobs: f.zuulJobs, ScenarioGroups: []string{}},
	}
	if r.Rally.TaskFiles == nil {
		r.Rally.TaskFiles = []string{}
	}
	if r.Rally.ZuulJobs == nil {
		r.Rally.ZuulJobs = []string{}
	}
	ev := func(signal, path, detail string) {
		r.Evidence = append(r.Evidence, Evidence{signal, path, detail})
	}
	r.Evidence = append(r.Evidence, f.problems...)

	// Project name: .gitreview is what Gerrit and Zuul know the repository
	// as; package metadata and the folder name are fallbacks.
	switch {
	case f.gitreview != "":
		r.Project = f.gitreview
		ev("gitreview", ".gitreview", "project "+f.gitreview)
	case f.cfg != nil && f.cfg.Name != "":
		r.Project = f.cfg.Name
		ev("setup.cfg", "setup.cfg", "[metadata] name "+f.cfg.Name)
	case f.py != nil && f.py.Name != "":
		r.Project = f.py.Name
		ev("pyproject", "pyproject.toml", "[project] name "+f.py.Name)
	default:
		r.Project = filepath.Base(abs)
		ev("folder", ".", "project name from the folder name")
	}

	// Entry points from both metadata files.
	groups := map[string][]string{}
	desc, descAt := "", ""
	if f.cfg != nil {
		for g, n := range f.cfg.EntryPoints {
			groups[g] = append(groups[g], n...)
		}
		desc, descAt = f.cfg.Summary, "setup.cfg"
	}
	if f.py != nil {
		for g, n := range f.py.EntryPoints {
			groups[g] = append(groups[g], n...)
		}
		groups["console_scripts"] = append(groups["console_scripts"], f.py.Scripts...)
		if desc == "" {
			desc, descAt = f.py.Description, "pyproject.toml"
		}
	}
	r.ConsoleScripts = uniqSorted(groups["console_scripts"])
	if len(r.ConsoleScripts) > 0 {
		ev("console_scripts", metaFile(f), strings.Join(r.ConsoleScripts, ", "))
	}
	if w := uniqSorted(groups["wsgi_scripts"]); len(w) > 0 {
		ev("wsgi_scripts", metaFile(f), strings.Join(w, ", "))
	}
	if desc != "" {
		ev("description", descAt, desc)
	}
	if f.apiRef {
		ev("api_ref", "api-ref/source", "REST API reference")
	}
	for _, p := range f.apiPaste {
		ev("api_paste", p, "paste pipeline of a WSGI API")
	}
	for _, s := range f.devSvc {
		ev("devstack_service", "devstack", "registers service "+s[0]+" of type "+s[1])
	}
	if len(f.taskFiles) > 0 {
		ev("rally_tasks", f.taskFiles[0], pluralize(len(f.taskFiles), "Rally task file"))
	}
	if len(f.zuulJobs) > 0 {
		ev("zuul_rally_jobs", f.zuulFiles[0], strings.Join(f.zuulJobs, ", "))
	}

	stub := isRetirementStub(f)
	if stub {
		r.Retired = true
		ev("retirement_stub", ".", "only README and .gitreview remain")
	}

	setService := func(svc *servicetypes.Service, conf float64) {
		r.Kind = KindService
		t := svc.Type
		r.ServiceType = &t
		if len(svc.Aliases) > 0 {
			r.Aliases = append([]string{}, svc.Aliases...)
		}
		if svc.Retired {
			r.Retired = true
		}
		r.Confidence = conf
	}

	// 1. The service-types authority names the project: a service.
	if svc, ok := lookupService(r.Project); ok {
		ev("service_types_authority", ".gitreview", "project "+svc.Project+" implements "+svc.Type)
		conf := 0.9
		if f.apiRef || len(groups["wsgi_scripts"]) > 0 || len(f.apiPaste) > 0 || hasServiceCmd(r.ConsoleScripts) {
			conf = 0.99
		}
		if stub {
			conf = 0.8
		}
		setService(svc, conf)
		r.Rally.ScenarioGroups = scenarioGroups(svc.Type)
		return r
	}
	if stub {
		r.Reason = "retirement stub: only README and .gitreview remain, and the project is not in the service-types authority"
		r.Confidence = 0.5
		return r
	}
	if f.files == 0 {
		r.Reason = "empty folder"
		return r
	}

	name := strings.ToLower(r.Project)
	hasPy := f.cfg != nil || f.py != nil
	// 2. Deployment tooling in a format of its own (a Juju charm, a Puppet
	// module, a Helm chart): it installs a service, whatever its metadata
	// or name says about the service it installs ("Charm module for
	// OpenStack Keystone", a charm for the dashboard).
	if what, at := deployFormat(f); what != "" {
		r.Kind, r.Confidence = KindTooling, 0.85
		ev("tooling", at, what)
		return r
	}
	// 3. A dashboard: Horizon plugins and web UIs say so up front.
	if strings.HasSuffix(name, "-dashboard") || reDashboard().MatchString(desc) || reDashboard().MatchString(firstSentence(f.readme)) {
		r.Kind, r.Confidence = KindDashboard, 0.85
		at := descAt
		if !reDashboard().MatchString(desc) && f.readmeAt != "" {
			at = f.readmeAt
		}
		ev("dashboard", at, "describes itself as a dashboard / Horizon UI")
		return r
	}
	// 4. A client: python-*client, a self-described SDK/client library, or
	// an OpenStackClient plugin. Before the plugin rule: a client that adds
	// its commands to the `openstack` CLI registers into
	// openstack.cli.extension, and is still the service's client.
	if reClientName().MatchString(name) || reClientDesc().MatchString(desc) || len(groups[oscExtension]) > 0 {
		r.Kind, r.Confidence = KindClient, 0.9
		ev("client", metaFile(f), "client package name, description or OpenStackClient plugin")
		return r
	}
	// 5. A plugin: it registers into another program's entry points, or
	// describes itself as a driver or plugin of something else.
	if g := hostGroup(groups, name); g != "" {
		r.Kind, r.Confidence = KindPlugin, 0.9
		ev("plugin_entry_point", metaFile(f), "entry points into "+g)
		return r
	}
	if reDescPlugin().MatchString(desc) {
		r.Kind, r.Confidence = KindPlugin, 0.75
		ev("plugin", descAt, "describes itself as a driver or plugin")
		return r
	}
	// 6. A service not in the authority: it runs an API (WSGI scripts, a
	// paste pipeline, a devstack service registration). A registration
	// counts only beside a Python package: a DevStack plugin alone
	// registers software implemented elsewhere (Ceph's RADOS Gateway as
	// object-store), it does not implement the service.
	if len(f.devSvc) > 0 && hasPy && len(f.pkgDirs) > 0 {
		if svc, ok := servicetypes.ByType(f.devSvc[0][1]); ok {
			setService(svc, 0.85)
			r.Aliases = []string{}
			r.Retired = false
			r.Rally.ScenarioGroups = scenarioGroups(svc.Type)
			return r
		}
		t := f.devSvc[0][1]
		r.Kind, r.ServiceType, r.Confidence = KindService, &t, 0.6
		return r
	}
	if len(groups["wsgi_scripts"]) > 0 || len(f.apiPaste) > 0 {
		r.Kind, r.Confidence = KindService, 0.6
		r.Reason = "runs an API but its service type is not in the service-types authority (use --service-type)"
		return r
	}
	// 7. Tooling: deployment and test tooling, or shell/ansible without an
	// importable Python package (setup.cfg may be there only to build the
	// docs).
	if reToolDesc().MatchString(desc) || (len(f.pkgDirs) == 0 && (f.topShell || has(f.top, "playbooks") || has(f.top, "roles"))) {
		r.Kind, r.Confidence = KindTooling, 0.8
		ev("tooling", metaFile(f), "deployment or test tooling")
		return r
	}
	if !hasPy && f.devstack {
		r.Kind, r.Confidence = KindTooling, 0.8
		ev("tooling", "devstack", "a DevStack plugin without a Python package")
		return r
	}
	// 8. A library: an importable package with no daemon.
	if hasPy && len(f.pkgDirs) > 0 {
		r.Kind, r.Confidence = KindLibrary, 0.7
		if strings.HasSuffix(name, "-lib") || strings.HasPrefix(name, "oslo.") || reLibDesc().MatchString(desc) {
			r.Confidence = 0.9
		}
		ev("library", metaFile(f), "Python package without an API service")
		if svc, ok := servicetypes.APIReferenceFor(r.Project); ok {
			ev("api_reference_project", "api-ref/source", "hosts the API reference of "+svc.Type)
		}
		return r
	}
	if !hasPy && len(f.top) > 0 {
		r.Kind, r.Confidence = KindTooling, 0.5
		ev("tooling", ".", "no Python package metadata")
		return r
	}
	r.Reason = "no signal identifies this repository"
	return r
}

// hostGroup returns an entry-point group that plugs into another program:
// a known host, a group named after an authority project, or the driver
// namespace of another package (an oslo.messaging notifier driver; a
// package's own "<pkg>.drivers" group is how it loads its own drivers).
func hostGroup(groups map[string][]string, project string) string {
	keys := make([]string, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	own := firstToken(project)
	driverNS := ""
	for _, g := range keys {
		if slices.Contains(pluginHostGroups, g) {
			return g
		}
		host, _, ok := strings.Cut(g, ".")
		if !ok {
			continue
		}
		if _, isService := servicetypes.ByProject(host); isService {
			return g
		}
		last := g[strings.LastIndexByte(g, '.')+1:]
		if driverNS == "" && (last == "drivers" || last == "backends") && firstToken(host) != own {
			driverNS = g
		}
	}
	return driverNS
}

// firstToken is the first word of a project or namespace name:
// "freezer-api" and "freezer.db.backends" both give "freezer".
func firstToken(s string) string {
	if i := strings.IndexAny(s, "-._"); i >= 0 {
		return strings.ToLower(s[:i])
	}
	return strings.ToLower(s)
}

func hasServiceCmd(cmds []string) bool {
	for _, c := range cmds {
		if reServiceCmd().MatchString(c) {
			return true
		}
	}
	return false
}

// deployFormat names the deployment-tool format the repository is written
// in, by the files each tool requires at the top, and the file that says so.
func deployFormat(f *facts) (what, at string) {
	switch {
	case has(f.top, "charmcraft.yaml"):
		return "a Juju charm (charmcraft.yaml)", "charmcraft.yaml"
	case has(f.top, "metadata.yaml") && has(f.top, "hooks"):
		return "a Juju charm (metadata.yaml and hooks/)", "metadata.yaml"
	case has(f.top, "manifests") && has(f.top, "metadata.json"):
		return "a Puppet module (manifests/ and metadata.json)", "metadata.json"
	case has(f.top, "Chart.yaml"):
		return "a Helm chart (Chart.yaml)", "Chart.yaml"
	}
	return "", ""
}

// isRetirementStub: a retired OpenStack repository keeps only a README
// (explaining the retirement) and .gitreview. Some also keep housekeeping
// files (.gitignore, LICENSE, a Zuul file with noop jobs); then the README
// must be the end-of-life notice.
func isRetirementStub(f *facts) bool {
	if len(f.top) == 0 {
		return false
	}
	readme, housekeeping := false, false
	for _, t := range f.top {
		switch {
		case t == ".git" || t == ".gitreview":
		case readmeName().MatchString(t):
			readme = true
		case t == ".gitignore" || t == ".zuul.yaml" || t == "zuul.yaml" || t == "COPYING" || strings.HasPrefix(t, "LICENSE"):
			housekeeping = true
		default:
			return false
		}
	}
	return readme && (!housekeeping || f.readmeEOL)
}

func metaFile(f *facts) string {
	if f.cfg != nil {
		return "setup.cfg"
	}
	if f.py != nil {
		return "pyproject.toml"
	}
	return "."
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i]
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func has(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func uniqSorted(l []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range l {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func pluralize(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
