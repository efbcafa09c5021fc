package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/rallyforge/rallyforge/internal/results"
	"github.com/rallyforge/rallyforge/internal/stats"
)

// Series is one row's samples (an atomic action, a nested one as
// "parent > child", or "total").
type Series struct {
	Name    string    `json:"name"`
	Samples []float64 `json:"-"` // sorted
}

// Workload is what compare needs of a workload.
type Workload struct {
	Scenario   string              `json:"scenario"`
	Ordinal    int                 `json:"ordinal"` // n-th workload of this scenario in its run
	Iterations int                 `json:"iterations"`
	Failed     int                 `json:"failed"`
	Errors     map[string]int      `json:"errors"`
	SLA        []results.SLAResult `json:"sla"`
	Series     []Series            `json:"-"`
}

// Key matches workloads across runs: scenario and its occurrence, not a
// hash of the whole config (a changed argument still compares).
func (w *Workload) Key() string { return fmt.Sprintf("%s#%d", w.Scenario, w.Ordinal) }

// FromFiles turns summarised results into comparable workloads.
func FromFiles(files []*stats.File) []*Workload {
	var out []*Workload
	seen := map[string]int{}
	for _, f := range files {
		for _, w := range f.Workloads {
			cw := &Workload{Scenario: w.Scenario, Ordinal: seen[w.Scenario], Iterations: w.Iterations,
				Failed: w.Failed, Errors: map[string]int{}, SLA: w.SLA}
			seen[w.Scenario]++
			for _, e := range w.Errors {
				cw.Errors[e.Type] = e.Count
			}
			var walk func(prefix string, r stats.Row)
			walk = func(prefix string, r stats.Row) {
				name := prefix + r.DisplayName
				if r.Data.IterationCount > 0 {
					cw.Series = append(cw.Series, Series{Name: name, Samples: r.Samples})
				}
				for _, c := range r.Children {
					walk(name+" > ", c)
				}
			}
			for _, a := range w.Durations.Atomics {
				walk("", a)
			}
			walk("", stats.Row{DisplayName: "total", Data: w.Durations.Total.Data, Samples: w.Durations.Total.Samples})
			out = append(out, cw)
		}
	}
	return out
}

// Defaults are the CLI's defaults. alpha is 0.01 rather than 0.05 because
// compare runs on every change of a project: at 0.05 about one clean run in
// thirty raises an alarm (measured: 2.6-3.2 % on the sample reports), at
// 0.01 well under one in a hundred, and a 20 % slow-down at 50 iterations
// is still caught every time.
var Defaults = Options{Threshold: 0.10, Alpha: 0.01}

// Options are the decision thresholds.
type Options struct {
	Threshold float64 `json:"threshold"` // relative median change that matters, e.g. 0.10
	Alpha     float64 `json:"alpha"`     // significance level of the one-sided test
}

// Change is one row's comparison.
type Change struct {
	Name         string  `json:"name"`
	BaseN        int     `json:"base_n"`
	NewN         int     `json:"new_n"`
	BaseMedian   float64 `json:"base_median"`
	NewMedian    float64 `json:"new_median"`
	MedianChange float64 `json:"median_change"` // relative, 0.2 = +20 %
	BaseP95      float64 `json:"base_p95"`
	NewP95       float64 `json:"new_p95"`
	P95Change    float64 `json:"p95_change"`
	// Shift is how much slower NEW is than BASE, relative (0.2 = 20 %
	// slower): the Hodges-Lehmann estimate that goes with the Mann-Whitney
	// test, the median of every pairwise ratio new/base. The verdict uses
	// it rather than the change of medians, which jumps between modes on
	// short runs: with two base iterations at 0.15 s and 0.35 s, a 20 %
	// slow-down can show as a median change of -47 %.
	Shift   float64 `json:"shift"`
	PSlower float64 `json:"p_slower"` // one-sided Mann-Whitney p, new slower
	PFaster float64 `json:"p_faster"`
	Verdict string  `json:"verdict"` // regression | improvement | unchanged
}

// WorkloadDiff is one matched (or unmatched) workload.
type WorkloadDiff struct {
	Key         string   `json:"key"`
	Status      string   `json:"status"` // matched | only-base | only-new
	Changes     []Change `json:"changes,omitempty"`
	NewFailures []string `json:"new_failures,omitempty"` // error types absent from base
	BaseFailed  int      `json:"base_failed"`
	NewFailed   int      `json:"new_failed"`
	SLAChanges  []string `json:"sla_changes,omitempty"`
	Regression  bool     `json:"regression"`
}

// Result is the whole comparison.
type Result struct {
	Options    Options         `json:"options"`
	Workloads  []*WorkloadDiff `json:"workloads"`
	Regression bool            `json:"regression"`
}

func rel(a, b float64) float64 {
	if a == 0 {
		if b == 0 {
			return 0
		}
		return 1
	}
	return (b - a) / a
}

