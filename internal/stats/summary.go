package stats

import (
	"cmp"
	"slices"

	"github.com/rallyforge/rallyforge/internal/results"
)

// ErrorGroup counts failed iterations by error type.
type ErrorGroup struct {
	Type    string `json:"type"`
	Count   int    `json:"count"`
	Example string `json:"example"` // first message seen
	// Traceback is the first traceback seen, Iterations the 0-based
	// indexes of the first maxListed iterations that failed so (for the
	// HTML page; the JSON keeps its shape).
	Traceback  string `json:"-"`
	Iterations []int  `json:"-"`
}

// maxListed bounds the failed iterations listed per error type.
const maxListed = 50

// Workload is a workload's description with its statistics.
type Workload struct {
	*results.Workload
	Iterations int          `json:"iterations"`
	Failed     int          `json:"failed"`
	Durations  Durations    `json:"durations"`
	Errors     []ErrorGroup `json:"errors"`
	// Timeline is set when the collector keeps timelines.
	Timeline *Timeline `json:"-"`
}

// File is one results file, summarised.
type File struct {
	Path      string      `json:"path"`
	Format    string      `json:"format"`
	Workloads []*Workload `json:"workloads"`
}

// Collector is a results.Handler that builds the summary while the file
// streams through: only each row's samples are kept.
type Collector struct {
	// Timelines makes every workload keep its timeline (per-iteration
	// series for charts); set before reading.
	Timelines bool
	tables    map[int]*Table
	iters     map[int]*counts
	done      []*Workload
	// last is the workload of the last iteration, with its table and
	// counts: iterations come workload by workload.
	last       int
	lastTable  *Table
	lastCounts *counts
}

type counts struct {
	n, failed int
	errs      map[string]*ErrorGroup
}

// NewCollector starts an empty collector.
func NewCollector() *Collector {
	return &Collector{tables: map[int]*Table{}, iters: map[int]*counts{}}
}

// Expect implements results.Sizer: the workload's tables are sized for n
// iterations.
func (c *Collector) Expect(w, n int) {
	c.table(w).Expect(n)
}

func (c *Collector) table(w int) *Table {
	t := c.tables[w]
	if t == nil {
		t = NewTable()
		if c.Timelines {
			t = NewTimelineTable()
		}
		c.tables[w] = t
		c.iters[w] = &counts{errs: map[string]*ErrorGroup{}}
	}
	return t
}

// Iteration implements results.Handler.
func (c *Collector) Iteration(w int, it *results.Iteration) error {
	if c.lastTable == nil || c.last != w {
		c.last, c.lastTable = w, c.table(w)
		c.lastCounts = c.iters[w]
	}
	t := c.lastTable
	t.Add(it)
	n := c.lastCounts
	n.n++
	if it.Failed() {
		n.failed++
		typ, msg := it.Error[0], ""
		if len(it.Error) > 1 {
			msg = it.Error[1]
		}
		g := n.errs[typ]
		if g == nil {
			g = &ErrorGroup{Type: typ, Example: msg}
			if len(it.Error) > 2 {
				g.Traceback = it.Error[2]
			}
			n.errs[typ] = g
		}
		if g.Count < maxListed {
			g.Iterations = append(g.Iterations, n.n-1)
		}
		g.Count++
	}
	return nil
}

// Workload implements results.Handler.
func (c *Collector) Workload(w *results.Workload) error {
	t := c.tables[w.Index]
	if t == nil {
		t = NewTable()
	}
	s := &Workload{Workload: w, Durations: t.Durations(), Errors: []ErrorGroup{}, Timeline: t.Timeline()}
	if n := c.iters[w.Index]; n != nil {
		s.Iterations, s.Failed = n.n, n.failed
		for _, g := range n.errs {
			s.Errors = append(s.Errors, *g)
		}
		slices.SortFunc(s.Errors, func(a, b ErrorGroup) int {
			return cmp.Or(b.Count-a.Count, cmp.Compare(a.Type, b.Type))
		})
	}
	delete(c.tables, w.Index)
	delete(c.iters, w.Index)
	if c.last == w.Index {
		c.lastTable, c.lastCounts = nil, nil
	}
	c.done = append(c.done, s)
	return nil
}

// Summarize reads and summarises one results file.
func Summarize(path string) (*File, error) { return summarize(path, false) }

// SummarizeTimelines is Summarize keeping every workload's timeline.
func SummarizeTimelines(path string) (*File, error) { return summarize(path, true) }

func summarize(path string, timelines bool) (*File, error) {
	c := NewCollector()
	c.Timelines = timelines
	format, err := results.ReadFile(path, c)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(c.done, func(a, b *Workload) int { return a.Index - b.Index })
	return &File{Path: path, Format: string(format), Workloads: c.done}, nil
}

// Workloads returns the workloads finished so far, in file order.
func (c *Collector) Workloads() []*Workload {
	slices.SortFunc(c.done, func(a, b *Workload) int { return a.Index - b.Index })
	return c.done
}

// FailedSLAs counts the failed SLA criteria of every workload, as
// `rally task sla-check` does before it exits non-zero.
func (f *File) FailedSLAs() int {
	n := 0
	for _, w := range f.Workloads {
		for _, s := range w.SLA {
			if !s.Success {
				n++
			}
		}
	}
	return n
}
