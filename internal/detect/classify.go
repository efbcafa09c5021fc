package detect

import (
	"path/filepath"
	"regexp"
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
var pluginHostGroups = []string{"rally_plugins", "tempest.test_plugins", "openstack.cli.extension"}

var (
	reClientName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^python-[a-z0-9]+client$`) })
	reDashboard  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(dashboard|horizon)\b`) })
	reClientDesc = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(client library|sdk|client for|command-line client|cli client)\b`)
	})
	reLibDesc  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(library|shared routines|utilities|api$)\b`) })
	reToolDesc = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(ansible|deploy(ment)?|integration testing|test framework|testing)\b`)
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
	// 2. A dashboard: Horizon plugins and web UIs say so up front.
	if strings.HasSuffix(name, "-dashboard") || reDashboard().MatchString(desc) || reDashboard().MatchString(firstSentence(f.readme)) {
		r.Kind, r.Confidence = KindDashboard, 0.85
		at := descAt
		if !reDashboard().MatchString(desc) && f.readmeAt != "" {
			at = f.readmeAt
		}
		ev("dashboard", at, "describes itself as a dashboard / Horizon UI")
		return r
	}
	// 3. A plugin: it registers into another program's entry points.
	if g := hostGroup(groups); g != "" {
		r.Kind, r.Confidence = KindPlugin, 0.9
		ev("plugin_entry_point", metaFile(f), "entry points into "+g)
		return r
	}
	// 4. A client: python-*client or a self-described SDK/client library.
	if reClientName().MatchString(name) || reClientDesc().MatchString(desc) {
		r.Kind, r.Confidence = KindClient, 0.9
		ev("client", metaFile(f), "client package name or description")
		return r
	}
	// 5. A service not in the authority: it runs an API (WSGI scripts, a
	// paste pipeline, a devstack service registration).
	if len(f.devSvc) > 0 {
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
	// 6. Tooling: deployment and test tooling, or shell/ansible without a
	// Python package.
	hasPy := f.cfg != nil || f.py != nil
	if reToolDesc().MatchString(desc) || (!hasPy && (has(f.top, "stack.sh") || has(f.top, "playbooks") || has(f.top, "roles"))) {
		r.Kind, r.Confidence = KindTooling, 0.8
		ev("tooling", metaFile(f), "deployment or test tooling")
		return r
	}
	// 7. A library: an importable package with no daemon.
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

// hostGroup returns an entry-point group that plugs into another program.
func hostGroup(groups map[string][]string) string {
	keys := make([]string, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	for _, g := range keys {
		for _, h := range pluginHostGroups {
			if g == h {
				return g
			}
		}
		host, _, ok := strings.Cut(g, ".")
		if !ok {
			continue
		}
		if _, isService := servicetypes.ByProject(host); isService {
			return g
		}
	}
	return ""
}

func hasServiceCmd(cmds []string) bool {
	for _, c := range cmds {
		if reServiceCmd().MatchString(c) {
			return true
		}
	}
	return false
}

// isRetirementStub: a retired OpenStack repository keeps only a README
// (explaining the retirement) and .gitreview.
func isRetirementStub(f *facts) bool {
	if len(f.top) == 0 {
		return false
	}
	readme := false
	for _, t := range f.top {
		switch {
		case t == ".git" || t == ".gitreview":
		case readmeName().MatchString(t):
			readme = true
		default:
			return false
		}
	}
	return readme
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
