// Package stats computes the duration statistics of a workload exactly as
// Rally 3.3 does (rally/task/processing/charts.py MainStatsTable and
// rally/task/atomic.py merge_atomic_actions): same row names and order, the
// same linear-interpolation percentile, Python's round(x, 3) and the
// "%.1f%%" success string. Rows keep the raw samples for comparisons.
package stats

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/rallyforge/rallyforge/internal/results"
)

// depthOfProcessing is Rally's limit on nested atomic actions (2 levels of
// children below a top-level action).
const depthOfProcessing = 2

// Data is one row's figures. Nil pointers are Rally's "n/a".
type Data struct {
	IterationCount int
	Min, Median    *float64
	P90, P95       *float64
	Max, Avg       *float64
	Success        string
}

// MarshalJSON writes Rally's shape and key order.
func (d Data) MarshalJSON() ([]byte, error) {
	f := func(p *float64) string {
		if p == nil {
			return `"n/a"`
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return fmt.Appendf(nil, `{"iteration_count":%d,"min":%s,"median":%s,"90%%ile":%s,"95%%ile":%s,"max":%s,"avg":%s,"success":%q}`,
		d.IterationCount, f(d.Min), f(d.Median), f(d.P90), f(d.P95), f(d.Max), f(d.Avg), d.Success), nil
}

// Row is one line of Rally's "Response Times" table.
type Row struct {
	Name              string `json:"name"`
	DisplayName       string `json:"display_name"`
	CountPerIteration int    `json:"count_per_iteration"`
	Data              Data   `json:"data"`
	Children          []Row  `json:"children"`
	// Samples are the row's durations, sorted, unrounded.
	Samples []float64 `json:"-"`
	// SuccessRate is the unrounded fraction of successful samples.
	SuccessRate float64 `json:"-"`
	// Series is the row's duration in every iteration, in order, NaN where
	// the action did not run; only for top-level rows and total, and only
	// when the table keeps a timeline (for the charts of the HTML page).
	Series []float32 `json:"-"`
}

// Durations is Rally's statistics.durations.
type Durations struct {
	Total   Row   `json:"total"`
	Atomics []Row `json:"atomics"`
}

// node accumulates one row as Rally's streaming algorithms do.
type node struct {
	name, display string
	count         int // count_per_iteration
	points        []float64
	min, max, sum float64
	success       float64
	n             int
	children      *rows
	// series is the duration per iteration (NaN when absent), kept for
	// top-level rows when the table keeps a timeline. float32: it is drawn,
	// never summed, and a million iterations cost 4 MB per action.
	series []float32
}

type rows struct {
	order []string
	m     map[string]*node
	names map[dispKey]string
	size  *sizing
	// hint is the node the k-th item of the last iteration went to:
	// iterations repeat the same actions in the same order, and looking
	// the row up by its display name (made and hashed) every time was
	// most of the table's work.
	hint []*node
}

func newRows(s *sizing) *rows { return &rows{m: map[string]*node{}, size: s} }

// sizing is a table's expected iteration count, handed to the first rows
// created (each row holds one sample per iteration): sized up front, the
// samples are never copied to grow, which would leave the old arrays as
// garbage and raise the memory peak. A budget of rows keeps a file that
// announces many iterations and holds many actions from reserving much.
type sizing struct {
	hint, budget int
}

func (s *sizing) points() []float64 {
	if s == nil || s.budget <= 0 || s.hint <= 0 {
		return nil
	}
	s.budget--
	return make([]float64, 0, s.hint)
}

// display is Rally's "name (xN)" row name, cached per (name, N).
func (r *rows) display(name string, count int) string {
	k := dispKey{name, count}
	if s, ok := r.names[k]; ok {
		return s
	}
	if r.names == nil {
		r.names = map[dispKey]string{}
	}
	s := fmt.Sprintf("%s (x%d)", name, count)
	r.names[k] = s
	return s
}

type dispKey struct {
	name  string
	count int
}

func (r *rows) get(display, real string, count int) *node {
	if n, ok := r.m[display]; ok {
		return n
	}
	n := &node{name: real, display: display, count: count, children: newRows(r.size), points: r.size.points()}
	r.m[display] = n
	r.order = append(r.order, display)
	return n
}

func (n *node) add(d float64, failed bool, iter int) {
	if n.n == 0 || d < n.min {
		n.min = d
	}
	if n.n == 0 || d > n.max {
		n.max = d
	}
	n.n++
	n.sum += d
	if !failed {
		n.success++
	}
	n.points = append(n.points, d)
}

// record puts d at iteration iter of the series, NaN for the iterations
// in between that lacked the row.
func (n *node) record(d float64, iter int) {
	for len(n.series) < iter {
		n.series = append(n.series, float32(math.NaN()))
	}
	if len(n.series) == iter {
		n.series = append(n.series, float32(d))
	} else { // the same display name twice in one iteration cannot happen; keep the sum
		n.series[iter] += float32(d)
	}
}

// Table accumulates a workload's iterations.
type Table struct {
	data  *rows
	iters int
	// tl, when set, also records the timeline: per-iteration series of the
	// top-level rows, timestamps, durations and failures.
	tl *Timeline
	// pool and used: the merged items of the current iteration.
	pool []*merged
	used int
}

// Timeline is a workload's iterations in order, for charts: when each
// started, how long it ran, which failed and why.
type Timeline struct {
	Timestamps []float64 // start of each iteration (Unix seconds)
	Durations  []float64 // duration of each iteration (idle time excluded)
	Failed     []int     // 0-based indexes of the failed iterations, ascending
	FailedType []string  // the error type of each of Failed
}

// NewTable starts an empty table.
func NewTable() *Table { return &Table{data: newRows(&sizing{})} }

// NewTimelineTable starts an empty table that also keeps the timeline.
func NewTimelineTable() *Table { return &Table{data: newRows(&sizing{}), tl: &Timeline{}} }

// Expect says how many iterations the table will take (a hint: more or
// fewer are fine); up to maxSized rows and the timeline are sized for
// them.
func (t *Table) Expect(n int) {
	if t.iters > 0 || n <= 0 {
		return
	}
	s := t.data.size
	s.hint, s.budget = n, maxSized
	if t.tl != nil {
		t.tl.Timestamps = make([]float64, 0, n)
		t.tl.Durations = make([]float64, 0, n)
	}
}

// maxSized is how many rows are sized up front: total, its duration and
// idle_duration, and a dozen actions.
const maxSized = 16

// Timeline returns the recorded timeline (nil unless NewTimelineTable).
func (t *Table) Timeline() *Timeline { return t.tl }

// merged is merge_atomic_actions' output item.
type merged struct {
	name     string
	duration float64
	count    int
	failed   bool
	children []*merged
}

// find is a linear search: an iteration has a handful of actions, and a
// map per node cost more than the rest of the table.
func (m *merged) find(name string) *merged {
	for _, c := range m.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// merged hands out a cleared merged item from the table's pool: the items
// of one iteration are reused by the next (allocating them was a sixth of
// all allocation).
func (t *Table) merged(name string, duration float64, count int, failed bool) *merged {
	var m *merged
	if t.used < len(t.pool) {
		m = t.pool[t.used]
	} else {
		m = &merged{}
		t.pool = append(t.pool, m)
	}
	t.used++
	*m = merged{name: name, duration: duration, count: count, failed: failed, children: m.children[:0]}
	return m
}

func (t *Table) mergeAtomics(list []results.Atomic, into *merged, depth int) {
	for _, a := range list {
		m := into.find(a.Name)
		if m == nil {
			m = t.merged(a.Name, 0, 0, false)
			into.children = append(into.children, m)
		}
		m.duration += a.Duration
		m.count++
		if a.Failed {
			m.failed = true
		}
		if len(a.Children) > 0 && depth < depthOfProcessing {
			t.mergeAtomics(a.Children, m, depth+1)
		}
	}
}

// Add takes one iteration (Rally's MainStatsTable.add_iteration).
func (t *Table) Add(it *results.Iteration) {
	t.used = 0
	root := t.merged("", 0, 0, false)
	t.mergeAtomics(it.Atomics, root, 0)
	if n := len(root.children); n > 0 {
		if last := root.children[n-1]; it.Failed() && !last.failed {
			// The scenario failed outside any atomic action.
			root.children = append(root.children, t.merged("<no-name-action>", 0, 1, true))
		}
	}
	failed := it.Failed()
	total := t.merged("total", it.Duration+it.IdleDuration, 1, failed)
	total.children = append(total.children, t.merged("duration", it.Duration, 1, failed), t.merged("idle_duration", it.IdleDuration, 1, failed))
	root.children = append(root.children, total)
	addData(t.data, root.children, t.iters, t.tl != nil)
	if t.tl != nil {
		t.tl.Timestamps = append(t.tl.Timestamps, it.Timestamp)
		t.tl.Durations = append(t.tl.Durations, it.Duration)
		if failed {
			t.tl.Failed = append(t.tl.Failed, t.iters)
			t.tl.FailedType = append(t.tl.FailedType, it.Error[0])
		}
	}
	t.iters++
}

func addData(r *rows, items []*merged, iter int, series bool) {
	for k, m := range items {
		// The row is keyed by the display name, a function of (name,
		// count): a hint made with the same pair is the same row.
		var n *node
		if k < len(r.hint) && r.hint[k].name == m.name && r.hint[k].count == m.count {
			n = r.hint[k]
		} else {
			display := m.name
			if m.count > 1 {
				display = r.display(m.name, m.count)
			}
			n = r.get(display, m.name, m.count)
			if k < len(r.hint) {
				r.hint[k] = n
			} else if k == len(r.hint) {
				r.hint = append(r.hint, n)
			}
		}
		n.add(m.duration, m.failed, iter)
		if series && n.series == nil && cap(n.points) > 0 {
			n.series = make([]float32, 0, cap(n.points)) // sized as the samples
		}
		if series {
			n.record(m.duration, iter)
		}
		if len(m.children) > 0 {
			addData(n.children, m.children, iter, false)
		}
	}
}

// Durations finishes the table the way Rally's _get_results does: "total"
// goes last, everything before it is an atomic action.
func (t *Table) Durations() Durations {
	if _, ok := t.data.m["total"]; !ok {
		t.data.get("total", "total", 1)
	}
	order := slices.DeleteFunc(slices.Clone(t.data.order), func(s string) bool { return s == "total" })
	order = append(order, "total")
	var out []Row
	for _, name := range order {
		n := t.data.m[name]
		if t.tl != nil {
			for len(n.series) < t.iters { // absent from the last iterations
				n.series = append(n.series, float32(math.NaN()))
			}
		}
		out = append(out, n.row())
	}
	return Durations{Total: out[len(out)-1], Atomics: out[:len(out)-1]}
}

func (n *node) row() Row {
	r := Row{Name: n.name, DisplayName: n.display, CountPerIteration: n.count, Children: []Row{}}
	// Sorted in place: the table is finished, and a copy would double the
	// peak memory on a million-iteration file.
	pts := n.points
	slices.Sort(pts)
	r.Samples = pts
	r.Series = n.series
	r.Data.IterationCount = n.n
	if n.n == 0 {
		r.Data.Success = "n/a"
	} else {
		r.Data.Min = round3(n.min)
		r.Data.Max = round3(n.max)
		r.Data.Avg = round3(n.sum / float64(n.n))
		r.Data.Median = round3(Percentile(pts, 0.5))
		r.Data.P90 = round3(Percentile(pts, 0.9))
		r.Data.P95 = round3(Percentile(pts, 0.95))
		r.SuccessRate = n.success / float64(n.n)
		r.Data.Success = fmt.Sprintf("%.1f%%", r.SuccessRate*100)
	}
	for _, c := range n.children.order {
		r.Children = append(r.Children, n.children.m[c].row())
	}
	return r
}

// Percentile is rally.task.processing.utils.percentile on sorted points:
// linear interpolation between the closest ranks.
func Percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	k := float64(len(sorted)-1) * p
	f, c := math.Floor(k), math.Ceil(k)
	if f == c {
		return sorted[int(k)]
	}
	return sorted[int(f)]*(c-k) + sorted[int(c)]*(k-f)
}

// round3 is Python's round(x, 3): the correctly rounded decimal of the
// exact binary value, ties to even, which is what strconv does.
func round3(x float64) *float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 3, 64), 64)
	return &v
}

// Equal reports whether two durations documents (ours and Rally's stored
// one) carry the same rows and figures; it returns the first difference.
func EqualJSON(a, b json.RawMessage) (bool, string) {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return false, err.Error()
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return false, err.Error()
	}
	return diff("durations", x, y)
}

func diff(path string, x, y any) (bool, string) {
	switch xv := x.(type) {
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok || len(xv) != len(yv) {
			return false, fmt.Sprintf("%s: %v != %v", path, x, y)
		}
		for k := range xv {
			if ok, d := diff(path+"."+k, xv[k], yv[k]); !ok {
				return false, d
			}
		}
		return true, ""
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			return false, fmt.Sprintf("%s: length/shape %v != %v", path, x, y)
		}
		for i := range xv {
			if ok, d := diff(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i]); !ok {
				return false, d
			}
		}
		return true, ""
	default:
		if x != y {
			return false, fmt.Sprintf("%s: %v != %v", path, x, y)
		}
		return true, ""
	}
}
