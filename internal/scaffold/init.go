package scaffold

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/rallyforge/rallyforge/internal/servicetypes"
	"github.com/rallyforge/rallyforge/internal/zuul"
)

// Options of one init run (the CLI flags, minus --dry-run and --format,
// which only change what the caller does with the Result).
type Options struct {
	Profile     string
	ServiceType string // overrides detection when set
	NoZuul      bool
	Force       bool
	Gate        bool
	// Detect is detect.Detect; injected so this package does not decide
	// how detection runs.
	Detect func(dir string) (*detect.Result, error)
	// Generate writes scenario plugins and a task for a service
	// rally-openstack does not cover (plugingen.Generate; passed in
	// because plugingen builds on this package). Nil: such a service is
	// an error that points at `rallyforge plugin`.
	Generate func(repo, project, serviceType, profile string) ([]File, error)
	Catalog  *catalog.Catalog
}

// Result is what init would do.
type Result struct {
	Detected *detect.Result `json:"detected"`
	Plan     *plan.Plan     `json:"plan"`
	Changes  []Change       `json:"changes"`
	// Notes are what a reviewer of the change should know: Rally jobs the
	// repository already has (and the task each runs), risks of the job.
	Notes []string `json:"notes,omitempty"`
}

// NotServiceError says the repository is not an OpenStack service.
type NotServiceError struct {
	Dir    string
	Kind   string
	Reason string
}

func (e *NotServiceError) Error() string {
	why := e.Reason
	if why == "" {
		why = "no service signal found"
	}
	return fmt.Sprintf("%s: not a service repository (detected kind %q: %s); pass --service-type TYPE to init it anyway", e.Dir, e.Kind, why)
}

// Init plans and renders everything init writes for dir, and compares it
// with what is there. Nothing is written; Apply does that.
func Init(dir string, o Options) (*Result, error) {
	// Decode the catalog on the other core while detection walks the tree:
	// both are needed, and together they are most of init's time.
	type loaded struct {
		c   *catalog.Catalog
		err error
	}
	var catCh chan loaded
	if o.Catalog == nil {
		catCh = make(chan loaded, 1)
		go func() {
			c, err := catalog.Load()
			catCh <- loaded{c, err}
		}()
	}
	res := &Result{}
	det, err := o.Detect(dir)
	if err != nil {
		return nil, err
	}
	if catCh != nil {
		l := <-catCh
		if l.err != nil {
			return nil, l.err
		}
		o.Catalog = l.c
	}
	res.Detected = det
	project := ProjectName(dir, det)
	st := o.ServiceType
	if st == "" {
		if det.Kind != detect.KindService || det.ServiceType == nil || *det.ServiceType == "" {
			return nil, &NotServiceError{Dir: dir, Kind: det.Kind, Reason: notServiceReason(det)}
		}
		st = *det.ServiceType
	}
	if err := servicetypes.Check(st); err != nil {
		return nil, err
	}
	if err := servicetypes.CheckProject(project); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	facts := plan.ReadFacts(dir, project, st)
	// The Zuul configuration is read for the jobs it already has; with
	// --no-zuul a configuration that does not parse is no reason to fail.
	if err := rallyJobFacts(dir, o.Catalog, &facts); err != nil && !o.NoZuul {
		return nil, err
	}
	popt := plan.Options{Profile: o.Profile, Gate: o.Gate}
	p, err := plan.Build(facts, o.Catalog, popt)
	var files []File
	switch {
	case errors.Is(err, plan.ErrNotCovered):
		if o.Generate == nil {
			return nil, fmt.Errorf("%s: %v; generate scenario plugins from api-ref/source with `rallyforge plugin %s`", dir, err, dir)
		}
		gen, err := o.Generate(dir, project, st, o.Profile)
		if err != nil {
			return nil, err
		}
		// The generated task is what the Zuul job runs; the rest of the
		// tree and the job are the same as for a covered service.
		task := ""
		for _, g := range gen {
			if strings.HasPrefix(g.Path, "rally-jobs/") && (strings.HasSuffix(g.Path, ".yaml") || strings.HasSuffix(g.Path, ".json")) {
				task = g.Path
			}
		}
		if task == "" {
			return nil, fmt.Errorf("%s: the plugin generator wrote no task", dir)
		}
		if p, err = plan.ForGenerated(facts, o.Catalog, popt, task); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		if files, err = RenderGenerated(p, gen); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("%s: %w", dir, err)
	default:
		if files, err = Render(p); err != nil {
			return nil, err
		}
	}
	res.Plan = p
	res.Changes, err = Decide(dir, files, o.Force)
	if err != nil {
		return nil, err
	}
	res.Notes = notes(p)
	if !o.NoZuul && p.AddZuul {
		edits, err := zuul.Edits(dir, p.Zuul)
		if err != nil {
			return nil, err
		}
		for _, e := range edits {
			c := Change{Path: e.Path, Old: e.Old, New: e.New, Mode: 0o644, Action: Update}
			if e.Old == nil {
				c.Action = Create
			}
			res.Changes = append(res.Changes, c)
		}
	}
	return res, nil
}

