package lint

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/fsutil"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
	"go.yaml.in/yaml/v3"
)

// zuulJob is a job stanza of the repository's own Zuul configuration.
type zuulJob struct {
	file, name, parent string
	nameNode, parentN  *yaml.Node
	rallyTask          *yaml.Node // vars.rally_task, nil when not set
}

// zuulFiles are where Zuul reads a project's in-repo configuration.
func zuulFiles(root string) []string {
	var out []string
	for _, f := range []string{"zuul.yaml", ".zuul.yaml"} {
		if fi, err := os.Stat(filepath.Join(root, f)); err == nil && !fi.IsDir() {
			out = append(out, filepath.Join(root, f))
		}
	}
	for _, d := range []string{"zuul.d", ".zuul.d"} {
		m, _ := filepath.Glob(filepath.Join(root, d, "*.yaml"))
		sort.Strings(m)
		out = append(out, m...)
	}
	return out
}

func readZuulJobs(root string) []zuulJob {
	var jobs []zuulJob
	for _, f := range zuulFiles(root) {
		if outsideRoot([]string{root}, f) != "" {
			continue // a symlink out of the repository: not read
		}
		b, err := fsutil.ReadRegular(f, 0)
		if err != nil {
			continue
		}
		doc, err := pyyaml.Load(b)
		if err != nil || doc == nil || doc.Kind != yaml.SequenceNode {
			continue // not this linter's business: Zuul reports its own syntax
		}
		for _, item := range doc.Content {
			_, j := task.Get(item, "job")
			if j == nil {
				continue
			}
			zj := zuulJob{file: f}
			_, zj.nameNode = task.Get(j, "name")
			_, zj.parentN = task.Get(j, "parent")
			if zj.nameNode != nil {
				zj.name = zj.nameNode.Value
			}
			if zj.parentN != nil {
				zj.parent = zj.parentN.Value
			}
			_, vars := task.Get(j, "vars")
			_, zj.rallyTask = task.Get(vars, "rally_task")
			jobs = append(jobs, zj)
		}
	}
	return jobs
}

// Zuul checks the repository's Zuul jobs that run Rally: a job runs Rally
// when it sets vars.rally_task or descends from one of rally-openstack's
// rally-task-* jobs. Its rally_task file must exist in the repository
// ("zuul-rally-task") and a rally-* parent must exist ("zuul-parent", with
// did-you-mean). It returns the task files the jobs name, for linting.
func Zuul(root string, cat *catalog.Catalog) ([]Finding, []string) {
	jobs := readZuulJobs(root)
	local := map[string]*zuulJob{}
	for i := range jobs {
		local[jobs[i].name] = &jobs[i]
	}
	var known []string
	for _, j := range cat.ZuulJobs {
		known = append(known, j.Name)
	}
	runsRally := func(j *zuulJob) bool {
		for depth := 0; j != nil && depth < 20; depth++ {
			if j.rallyTask != nil {
				return true
			}
			if cj, ok := cat.ZuulJob(j.parent); ok {
				return cj.RallyTask != "" || strings.HasPrefix(cj.Name, "rally-task")
			}
			j = local[j.parent]
		}
		return false
	}
	var out []Finding
	var tasks []string
	add := func(f string, n *yaml.Node, r *Rule, msg string) {
		out = append(out, Finding{File: f, Line: n.Line, Column: n.Column, Severity: r.Severity, Rule: r.ID, Message: msg})
	}
	for i := range jobs {
		j := &jobs[i]
		if j.parent != "" && strings.HasPrefix(j.parent, "rally-") {
			if _, ok := cat.ZuulJob(j.parent); !ok && local[j.parent] == nil {
				add(j.file, j.parentN, ruleZuulParent, "job "+j.name+": parent job "+j.parent+" does not exist in rally-openstack or this repository"+didYouMean(suggest(j.parent, known)))
			}
		}
		if j.rallyTask == nil || !runsRally(j) {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(j.rallyTask.Value))
		if _, err := fsutil.Within(root, filepath.FromSlash(j.rallyTask.Value)); errors.Is(err, fsutil.ErrOutside) {
			add(j.file, j.rallyTask, ruleOutsideRepo, "job "+j.name+": rally_task "+j.rallyTask.Value+" leaves the repository; not read")
			continue
		}
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			add(j.file, j.rallyTask, ruleZuulRallyTask, "job "+j.name+": rally_task "+j.rallyTask.Value+" does not exist in the repository")
			continue
		}
		tasks = append(tasks, p)
	}
	return out, tasks
}

// The repository's Zuul jobs that run Rally (reported by Zuul, for a
// repository folder given to lint).
var (
	ruleZuulParent = &Rule{
		ID: "zuul-parent", Severity: Error,
		Description:  "A Zuul job's rally-* parent job exists neither in rally-openstack nor in the repository.",
		Example:      v2("    scenario:\n      Dummy.dummy: {}\n"),
		ExampleFiles: map[string]string{".zuul.yaml": "- job:\n    name: example-rally\n    parent: rally-task-at-devstak\n    vars:\n      rally_task: rally-jobs/example.yaml\n"},
	}
	ruleZuulRallyTask = &Rule{
		ID: "zuul-rally-task", Severity: Error,
		Description:  "A Zuul job that runs Rally names a rally_task file that is not in the repository.",
		Example:      v2("    scenario:\n      Dummy.dummy: {}\n"),
		ExampleFiles: map[string]string{".zuul.yaml": "- job:\n    name: example-rally\n    parent: rally-task-at-devstack\n    vars:\n      rally_task: rally-jobs/missing.yaml\n"},
	}
)