// Compare matches workloads and judges each row.
func Compare(base, cur []*Workload, o Options) *Result {
	res := &Result{Options: o}
	baseBy := map[string]*Workload{}
	for _, w := range base {
		baseBy[w.Key()] = w
	}
	matched := map[string]bool{}
	for _, nw := range cur {
		d := &WorkloadDiff{Key: nw.Key(), NewFailed: nw.Failed}
		bw := baseBy[nw.Key()]
		if bw == nil {
			d.Status = "only-new"
			res.Workloads = append(res.Workloads, d)
			continue
		}
		matched[nw.Key()] = true
		d.Status, d.BaseFailed = "matched", bw.Failed
		bs := map[string][]float64{}
		for _, s := range bw.Series {
			bs[s.Name] = s.Samples
		}
		for _, s := range nw.Series {
			x, ok := bs[s.Name]
			if !ok || len(x) == 0 || len(s.Samples) == 0 {
				continue
			}
			c := Change{Name: s.Name, BaseN: len(x), NewN: len(s.Samples),
				BaseMedian: stats.Percentile(x, 0.5), NewMedian: stats.Percentile(s.Samples, 0.5),
				BaseP95: stats.Percentile(x, 0.95), NewP95: stats.Percentile(s.Samples, 0.95),
				PSlower: MannWhitneyGreater(x, s.Samples), PFaster: MannWhitneyGreater(s.Samples, x),
				Verdict: "unchanged"}
			c.MedianChange, c.P95Change = rel(c.BaseMedian, c.NewMedian), rel(c.BaseP95, c.NewP95)
			c.Shift = shift(x, s.Samples, c.MedianChange)
			d.Changes = append(d.Changes, c)
		}
		for typ := range nw.Errors {
			if bw.Errors[typ] == 0 {
				d.NewFailures = append(d.NewFailures, typ)
				d.Regression = true
			}
		}
		slices.Sort(d.NewFailures)
		was := map[string]bool{}
		for _, s := range bw.SLA {
			was[s.Criterion] = s.Success
		}
		for _, s := range nw.SLA {
			old, ok := was[s.Criterion]
			switch {
			case ok && old && !s.Success:
				d.SLAChanges = append(d.SLAChanges, s.Criterion+": PASS → FAIL")
				d.Regression = true
			case ok && !old && s.Success:
				d.SLAChanges = append(d.SLAChanges, s.Criterion+": FAIL → PASS")
			case !ok && !s.Success:
				d.SLAChanges = append(d.SLAChanges, s.Criterion+": new criterion FAILS")
				d.Regression = true
			}
		}
		res.Workloads = append(res.Workloads, d)
	}
	judge(res, o)
	for _, bw := range base {
		if !matched[bw.Key()] {
			res.Workloads = append(res.Workloads, &WorkloadDiff{Key: bw.Key(), Status: "only-base", BaseFailed: bw.Failed})
		}
	}
	return res
}

// judge gives each row its verdict. A row is a regression when it is both
// significant and large enough to matter: the test alone flags tiny shifts
// on long runs, the threshold alone flags noise on short ones. Every row of
// every workload is one more test, so significance is judged with Holm's
// step-down correction over the whole comparison; without it a task with
// a dozen atomic actions would raise false alarms several times as often
// as --alpha says.
func judge(res *Result, o Options) {
	var all []*Change
	for _, d := range res.Workloads {
		for i := range d.Changes {
			all = append(all, &d.Changes[i])
		}
	}
	slower := holm(all, o.Alpha, func(c *Change) float64 { return c.PSlower })
	faster := holm(all, o.Alpha, func(c *Change) float64 { return c.PFaster })
	for i, c := range all {
		switch {
		case slower[i] && c.Shift > o.Threshold:
			c.Verdict = "regression"
		case faster[i] && c.Shift < -o.Threshold:
			c.Verdict = "improvement"
		}
	}
	for _, d := range res.Workloads {
		for _, c := range d.Changes {
			if c.Verdict == "regression" {
				d.Regression = true
			}
		}
		res.Regression = res.Regression || d.Regression
	}
}

// maxPairs bounds the pairwise ratios shift computes and sorts exactly
// (2 MB, about 20 ms). Beyond it both samples are long enough for their medians to be
// stable, and the change of medians is the estimate.
const maxPairs = 250_000

// shift is the relative Hodges-Lehmann shift of y over x on the log scale:
// exp(median of log(y_j/x_i)) - 1. Latencies scale rather than add, so the
// ratio is the natural pairing; it is exact for a uniform slow-down of a
// sample with several modes. A duration of zero (an action too quick for
// the timer) has no ratio: then, and for long samples, medianChange is it.
func shift(x, y []float64, medianChange float64) float64 {
	if len(x)*len(y) > maxPairs {
		return medianChange
	}
	logs := make([]float64, 0, len(x)*len(y))
	for _, b := range x {
		for _, n := range y {
			if b <= 0 || n <= 0 {
				return medianChange
			}
			logs = append(logs, math.Log(n/b))
		}
	}
	slices.Sort(logs)
	return math.Exp(stats.Percentile(logs, 0.5)) - 1
}

// holm returns which hypotheses Holm-Bonferroni rejects at level alpha.
func holm(cs []*Change, alpha float64, p func(*Change) float64) []bool {
	idx := make([]int, len(cs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p(cs[a]), p(cs[b])) })
	out := make([]bool, len(cs))
	m := len(cs)
	for rank, i := range idx {
		if p(cs[i]) >= alpha/float64(m-rank) {
			break
		}
		out[i] = true
	}
	return out
}