// rallyJobFacts finds the repository's Zuul jobs that already run Rally
// (their parent chain reaches one of rally-openstack's rally-task-* jobs,
// known from the catalog, or they set vars.rally_task) and which of the
// tasks they run exist.
func rallyJobFacts(dir string, cat *catalog.Catalog, f *plan.Facts) error {
	upstream := func(name string) (string, bool) {
		if !strings.HasPrefix(name, "rally-task-") {
			return "", false
		}
		j, ok := cat.ZuulJob(name)
		if !ok {
			return "", false
		}
		return j.RallyTask, true
	}
	jobs, ds, err := zuul.Inspect(dir, upstream)
	if err != nil {
		return err
	}
	f.DevStack = ds
	// The job an earlier init added is the plan's own, not an existing one.
	jobs = slices.DeleteFunc(jobs, func(j zuul.RallyJob) bool { return j.Generated })
	f.RallyJobs = jobs
	for _, j := range jobs {
		if j.TaskUpstream || !strings.HasPrefix(j.Task, "rally-jobs/") || strings.Contains(j.Task, "{") {
			continue
		}
		// A task an earlier init wrote there is the plan's own: it stays
		// generated (and is updated like any generated file).
		p := filepath.Join(dir, filepath.FromSlash(j.Task))
		// Only a regular file inside the repository (the Zuul job's
		// rally_task may point anywhere).
		var data []byte
		in, rerr := fsutil.Within(dir, filepath.FromSlash(j.Task))
		if rerr == nil {
			data, rerr = fsutil.ReadRegular(in, 0)
		}
		ours, _ := generatedState(j.Task, data)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && rerr == nil && !ours {
			if f.ExistingTask == "" {
				f.ExistingTask = j.Task
			}
		} else if f.MissingTask == "" {
			f.MissingTask = j.Task
		}
	}
	return nil
}

// notes says what init found that a reviewer should know.
func notes(p *plan.Plan) []string {
	var out []string
	for _, j := range p.RallyJobs {
		task := j.Task
		if j.TaskUpstream {
			task += " (of rally-openstack)"
		}
		if task == "" {
			task = "no task set"
		}
		via := ""
		if j.Via != "" {
			via = ", parent chain reaches " + j.Via
		}
		out = append(out, fmt.Sprintf("existing Rally job %s (%s:%d%s) runs %s", j.Name, j.File, j.Line, via, task))
	}
	if len(p.RallyJobs) > 0 {
		what := "the task it runs is kept as it is"
		if !p.TaskKept {
			what = "the task is written to " + p.TaskFile
		}
		out = append(out, "the repository already runs Rally at the gate: no Zuul job added; "+what+"; only missing rally-jobs/ files are written")
	}
	out = append(out, p.Risks...)
	return out
}

// ProjectName is the repository's project: the detected one, else the
// folder's name.
func ProjectName(dir string, det *detect.Result) string {
	if det.Project != "" {
		return det.Project
	}
	abs, _ := filepath.Abs(dir)
	return filepath.Base(abs)
}

func notServiceReason(d *detect.Result) string {
	if d.Reason != "" {
		return d.Reason
	}
	var sig []string
	for _, e := range d.Evidence {
		if len(sig) == 2 {
			break
		}
		s := e.Signal
		if e.Path != "" {
			s += " " + e.Path
		}
		sig = append(sig, s)
	}
	return strings.Join(sig, ", ")
}
