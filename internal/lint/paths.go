package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/task"
)

// Expand turns the command's PATH arguments into task files: none means
// ./rally-jobs; a folder that has rally-jobs/ means that; a folder means
// its *.yaml, *.yml and *.json; a file is itself. A path that does not
// exist is an error. repos are the arguments that are repositories (with
// rally-jobs/ or their own Zuul configuration), whose Zuul jobs Paths
// checks too; the default ./rally-jobs is only that folder.
func Expand(paths []string) (files, repos []string, err error) {
	named := len(paths) > 0
	if !named {
		paths = []string{"."}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: no such file or folder", p)
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		dir := p
		jobs := filepath.Join(p, "rally-jobs")
		fi, err = os.Stat(jobs)
		hasJobs := err == nil && fi.IsDir()
		repo := hasJobs || isRepo(p)
		if repo && named {
			repos = append(repos, p)
		}
		if hasJobs {
			dir = jobs
		} else if repo {
			continue // no rally-jobs/: only what its Zuul jobs name (Paths)
		} else if len(paths) == 1 && p == "." {
			return nil, nil, fmt.Errorf("no rally-jobs/ folder here; give task files or a repository folder")
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", dir, err)
		}
		var found []string
		for _, e := range ents {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			// <task>_args.yaml files hold template arguments, not tasks.
			base := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") && !strings.HasSuffix(base, "_args") {
				found = append(found, filepath.Join(dir, e.Name()))
			}
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, repos, nil
}

// Paths lints every task file the arguments name.
func (l *Linter) Paths(paths []string) ([]Finding, error) {
	for _, pp := range l.opts.PluginPaths {
		// A misspelt plugin folder would turn every scenario it defines
		// into "unknown plugin", or hide that nothing was loaded.
		if _, err := os.Stat(pp); err != nil {
			return nil, fmt.Errorf("--plugin-paths %s: no such file or folder", pp)
		}
	}
	files, repos, err := Expand(paths)
	if err != nil {
		return nil, err
	}
	var all []Finding
	// Nothing of a repository is read through a symlink that leaves it
	// (rally-jobs/x.yaml -> /etc/shadow would reach findings and CI logs):
	// such a file is reported instead. The default ./rally-jobs counts as
	// the repository ".".
	roots := repos
	if len(paths) == 0 {
		roots = []string{"."}
	}
	files, all = keepInside(roots, files, all)
	// A repository folder: its Zuul jobs that run Rally too, and the task
	// files they name (they may live outside rally-jobs/).
	seen := map[string]bool{}
	for _, f := range files {
		if a, err := filepath.Abs(f); err == nil {
			seen[a] = true
		}
	}
	for _, p := range repos {
		zf, tasks := Zuul(p, l.opts.Catalog)
		cfg, err := l.config(l.repoRoot(filepath.Join(p, "x")))
		if err != nil {
			return nil, err
		}
		for _, f := range zf {
			if !cfg.Suppressed(f.Rule, f.File) {
				all = append(all, f)
			}
		}
		tasks, all = keepInside([]string{p}, tasks, all)
		for _, t := range tasks {
			if a, err := filepath.Abs(t); err == nil && !seen[a] {
				seen[a] = true
				files = append(files, t)
			}
		}
	}
	if len(files) == 0 && len(all) == 0 {
		// Nothing linted is not "clean".
		where := "."
		if len(paths) > 0 {
			where = strings.Join(paths, ", ")
		}
		return nil, fmt.Errorf("%s: no task files (*.yaml, *.yml, *.json) to lint", where)
	}
	// One file (the pre-commit hook's common case) is linted on this
	// goroutine: a second one costs a fresh stack and, on another P, its
	// own heap spans, page faults that are a visible part of a 10 ms run.
	if len(files) == 1 {
		fs, err := l.lintOne(files[0])
		if err != nil {
			return nil, err
		}
		return append(all, fs...), nil
	}
	// Files are independent: lint them on all cores, report in order.
	results := make([][]Finding, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, p := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = l.lintOne(p)
		}()
	}
	wg.Wait()
	for i := range files {
		if errs[i] != nil {
			return nil, errs[i]
		}
		all = append(all, results[i]...)
	}
	return all, nil
}

// ruleOutsideRepo: a file of the repository that resolves outside it is
// reported, never read (its content would reach findings and CI logs).
var ruleOutsideRepo = &Rule{
	ID: "outside-repository", Severity: Error,
	Description:  "A task file of the repository (in rally-jobs/, or a Zuul job's rally_task) resolves outside the repository, through a symlink or '..'; it is not read. The gate checks out only the repository.",
	Example:      v2("    scenario:\n      Dummy.dummy: {}\n"),
	ExampleFiles: map[string]string{".zuul.yaml": "- job:\n    name: example-rally\n    parent: rally-task-at-devstack\n    vars:\n      rally_task: ../elsewhere/task.yaml\n"},
}

// keepInside drops the files under one of roots that resolve outside it
// and reports each as an error finding.
func keepInside(roots, files []string, all []Finding) ([]string, []Finding) {
	var kept []string
	for _, f := range files {
		if msg := outsideRoot(roots, f); msg != "" {
			all = append(all, Finding{File: f, Line: 1, Column: 1, Severity: ruleOutsideRepo.Severity, Rule: ruleOutsideRepo.ID, Message: msg})
			continue
		}
		kept = append(kept, f)
	}
	return kept, all
}

// outsideRoot says why f, lexically under one of roots, resolves outside
// it ("" when it does not).
func outsideRoot(roots []string, f string) string {
	for _, r := range roots {
		rel, err := filepath.Rel(r, f)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if _, err := fsutil.Within(r, rel); err != nil {
			if errors.Is(err, fsutil.ErrOutside) {
				return "resolves outside the repository " + r + " (a symlink); not read"
			}
		}
	}
	return ""
}

// isRepo: a folder with its own Zuul configuration is a repository root
// even without rally-jobs/ (heat keeps its task in rally-scenarios/).
func isRepo(dir string) bool { return len(zuulFiles(dir)) > 0 }

func (l *Linter) lintOne(p string) ([]Finding, error) {
	if l.opts.TaskArgs == nil {
		// The gate passes <task>_args.yaml beside a task as its
		// --task-args-file (rally-openstack's run playbook does).
		names := l.dirNames(filepath.Dir(p))
		for _, ext := range []string{".yaml", ".yml", ".json"} {
			a := strings.TrimSuffix(p, filepath.Ext(p)) + "_args" + ext
			if !names[filepath.Base(a)] {
				continue
			}
			if b, err := fsutil.ReadRegular(a, 0); err == nil {
				m, err := task.Args(string(b), "")
				if err != nil {
					return nil, fmt.Errorf("%s: %v", a, err)
				}
				return l.file(p, m)
			}
		}
	}
	return l.File(p)
}

// dirNames lists a folder's entries once per Linter (many tasks share a
// folder; looking for <task>_args.* must not cost three opens each).
func (l *Linter) dirNames(dir string) map[string]bool {
	if m, ok := l.dirs.Load(dir); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	if ents, err := os.ReadDir(dir); err == nil {
		for _, e := range ents {
			m[e.Name()] = true
		}
	}
	l.dirs.Store(dir, m)
	return m
}
