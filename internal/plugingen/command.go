package plugingen

import (
	"fmt"

	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/scaffold"
)

// Options of one `rallyforge plugin` run (the flags, minus --dry-run and
// --format, which only change what the caller does with the Result).
type Options struct {
	ServiceType string // overrides detection when set
	Force       bool
	// Detect is detect.Detect, injected as for scaffold.Init.
	Detect func(dir string) (*detect.Result, error)
}

// Result is what plugin would write, and why.
type Result struct {
	Suite   *Suite            `json:"plan"`
	Changes []scaffold.Change `json:"changes"`
}

// Run detects the service of dir, derives the plugins from its api-ref
// and compares them with what is there. Nothing is written; scaffold.Apply
// does that. With ErrNothing or ErrNoOperations the Result still carries
// the Suite (its findings say why nothing could be derived).
func Run(dir string, o Options) (*Result, error) {
	det, err := o.Detect(dir)
	if err != nil {
		return nil, err
	}
	st := o.ServiceType
	if st == "" && det.ServiceType != nil {
		st = *det.ServiceType
	}
	if st == "" {
		return nil, fmt.Errorf("%s: no service type detected; pass --service-type TYPE", dir)
	}
	p, err := Build(dir, scaffold.ProjectName(dir, det), st)
	if err != nil {
		return nil, err
	}
	res := &Result{Suite: p}
	files, err := p.Files()
	if err != nil {
		return res, err
	}
	if res.Changes, err = scaffold.Decide(dir, files, o.Force); err != nil {
		return nil, err
	}
	return res, nil
}
