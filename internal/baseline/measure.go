package baseline

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rallyforge/rallyforge/internal/results"
	"github.com/rallyforge/rallyforge/internal/stats"
)

// measured is one workload of the results: for each top-level atomic
// action, the durations of its runs in successful iterations. That is
// exactly what Rally's max_avg_duration_per_atomic SLA averages
// (rally/plugins/task/sla/max_average_duration_per_atomic.py: iterations
// with an error are skipped, nested actions are not looked at, each run of
// an action repeated in an iteration counts on its own).
type measured struct {
	Scenario   string
	Ordinal    int // n-th workload of this scenario in the file
	Iterations int
	Failed     int
	names      []string // first-seen order
	samples    map[string][]float64
}

func (m *measured) key() string { return fmt.Sprintf("%s#%d", m.Scenario, m.Ordinal) }

type collector struct {
	by    map[int]*measured
	order []int
}

func (c *collector) get(i int) *measured {
	m := c.by[i]
	if m == nil {
		m = &measured{samples: map[string][]float64{}}
		c.by[i] = m
	}
	return m
}

func (c *collector) Iteration(w int, it *results.Iteration) error {
	m := c.get(w)
	m.Iterations++
	if it.Failed() {
		m.Failed++
		return nil
	}
	for _, a := range it.Atomics {
		if _, ok := m.samples[a.Name]; !ok {
			m.names = append(m.names, a.Name)
		}
		m.samples[a.Name] = append(m.samples[a.Name], a.Duration)
	}
	return nil
}

func (c *collector) Workload(w *results.Workload) error {
	c.get(w.Index).Scenario = w.Scenario
	c.order = append(c.order, w.Index)
	return nil
}

// measure reads a results file (either format) into its workloads, keyed
// as compare keys them: scenario and occurrence.
func measure(path string) ([]*measured, error) {
	c := &collector{by: map[int]*measured{}}
	if _, err := results.ReadFile(path, c); err != nil {
		return nil, err
	}
	slices.Sort(c.order)
	seen := map[string]int{}
	var out []*measured
	for _, i := range c.order {
		m := c.by[i]
		m.Ordinal = seen[m.Scenario]
		seen[m.Scenario]++
		out = append(out, m)
	}
	return out, nil
}

// Threshold is one atomic action's SLA value and where it came from.
type Threshold struct {
	Atomic string  `json:"atomic"`
	Value  float64 `json:"value"` // written into the task
	Text   string  `json:"-"`     // Value as written
	Basis  float64 `json:"basis"` // the statistic the margin multiplied
	Mean   float64 `json:"mean"`  // what Rally's SLA compares with Value
	N      int     `json:"samples"`
	// Passes tells whether the SLA holds on the measured results
	// themselves (mean ≤ value); false only with a small margin on a low
	// percentile.
	Passes bool `json:"passes_on_measured"`
}

// minThreshold keeps a threshold of an action that took no measurable
// time from being 0, which any later run would exceed.
const minThreshold = 0.001

func thresholds(m *measured, o Options) []Threshold {
	var out []Threshold
	for _, name := range m.names {
		xs := slices.Clone(m.samples[name])
		slices.Sort(xs)
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		mean := sum / float64(len(xs))
		basis := mean
		if !o.Mean {
			basis = stats.Percentile(xs, o.Percentile/100)
		}
		v, text := roundUp(o.Margin * basis)
		out = append(out, Threshold{Atomic: name, Value: v, Text: text, Basis: basis, Mean: mean, N: len(xs), Passes: mean <= v})
	}
	return out
}

// roundUp rounds x up to two significant digits (0.1851 → 0.19, 1.23 →
// 1.3, 123 → 130): readable in a task file and never below the product of
// margin and statistic. Values below minThreshold become minThreshold.
func roundUp(x float64) (float64, string) {
	if !(x > minThreshold) {
		return minThreshold, strconv.FormatFloat(minThreshold, 'f', -1, 64)
	}
	d := 1 - int(math.Floor(math.Log10(x))) // decimals that keep 2 digits
	// The epsilon keeps an exact 0.18 (0.18*100 = 18.000000000000004)
	// from becoming 0.19.
	if d <= 0 {
		scale := math.Pow10(-d)
		v := math.Ceil(x/scale-1e-9) * scale
		return v, strconv.FormatFloat(v, 'f', 0, 64)
	}
	scale := math.Pow10(d)
	v := math.Ceil(x*scale-1e-9) / scale
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	v, _ = strconv.ParseFloat(s, 64)
	return v, s
}
