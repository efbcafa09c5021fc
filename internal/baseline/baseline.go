// Package baseline sets SLA thresholds from measured results: for each
// workload of a Rally task that has results, a max_avg_duration_per_atomic
// entry per atomic action, margin × a percentile (or the mean) of what the
// action took, written into the task file itself.
//
// The file is edited as text, not re-serialised: the task is rendered
// (Jinja2) and parsed with the yaml.v3 node API only to find where each
// workload and its sla: are, the rendered position is traced back to the
// template line that produced it, and the new lines are inserted there with
// the file's own indentation (or, in JSON and flow-style YAML, the entry is
// inserted before the closing brace). Every byte outside the inserted text
// stays as it was: comments, quoting, the Jinja2 header and blocks. Each
// edit is verified before it is kept: the edited template is rendered and
// parsed again and must equal the old task plus exactly the new SLA, so a
// workload produced by a loop, a macro or an include is reported rather
// than edited wrongly.
package baseline

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
	"go.yaml.in/yaml/v3"
)

// Options say how thresholds are derived and what may be replaced.
type Options struct {
	Margin     float64 `json:"margin"`     // multiplies the statistic, e.g. 1.5
	Percentile float64 `json:"percentile"` // 0 < p ≤ 100, e.g. 95
	Mean       bool    `json:"mean"`       // use the mean instead of the percentile
	// Force replaces an existing max_avg_duration_per_atomic; without it a
	// workload that has one is left alone.
	Force    bool           `json:"force"`
	TaskArgs map[string]any `json:"-"` // Jinja2 task arguments
}

// Defaults: the 95th percentile with half as much again is loose enough
// that a clean run passes (the SLA compares the mean, which sits well below
// p95) and tight enough that a real slow-down fails it.
var Defaults = Options{Margin: 1.5, Percentile: 95}

// Workload statuses.
const (
	StatusSet       = "set"        // a new max_avg_duration_per_atomic
	StatusReplaced  = "replaced"   // --force replaced the existing one
	StatusKept      = "kept"       // it has one and --force was not given
	StatusSkipped   = "skipped"    // cannot be edited safely: Reason, Snippet
	StatusNoResults = "no-results" // no workload of the results matches
	StatusNoData    = "no-data"    // matched, but no successful iteration recorded an atomic action
)

// WorkloadChange is what happened to one workload of the task.
type WorkloadChange struct {
	Workload   string      `json:"workload"` // scenario#occurrence, as compare matches
	Scenario   string      `json:"scenario"`
	Line       int         `json:"line"` // in the task file; 0 when not traceable
	Status     string      `json:"status"`
	Reason     string      `json:"reason,omitempty"`
	Snippet    string      `json:"snippet,omitempty"` // YAML to add by hand when skipped
	Iterations int         `json:"iterations,omitempty"`
	Failed     int         `json:"failed,omitempty"`
	Thresholds []Threshold `json:"thresholds,omitempty"`
}

// Result is the planned (or applied) change of one task file.
type Result struct {
	Task      string           `json:"task"`
	Results   string           `json:"results"`
	Options   Options          `json:"options"`
	Workloads []WorkloadChange `json:"workloads"`
	// Unmatched are workloads of the results with none in the task.
	Unmatched []string `json:"unmatched,omitempty"`
	Changed   bool     `json:"changed"`
	Old, New  []byte   `json:"-"`
}

// InputError is a problem with the inputs (exit 2 at the CLI).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(format string, a ...any) error { return &InputError{fmt.Sprintf(format, a...)} }

// Write replaces the task with res.New, atomically and only if the file
// still holds exactly what Plan read (res.Old): an edit made meanwhile by
// someone else is never lost (fsutil.ErrChanged instead).
func Write(res *Result) error {
	abs, err := filepath.Abs(res.Task)
	if err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(abs); err == nil {
		perm = fi.Mode().Perm()
	}
	return fsutil.WriteAll(filepath.Dir(abs), []fsutil.Write{{Rel: filepath.Base(abs), Data: res.New, Perm: perm, Old: res.Old}})
}

