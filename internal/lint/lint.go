// Package lint checks Rally task files offline the way Rally judges them
// (render, task schema, plugins and their configurations, the syntax-level
// validators) plus a few checks of its own. Each rule lives in its own
// rule_*.go file, as in actionlint; every finding has a position and a rule
// name.
package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/py/jinja"
	"github.com/rallyforge/rallyforge/internal/task"
	"go.yaml.in/yaml/v3"
)

// Severity of a finding: errors are what Rally rejects (or is certainly
// wrong); warnings are advice.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem in one file.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s [%s]", f.File, f.Line, f.Column, f.Message, f.Rule)
}

// Options say what to judge against.
type Options struct {
	// Catalog is the plugin view (see View); nil means View(false).
	Catalog *catalog.Catalog
	// TaskArgs are the template variables (--task-args over --task-args-file).
	TaskArgs map[string]any
	// PluginPaths are extra folders of Python plugins (besides each
	// repository's rally-jobs/plugins).
	PluginPaths []string
}

// View is the catalog lint judges against: rally-openstack master plus
// Rally's own plugins (catalog.Master), or the installed release alone.
func View(installed bool) *catalog.Catalog {
	if installed {
		return installedView()
	}
	return catalog.Master()
}

// installedView is generated (catalog.Installed), as Master is.
var installedView = catalog.Installed

// shipped reports whether c is one of the views of the generated catalog,
// whose scenarios' default contexts are all valid (TestShippedDefault
// Contexts asserts it for both): lint need not compile context schemas
// per run to re-check them.
func shipped(c *catalog.Catalog) bool { return c == catalog.Master() || c == installedView() }

// file is what the rules of one task file share.
type file struct {
	path     string
	src      []byte
	rendered string
	lines    *jinja.LineMap
	linesSet bool   // lines is built on the first finding: clean files skip it
	root     string // repository root: relative paths in tasks resolve here
	cat      *catalog.Catalog
	local    map[string]*localScenario // scenarios defined in the repository's plugins
	plugins  *localPlugins             // all the repository's own plugins
	doc      *yaml.Node
	taskArgs map[string]any
	task     *task.Task
	out      []Finding
}

func (f *file) report(p task.Pos, sev Severity, rule, format string, a ...any) {
	if !f.linesSet {
		f.lines, f.linesSet = jinja.MapLines(f.src, f.rendered), true
	}
	if l, ok := f.lines.Traced(p.Line); ok {
		// The column is the rendered line's; indentation is usually kept.
		p.Line = l
	}
	f.out = append(f.out, Finding{File: f.path, Line: p.Line, Column: p.Col, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, a...)})
}

// File lints one task file. The error is for a file that cannot be read.
func File(path string, opts Options) ([]Finding, error) {
	src, err := fsutil.ReadRegular(path, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Source(path, src, opts), nil
}

// Source lints task text as if read from path (path locates includes,
// the repository and its plugins).
func Source(path string, src []byte, opts Options) []Finding {
	cat := opts.Catalog
	if cat == nil {
		cat = defaultView()
	}
	root := repoRoot(path)
	f := &file{path: path, src: src, root: root, taskArgs: opts.TaskArgs, cat: cat, plugins: findLocalPlugins(root, opts.PluginPaths)}
	f.local = f.plugins.scenarios
	for _, r := range rules {
		if !r(f) {
			break
		}
	}
	sort.SliceStable(f.out, func(i, j int) bool {
		if f.out[i].Line != f.out[j].Line {
			return f.out[i].Line < f.out[j].Line
		}
		return f.out[i].Column < f.out[j].Column
	})
	return f.out
}

// rules run in order; a rule returns false when later rules cannot run
// (nothing rendered, not a task).
var rules = []func(*file) bool{
	ruleRender,
	ruleSchema,
	ruleDeprecatedV1,
	ruleScenario,
	rulePlugins,
	ruleValidators,
	ruleFiles,
	ruleAtomicSLA,
	ruleFailureRate,
	ruleQuotas,
	ruleConcurrency,
}

// repoRoot is the nearest folder above the task that has rally-jobs/ or
// .git (relative paths in tasks are relative to where the gate runs Rally:
// the repository root); else the task's folder.
func repoRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Dir(path)
	}
	dir := filepath.Dir(abs)
	if r, ok := rootCache.Load(dir); ok {
		return r.(string)
	}
	r := findRoot(dir)
	rootCache.Store(dir, r)
	return r
}

// rootCache: the tasks of one folder share their repository root.
var rootCache sync.Map

func findRoot(dir string) string {
	for d := dir; ; {
		for _, m := range []string{"rally-jobs", ".git"} {
			if fi, err := os.Stat(filepath.Join(d, m)); err == nil && (fi.IsDir() || m == ".git") {
				return d
			}
		}
		p := filepath.Dir(d)
		if p == d {
			return dir
		}
		d = p
	}
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}
