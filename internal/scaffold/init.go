package scaffold

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/detect"
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
	Detect  func(dir string) (*detect.Result, error)
	Catalog *catalog.Catalog
}

// Result is what init would do.
type Result struct {
	Detected *detect.Result `json:"detected"`
	Plan     *plan.Plan     `json:"plan"`
	Changes  []Change       `json:"changes"`
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

// Generator writes plugins for a service rally-openstack does not cover;
// nil until the plugin generator is wired in.
var Generator func(repo, project, serviceType string) ([]File, error)

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
	project := det.Project
	if project == "" {
		abs, _ := filepath.Abs(dir)
		project = filepath.Base(abs)
	}
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
	popt := plan.Options{Profile: o.Profile, Gate: o.Gate}
	p, err := plan.Build(facts, o.Catalog, popt)
	var files []File
	switch {
	case errors.Is(err, plan.ErrNotCovered):
		if Generator == nil {
			return nil, fmt.Errorf("%s: %v; generate scenario plugins from api-ref/source with `rallyforge plugin %s`", dir, err, dir)
		}
		gen, err := Generator(dir, project, st)
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
	if !o.NoZuul {
		edits, err := zuul.Plan(dir, p.Zuul)
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