// Propose computes the new task text; it writes nothing.
func Propose(taskPath, resultsPath string, o Options) (*Result, error) {
	if !(o.Margin > 0) || math.IsInf(o.Margin, 0) {
		return nil, inputErr("--margin must be greater than 0 (got %g)", o.Margin)
	}
	if !o.Mean && !(o.Percentile > 0 && o.Percentile <= 100) {
		return nil, inputErr("--percentile must be in (0, 100] (got %g)", o.Percentile)
	}
	src, err := fsutil.ReadRegular(taskPath, 0)
	if err != nil {
		return nil, inputErr("%v", err)
	}
	ms, err := measure(resultsPath)
	if err != nil {
		return nil, inputErr("%v", err)
	}
	first, err := load(taskPath, src, o.TaskArgs)
	if err != nil {
		return nil, err
	}
	res := &Result{Task: taskPath, Results: resultsPath, Options: o, Old: src}
	byKey := map[string]*measured{}
	for _, m := range ms {
		byKey[m.key()] = m
	}
	inTask := map[string]bool{}
	matched := 0
	cur := src
	for i, w := range first.workloads {
		inTask[w.key] = true
		wc := WorkloadChange{Workload: w.key, Scenario: w.scenario, Line: first.sourceLine(w.node.Line)}
		m := byKey[w.key]
		switch {
		case m == nil:
			wc.Status = StatusNoResults
		default:
			matched++
			wc.Iterations, wc.Failed = m.Iterations, m.Failed
			wc.Thresholds = thresholds(m, o)
			if len(wc.Thresholds) == 0 {
				wc.Status = StatusNoData
				wc.Reason = "no successful iteration recorded an atomic action"
				break
			}
			d, err := load(taskPath, cur, o.TaskArgs)
			if err != nil {
				// The previous edit was verified; this cannot happen unless
				// the template is not deterministic.
				return nil, fmt.Errorf("%s: re-reading after an edit: %w", taskPath, err)
			}
			if cur, err = editOne(taskPath, d, i, wc.Thresholds, o, &wc); err != nil {
				return nil, err
			}
		}
		res.Workloads = append(res.Workloads, wc)
	}
	for _, m := range ms {
		if !inTask[m.key()] {
			res.Unmatched = append(res.Unmatched, m.key())
		}
	}
	if matched == 0 {
		var tk, rk []string
		for _, w := range first.workloads {
			tk = append(tk, w.key)
		}
		for _, m := range ms {
			rk = append(rk, m.key())
		}
		return nil, inputErr("%s: no workload matches one of %s (task: %s; results: %s)", taskPath, resultsPath, list(tk), list(rk))
	}
	res.New = cur
	res.Changed = string(cur) != string(src)
	return res, nil
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// editOne edits workload i of the current text d, verifies the edit and
// returns the new text (the old one when the workload is kept or skipped).
func editOne(path string, d *doc, i int, ths []Threshold, o Options, wc *WorkloadChange) ([]byte, error) {
	cur := d.src
	if len(d.workloads) <= i {
		return nil, fmt.Errorf("%s: workload %d vanished after an edit", path, i)
	}
	w := d.workloads[i]
	e, status, reason := planEdit(d, w.node, ths, o.Force)
	wc.Status, wc.Reason = status, reason
	if e == nil {
		if status == StatusSkipped {
			wc.Snippet = blockSLA("", "  ", ths, true)
		}
		return cur, nil
	}
	next, err := d.apply(e)
	if err == nil {
		err = verify(path, d, i, next, ths, o.TaskArgs)
	}
	if err != nil {
		wc.Status = StatusSkipped
		wc.Reason = err.Error()
		wc.Snippet = blockSLA("", "  ", ths, true)
		return cur, nil
	}
	return next, nil
}

// verify renders and parses the edited text: it must be the old task with
// workload i's sla holding exactly the new max_avg_duration_per_atomic.
func verify(path string, before *doc, i int, next []byte, ths []Threshold, args map[string]any) error {
	after, err := load(path, next, args)
	if err != nil {
		return errors.New("the edited template would not render or parse the same way (" + oneLine(err) + "); add the SLA by hand")
	}
	want := clone(before.root)
	ws, err := workloadNodes(want)
	if err != nil || len(ws) <= i {
		return fmt.Errorf("workload %d not found again", i)
	}
	setSLA(ws[i].node, ths)
	if !reflect.DeepEqual(pyyaml.Value(want), pyyaml.Value(after.root)) {
		return errors.New("the template produces this workload in a way rallyforge cannot edit safely (a loop, a macro or an include: the edit would change other lines of the rendered task); add the SLA by hand")
	}
	return nil
}

// setSLA puts the thresholds into a workload node, as the edited file must
// read them.
func setSLA(w *yaml.Node, ths []Threshold) {
	var m yaml.Node
	if err := yaml.Unmarshal([]byte(flowSLA(ths)), &m); err != nil || len(m.Content) == 0 {
		panic("baseline: own SLA text does not parse: " + flowSLA(ths))
	}
	val := m.Content[0]
	_, sla := task.Get(w, "sla")
	if sla == nil || sla.Kind != yaml.MappingNode {
		if sla == nil {
			sla = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			w.Content = append(w.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "sla"}, sla)
		} else {
			*sla = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		}
	}
	for j := 0; j+1 < len(sla.Content); j += 2 {
		if sla.Content[j].Value == maxKey {
			sla.Content[j+1] = val
			return
		}
	}
	sla.Content = append(sla.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: maxKey}, val)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// clone copies a node tree (aliases are already resolved by ParseYAML).
func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = clone(k)
	}
	return &c
}
