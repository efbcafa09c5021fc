package compare

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/results"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// bruteUpper enumerates every split: an independent check of the DP.
func bruteUpper(x, y []float64) float64 {
	all := append(append([]float64{}, y...), x...)
	n, k := len(all), len(y)
	u := func(idx []bool) float64 {
		var s float64
		for i := range n {
			if !idx[i] {
				continue
			}
			for j := range n {
				if idx[j] {
					continue
				}
				if all[i] > all[j] {
					s++
				} else if all[i] == all[j] {
					s += 0.5
				}
			}
		}
		return s
	}
	obs := make([]bool, n)
	for i := range k {
		obs[i] = true
	}
	uobs := u(obs)
	var tot, up float64
	for m := 0; m < 1<<n; m++ {
		idx := make([]bool, n)
		c := 0
		for i := range n {
			if m>>i&1 == 1 {
				idx[i] = true
				c++
			}
		}
		if c != k {
			continue
		}
		tot++
		if u(idx) >= uobs-1e-9 {
			up++
		}
	}
	return up / tot
}

func TestMannWhitneyExact(t *testing.T) {
	if p := MannWhitneyGreater([]float64{1, 2, 3}, []float64{4, 5, 6}); math.Abs(p-0.05) > 1e-12 {
		t.Errorf("p = %v, want 1/20", p)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 30 {
		x := make([]float64, 1+r.IntN(6))
		y := make([]float64, 1+r.IntN(6))
		for i := range x {
			x[i] = float64(r.IntN(5)) // many ties
		}
		for i := range y {
			y[i] = float64(r.IntN(6))
		}
		if got, want := MannWhitneyGreater(x, y), bruteUpper(x, y); math.Abs(got-want) > 1e-9 {
			t.Fatalf("%v %v: p = %v, brute force %v", x, y, got, want)
		}
	}
}

// The normal approximation must agree with the exact distribution where
// both apply (n = 8..10 each, with ties).
func TestMannWhitneyApprox(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		x, y := make([]float64, 8+r.IntN(3)), make([]float64, 8+r.IntN(3))
		for i := range x {
			x[i] = float64(r.IntN(12))
		}
		for i := range y {
			y[i] = float64(r.IntN(14))
		}
		approx := MannWhitneyGreater(x, y)
		exact := bruteUpperFast(x, y)
		if math.Abs(approx-exact) > 0.02 {
			t.Errorf("%v %v: approx %v exact %v", x, y, approx, exact)
		}
	}
}

// bruteUpperFast uses the DP (itself checked against brute force above).
func bruteUpperFast(x, y []float64) float64 {
	all := append(append([]float64{}, y...), x...)
	rank2 := make([]int, len(all))
	obs := 0
	for i, v := range all {
		lt, eq := 0, 0
		for _, w := range all {
			if w < v {
				lt++
			} else if w == v {
				eq++
			}
		}
		rank2[i] = 2*lt + eq + 1
		if i < len(y) {
			obs += rank2[i]
		}
	}
	return exactUpper(rank2, len(y), obs)
}

// capture keeps copies of every iteration of every workload.
type capture struct {
	its map[int][]results.Iteration
	ws  []*results.Workload
}

func (c *capture) Iteration(w int, it *results.Iteration) error {
	c.its[w] = append(c.its[w], *it)
	return nil
}
func (c *capture) Workload(w *results.Workload) error { c.ws = append(c.ws, w); return nil }

type realWorkload struct {
	w   *results.Workload
	its []results.Iteration
}

func realData(t *testing.T) []realWorkload {
	files, _ := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "*.report.json"))
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	var out []realWorkload
	for _, f := range files {
		c := &capture{its: map[int][]results.Iteration{}}
		if _, err := results.ReadFile(f, c); err != nil {
			t.Fatal(err)
		}
		for _, w := range c.ws {
			out = append(out, realWorkload{w, c.its[w.Index]})
		}
	}
	return out
}

func scale(a []results.Atomic, k float64) []results.Atomic {
	out := make([]results.Atomic, len(a))
	for i, x := range a {
		out[i] = x
		out[i].Duration *= k
		out[i].Children = scale(x.Children, k)
	}
	return out
}

// resample draws n iterations with replacement and slows them by factor k.
func resample(r *rand.Rand, rw realWorkload, n int, k float64) []*Workload {
	c := stats.NewCollector()
	for range n {
		it := rw.its[r.IntN(len(rw.its))]
		it.Duration *= k
		it.IdleDuration *= k
		it.Atomics = scale(it.Atomics, k)
		c.Iteration(rw.w.Index, &it)
	}
	w := *rw.w
	c.Workload(&w)
	return FromFiles([]*stats.File{{Workloads: c.Workloads()}})
}

var defaults = Defaults

func TestSlowdownFlagged(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	data := realData(t)
	for _, rw := range data {
		caught := 0
		for range 200 {
			if Compare(resample(r, rw, 50, 1), resample(r, rw, 50, 1.2), defaults).Regression {
				caught++
			}
		}
		t.Logf("%s: 20%% slow-down caught in %d/200", rw.w.Scenario, caught)
		if caught < 180 { // power ≥ 90 %
			t.Errorf("%s: 20%% slow-down caught in only %d of 200 trials", rw.w.Scenario, caught)
		}
		res := Compare(resample(r, rw, 50, 1), resample(r, rw, 50, 1.2), defaults)
		if !res.Regression {
			t.Errorf("%s: 20%% slow-down at 50 iterations not flagged: %+v", rw.w.Scenario, res.Workloads[0].Changes)
			continue
		}
		var total *Change
		for i, c := range res.Workloads[0].Changes {
			if c.Name == "total" {
				total = &res.Workloads[0].Changes[i]
			}
		}
		if total == nil || total.Verdict != "regression" {
			t.Errorf("%s: total row not a regression: %+v", rw.w.Scenario, total)
		}
	}
}

func TestSameDistributionRarelyFlagged(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	data := realData(t)
	for _, rw := range data {
		flagged := 0
		for range 200 {
			if Compare(resample(r, rw, 50, 1), resample(r, rw, 50, 1), defaults).Regression {
				flagged++
			}
		}
		t.Logf("%s: %d/200 false alarms", rw.w.Scenario, flagged)
		if flagged > 10 {
			t.Errorf("%s: %d of 200 resamples of one distribution flagged (> 5%%)", rw.w.Scenario, flagged)
		}
	}
}

// Two modes, a uniform 20 % slow-down: the medians of short samples land
// on different modes (median change -47 %), the pairwise-ratio shift is
// the slow-down itself.
func TestShiftAcrossModes(t *testing.T) {
	base := []float64{0.15, 0.15, 0.15, 0.345, 0.345, 0.345, 0.345}
	cur := []float64{0.18, 0.18, 0.18, 0.18, 0.414, 0.414, 0.414}
	mc := rel(stats.Percentile(base, 0.5), stats.Percentile(cur, 0.5))
	if mc > -0.4 {
		t.Fatalf("median change %.2f; the example should mislead the medians", mc)
	}
	if got := shift(base, cur, mc); math.Abs(got-0.2) > 1e-9 {
		t.Errorf("shift = %.4f, want 0.2000", got)
	}
	// A zero duration has no ratio: the change of medians stands in.
	if got := shift([]float64{0, 1}, []float64{1, 2}, 0.5); got != 0.5 {
		t.Errorf("shift with a zero duration = %v, want the median change", got)
	}
}
