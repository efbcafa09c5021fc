// Package lint checks Rally task files offline the way Rally judges them
// (render, task schema, plugins and their configurations, the syntax-level
// validators) plus a few checks of its own. Each rule lives in its own
// rule_*.go file and is a value of the list Rules (rules.go), as in
// actionlint; every finding has a position and a rule name.
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
	"github.com/rallyforge/rallyforge/internal/py/jsonschema"
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
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
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
	// RepoCatalog, when set, gives the view a repository's [rallyforge]
	// catalog setting names ("auto", "master", "installed"); its files are
	// judged against that instead of Catalog. Nil when --catalog decides.
	RepoCatalog func(view string) *catalog.Catalog
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

// Linter lints task files against one set of options. It holds what is
// worth computing once per run and sharing between files: repository roots
// of folders, folder listings, each repository's own plugins, compiled
// plugin schemas. A Linter is safe for concurrent use.
type Linter struct {
	opts    Options
	roots   sync.Map // folder -> repository root
	dirs    sync.Map // folder -> set of entry names
	plugins sync.Map // root + plugin paths -> *localPlugins (read-only once stored)
	configs sync.Map // root -> configEntry ([rallyforge] of setup.cfg or tox.ini)

	schemaMu sync.Mutex
	schemas  map[string]*jsonschema.Schema // schema text -> compiled (nil: does not compile)
}

// New returns a Linter for opts (a nil Catalog means View(false)).
func New(opts Options) *Linter {
	if opts.Catalog == nil {
		opts.Catalog = View(false)
	}
	return &Linter{opts: opts, schemas: map[string]*jsonschema.Schema{}}
}

// File lints one task file with a Linter of its own.
func File(path string, opts Options) ([]Finding, error) { return New(opts).File(path) }

// Source lints task text with a Linter of its own.
func Source(path string, src []byte, opts Options) []Finding {
	return New(opts).Source(path, src)
}

// Paths lints every task file the arguments name with a Linter of its own.
func Paths(paths []string, opts Options) ([]Finding, error) { return New(opts).Paths(paths) }

// file is what the rules of one task file share.
type file struct {
	l        *Linter
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

// report records a finding of rule r at p (a position in the rendered
// text, placed on the template line that produced it).
func (f *file) report(p task.Pos, r *Rule, format string, a ...any) {
	if !f.linesSet {
		f.lines, f.linesSet = jinja.MapLines(f.src, f.rendered), true
	}
	if l, ok := f.lines.Traced(p.Line); ok {
		// The column is the rendered line's; indentation is usually kept.
		p.Line = l
	}
	f.out = append(f.out, Finding{File: f.path, Line: p.Line, Column: p.Col, Severity: r.Severity, Rule: r.ID, Message: fmt.Sprintf(format, a...)})
}

// File lints one task file. The error is for a file that cannot be read.
func (l *Linter) File(path string) ([]Finding, error) { return l.file(path, l.opts.TaskArgs) }

// file lints one task file with its own task arguments.
func (l *Linter) file(path string, args map[string]any) ([]Finding, error) {
	if _, err := l.config(l.repoRoot(path)); err != nil {
		return nil, err
	}
	src, err := fsutil.ReadRegular(path, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l.source(path, src, args), nil
}

// Source lints task text as if read from path (path locates includes,
// the repository and its plugins). Rendering and the task schema come
// first, as in Rally: when either fails, that is the only finding. Then
// every rule of Rules runs on the task.
func (l *Linter) Source(path string, src []byte) []Finding {
	return l.source(path, src, l.opts.TaskArgs)
}

func (l *Linter) source(path string, src []byte, args map[string]any) []Finding {
	root := l.repoRoot(path)
	cat := l.opts.Catalog
	if l.opts.RepoCatalog != nil {
		if c, _ := l.config(root); c != nil && c.Catalog != "" {
			cat = l.opts.RepoCatalog(c.Catalog)
		}
	}
	f := &file{l: l, path: path, src: src, root: root, taskArgs: args, cat: cat, plugins: l.findLocalPlugins(root)}
	f.local = f.plugins.scenarios
	if f.render() && f.parseTask() {
		for _, r := range Rules {
			if r.Check != nil {
				r.Check(f, r)
			}
		}
	}
	f.suppress()
	sort.SliceStable(f.out, func(i, j int) bool {
		if f.out[i].Line != f.out[j].Line {
			return f.out[i].Line < f.out[j].Line
		}
		return f.out[i].Column < f.out[j].Column
	})
	return f.out
}

// repoRoot is the nearest folder above the task that has rally-jobs/ or
// .git (relative paths in tasks are relative to where the gate runs Rally:
// the repository root); else the task's folder.
func repoRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Dir(path)
	}
	return findRoot(filepath.Dir(abs))
}

// repoRoot is repoRoot, once per folder (the tasks of one folder share
// their root).
func (l *Linter) repoRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Dir(path)
	}
	dir := filepath.Dir(abs)
	if r, ok := l.roots.Load(dir); ok {
		return r.(string)
	}
	r := findRoot(dir)
	l.roots.Store(dir, r)
	return r
}

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
