package render

// The charts of the HTML page, as inline SVG: duration per iteration,
// load profile and histograms.

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/chart"
	"github.com/rallyforge/rallyforge/internal/stats"
)

// maxColumns is how many iterations the duration chart draws one by one;
// above, it draws buckets of iterations (median, min–max).
const maxColumns = 2000

// bucketCount is how many buckets a long run is cut into.
const bucketCount = 400

type column struct {
	first, last int // 1-based iterations covered
}

func columns(n int) ([]column, int) {
	if n <= maxColumns {
		out := make([]column, n)
		for i := range out {
			out[i] = column{i + 1, i + 1}
		}
		return out, 1
	}
	size := (n + bucketCount - 1) / bucketCount
	var out []column
	for first := 1; first <= n; first += size {
		out = append(out, column{first, min(first+size-1, n)})
	}
	return out, size
}

// present returns the non-NaN values of s in [first, last] (1-based) into
// buf, sorted.
func present(s []float32, c column, buf []float64) []float64 {
	buf = buf[:0]
	for i := c.first - 1; i < c.last && i < len(s); i++ {
		if v := s[i]; v == v {
			buf = append(buf, float64(v))
		}
	}
	sortFloats(buf)
	return buf
}

func (p *htmlPage) durationChart(w *stats.Workload) {
	tl := w.Timeline
	tot := w.Durations.Total.Series
	n := len(tot)
	if tl == nil || n == 0 {
		return
	}
	cols, size := columns(n)
	acts := w.Durations.Atomics
	// v[a][c]: the action's duration in the column, NaN when it did not
	// run there. A bucket shows the mean time per iteration spent in the
	// action, counting iterations without it as 0 — what Rally's zipped
	// stacked chart shows — so an action that ran in a quarter of the
	// iterations weighs a quarter, and the stack is the mean time in
	// actions per iteration.
	v := make([][]float64, len(acts))
	var buf []float64
	for a, r := range acts {
		v[a] = make([]float64, len(cols))
		for c, col := range cols {
			buf = present(r.Series, col, buf)
			v[a][c] = math.NaN()
			if len(buf) > 0 {
				sum := 0.0
				for _, x := range buf {
					sum += x
				}
				v[a][c] = sum / float64(col.last-col.first+1)
			}
		}
	}
	tmed := make([]float64, len(cols))
	tmin := make([]float64, len(cols))
	tmax := make([]float64, len(cols))
	for c, col := range cols {
		buf = present(tot, col, buf)
		tmed[c], tmin[c], tmax[c] = math.NaN(), math.NaN(), math.NaN()
		if len(buf) > 0 {
			tmed[c], tmin[c], tmax[c] = stats.Percentile(buf, 0.5), buf[0], buf[len(buf)-1]
		}
	}
	// Stack: base[a][c] is where action a starts in column c.
	base := make([][]float64, len(acts))
	top := make([]float64, len(cols))
	ymax := 0.0
	for a := range acts {
		base[a] = append([]float64(nil), top...)
		for c := range cols {
			if x := v[a][c]; x == x {
				top[c] += x
			}
		}
	}
	for c := range cols {
		ymax = math.Max(ymax, math.Max(top[c], nz(tmax[c])))
	}
	if ymax <= 0 {
		ymax = 1
	}
	unit, factor := chart.TimeUnit(ymax)
	yt := chart.Ticks(0, ymax, 5)
	yl := chart.Labels(yt, factor)
	// A bucketed run gets a strip on top: the share of failed iterations
	// per bucket (stripes behind the stack would tint a whole run that
	// fails often).
	fails := failuresPerColumn(tl, cols)
	strip := 0.0
	if size > 1 && len(tl.Failed) > 0 {
		strip = 34
	}
	fr := &chart.Frame{W: 880, H: 290 + strip, L: chart.LeftMargin(yl), R: 16, T: 14 + strip, B: 44, X0: 0.5, X1: float64(n) + 0.5, Y0: 0, Y1: yt[len(yt)-1]}
	xt := iterationTicks(n)
	var b strings.Builder
	title := "duration of each iteration, stacked by atomic action"
	if size > 1 {
		title = fmt.Sprintf("duration per bucket of %s iterations: mean time per iteration in each atomic action, stacked; total median and min–max", chart.Count(size))
	}
	chart.Open(&b, "duration", title, fr.W, fr.H)
	xTitle := fmt.Sprintf("iteration (%s in all)", chart.Count(n))
	if size > 1 {
		xTitle = fmt.Sprintf("iteration (%s in all, buckets of %s)", chart.Count(n), chart.Count(size))
	}
	fr.Axes(&b, xt, yl, xTitle, "duration ("+unit+")")
	x0 := func(c int) float64 { return fr.PX(float64(cols[c].first) - 0.5) }
	x1 := func(c int) float64 { return fr.PX(float64(cols[c].last) + 0.5) }
	if strip > 0 {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/><text class="note" x="%.1f" y="%.1f" text-anchor="end">failed</text>`,
			fr.L, fr.Top()-6, fr.W-fr.R, fr.Top()-6, fr.L-5, fr.Top()-strip/2)
	}
	// Failed iterations first, behind everything: a faint red stripe.
	for c, f := range fails {
		if f.n > 0 && strip == 0 {
			fmt.Fprintf(&b, `<rect class="failcol" x="%.1f" y="%.1f" width="%.2f" height="%.1f" fill="%s" fill-opacity="0.12"/>`,
				x0(c), fr.Top(), math.Max(x1(c)-x0(c), 0.6), fr.Bottom()-fr.Top(), chart.Fail)
		}
	}
	if size > 1 {
		// The total's spread per bucket, as a band behind the stack.
		var up, down []string
		for c := range cols {
			if tmin[c] != tmin[c] {
				continue
			}
			up = append(up, fmt.Sprintf("%.1f,%.1f %.1f,%.1f", x0(c), fr.PY(tmax[c]), x1(c), fr.PY(tmax[c])))
			down = append(down, fmt.Sprintf("%.1f,%.1f %.1f,%.1f", x1(c), fr.PY(tmin[c]), x0(c), fr.PY(tmin[c])))
		}
		for i, j := 0, len(down)-1; i < j; i, j = i+1, j-1 {
			down[i], down[j] = down[j], down[i]
		}
		fmt.Fprintf(&b, `<polygon class="band" points="%s %s"><title>total: min–max per bucket</title></polygon>`, strings.Join(up, " "), strings.Join(down, " "))
	}
	for a, r := range acts {
		col := p.colors.Of(r.DisplayName)
		for c := 0; c < len(cols); {
			if v[a][c] != v[a][c] {
				c++
				continue
			}
			e := c
			for e < len(cols) && v[a][e] == v[a][e] {
				e++
			}
			var up, down []string
			for k := c; k < e; k++ {
				y := fr.PY(base[a][k] + v[a][k])
				up = append(up, fmt.Sprintf("%.2f,%.1f %.2f,%.1f", x0(k), y, x1(k), y))
			}
			for k := e - 1; k >= c; k-- {
				y := fr.PY(base[a][k])
				down = append(down, fmt.Sprintf("%.2f,%.1f %.2f,%.1f", x1(k), y, x0(k), y))
			}
			what := fmt.Sprintf("iteration %s", chart.Count(cols[c].first))
			if e-c > 1 || size > 1 {
				what = fmt.Sprintf("iterations %s–%s", chart.Count(cols[c].first), chart.Count(cols[e-1].last))
			}
			fmt.Fprintf(&b, `<polygon class="area" fill="%s" fill-opacity="0.85" points="%s %s"><title>%s, %s</title></polygon>`,
				col, strings.Join(up, " "), strings.Join(down, " "), esc(r.DisplayName), what)
			c = e
		}
	}
	// The total (duration + idle) as a step line over the stack.
	var line []string
	for c := range cols {
		if tmed[c] == tmed[c] {
			y := fr.PY(tmed[c])
			line = append(line, fmt.Sprintf("%.2f,%.1f %.2f,%.1f", x0(c), y, x1(c), y))
		}
	}
	totalName := "total"
	if size > 1 {
		totalName = "total, median per bucket"
	}
	fmt.Fprintf(&b, `<polyline class="total" stroke-width="1.3" points="%s"><title>%s</title></polyline>`, strings.Join(line, " "), totalName)
	// Failure marks: a red triangle above each failed iteration; for a
	// bucketed run, a bar in the top strip as tall as the bucket's share
	// of failed iterations.
	for c, f := range fails {
		if f.n == 0 {
			continue
		}
		if strip > 0 {
			of := cols[c].last - cols[c].first + 1
			h := math.Max((strip-10)*float64(f.n)/float64(of), 1)
			fmt.Fprintf(&b, `<rect class="fail" x="%.2f" y="%.1f" width="%.2f" height="%.1f" fill="%s"><title>iterations %s–%s: %s of %s failed (%s)</title></rect>`,
				x0(c), fr.Top()-6-h, math.Max(x1(c)-x0(c)-0.3, 0.5), h, chart.Fail, chart.Count(cols[c].first), chart.Count(cols[c].last), chart.Count(f.n), chart.Count(of), esc(f.names()))
			continue
		}
		x := (x0(c) + x1(c)) / 2
		y := fr.PY(math.Max(top[c], nz(tmax[c]))) - 3
		fmt.Fprintf(&b, `<path class="fail" d="M%.1f,%.1f l-4,-7 h8 z" fill="%s"><title>iteration %s failed: %s</title></path>`, x, y, chart.Fail, chart.Count(cols[c].first), esc(f.names()))
	}
	b.WriteString("</svg>")
	var leg [][2]string
	for _, r := range acts {
		leg = append(leg, [2]string{r.DisplayName, p.colors.Of(r.DisplayName)})
	}
	leg = append(leg, [2]string{totalName + " (duration + idle)", "currentColor"})
	if size > 1 {
		leg = append(leg, [2]string{"total, min–max per bucket", "rgba(128,128,128,.35)"})
	}
	switch {
	case strip > 0:
		leg = append(leg, [2]string{"share of failed iterations per bucket", chart.Fail})
	case len(tl.Failed) > 0:
		leg = append(leg, [2]string{"failed iteration", chart.Fail})
	}
	p.f("<figure class=\"wide\"><figcaption>Duration per iteration</figcaption>\n%s\n", b.String())
	legend(&p.b, leg)
	p.s("</figure>\n")
}

func legend(w *bytes.Buffer, entries [][2]string) {
	var b strings.Builder
	chart.Legend(&b, entries)
	w.WriteString(b.String())
}

func nz(v float64) float64 {
	if v != v {
		return 0
	}
	return v
}

// colFailures is what failed in one column: how many, and the error
// types in order of appearance with their counts.
type colFailures struct {
	n     int
	types []string
	count map[string]int
}

// failuresPerColumn gathers the failures of each column in one pass (both
// the failures and the columns are in iteration order).
func failuresPerColumn(tl *stats.Timeline, cols []column) []colFailures {
	out := make([]colFailures, len(cols))
	c := 0
	for k, i := range tl.Failed {
		for c < len(cols) && cols[c].last < i+1 {
			c++
		}
		if c == len(cols) {
			break
		}
		f := &out[c]
		f.n++
		t := tl.FailedType[k]
		if f.count == nil {
			f.count = map[string]int{}
		}
		if f.count[t] == 0 {
			f.types = append(f.types, t)
		}
		f.count[t]++
	}
	return out
}

// names names the error types failing in a column, with counts when there
// are several.
func (f colFailures) names() string {
	if len(f.types) == 1 && f.n == 1 {
		return f.types[0]
	}
	var parts []string
	for _, t := range f.types {
		parts = append(parts, fmt.Sprintf("%s × %s", chart.Count(f.count[t]), t))
	}
	return strings.Join(parts, ", ")
}

// iterationTicks: nice integer ticks from 1 to n.
func iterationTicks(n int) []chart.Tick {
	if n <= 1 {
		return []chart.Tick{{V: 1, Label: "1"}}
	}
	step := math.Max(1, chart.NiceStep(float64(n), 8))
	out := []chart.Tick{{V: 1, Label: "1"}}
	for v := step; v <= float64(n); v += step {
		if v-1 < step*0.4 {
			continue
		}
		out = append(out, chart.Tick{V: v, Label: chart.Count(int(v))})
	}
	return out
}

func (p *htmlPage) loadChart(w *stats.Workload) {
	tl := w.Timeline
	if tl == nil || len(tl.Timestamps) == 0 {
		return
	}
	// The iterations' span; when load_duration is missing, or shorter
	// than the iterations run (where Rally's chart raises IndexError), the
	// profile is drawn over the span instead, and says so.
	span := 0.0
	for i, ts := range tl.Timestamps {
		span = math.Max(span, ts-tl.Timestamps[0]+tl.Durations[i])
	}
	ld, note := w.LoadDuration, ""
	if ld <= 0 || span > ld*(1+2.0/loadProfileScale) {
		if ld > 0 {
			note = fmt.Sprintf(" <span class=\"muted\">· over the iterations' %s: the file's load_duration (%s) is shorter</span>", esc(chart.Seconds(span)), esc(chart.Seconds(ld)))
		}
		ld = span
	}
	axis, running := LoadProfile(tl, ld)
	if len(axis) < 2 {
		return
	}
	ymax := 0.0
	for _, r := range running {
		ymax = math.Max(ymax, r)
	}
	yt := chart.Ticks(0, math.Max(ymax, 1), 4)
	xt := chart.Ticks(0, axis[len(axis)-1], 6)
	unit, factor := "s", 1.0
	if axis[len(axis)-1] < 1 {
		unit, factor = "ms", 1000
	}
	yl := chart.Labels(yt, 1)
	fr := &chart.Frame{W: 430, H: 230, L: chart.LeftMargin(yl), R: 14, T: 12, B: 44, X0: 0, X1: xt[len(xt)-1], Y0: 0, Y1: yt[len(yt)-1]}
	var b strings.Builder
	chart.Open(&b, "load", "load profile: iterations running at once over time", fr.W, fr.H)
	fr.Axes(&b, chart.Labels(xt, factor), yl, "time since the first iteration ("+unit+")", "iterations running")
	pts := make([]string, 0, len(axis)+2)
	pts = append(pts, fmt.Sprintf("%.1f,%.1f", fr.PX(axis[0]), fr.PY(0)))
	for i := range axis {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", fr.PX(axis[i]), fr.PY(running[i])))
	}
	line := strings.Join(pts[1:], " ")
	pts = append(pts, fmt.Sprintf("%.1f,%.1f", fr.PX(axis[len(axis)-1]), fr.PY(0)))
	fmt.Fprintf(&b, `<polygon class="area" fill="%s" fill-opacity="0.35" points="%s"/>`, chart.Palette[0], strings.Join(pts, " "))
	fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"><title>iterations running (Rally's load profile, %d steps of %s)</title></polyline>`,
		chart.Palette[0], line, len(axis)-1, chart.Seconds(axis[1]-axis[0]))
	if w.Concurrency > 0 {
		y := fr.PY(float64(w.Concurrency))
		fmt.Fprintf(&b, `<line class="axis" stroke-dasharray="4 3" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/><text class="note" x="%.1f" y="%.1f" text-anchor="end">concurrency %d</text>`,
			fr.L, y, fr.W-fr.R, y, fr.W-fr.R-2, y-3, w.Concurrency)
	}
	b.WriteString("</svg>")
	p.f("<figure><figcaption>Load profile%s</figcaption>\n%s</figure>\n", note, b.String())
}

// Bins is the histogram rule: Freedman–Diaconis (bin width 2·IQR·n^(-1/3))
// rounded to a nice width, Sturges' count when the IQR is 0, and never
// more than 60 bins, 2√n bins, nor more bins than samples. sorted must be
// sorted.
func Bins(sorted []float64) (start, width float64, n int) {
	k := len(sorted)
	if k == 0 {
		return 0, 0, 0
	}
	lo, hi := sorted[0], sorted[k-1]
	span := hi - lo
	if span <= 0 {
		w := chart.NiceStep(math.Max(math.Abs(lo), 1e-3)/5, 1)
		return math.Floor(lo/w) * w, w, 1
	}
	iqr := stats.Percentile(sorted, 0.75) - stats.Percentile(sorted, 0.25)
	var w float64
	if iqr > 0 {
		w = 2 * iqr / math.Cbrt(float64(k))
	} else {
		w = span / (math.Ceil(math.Log2(float64(k))) + 1)
	}
	// Few samples spread over many bins read as noise: at most twice the
	// square root of the sample size (Rally offers √n among its views).
	maxBins := min(60, k, max(5, int(math.Ceil(2*math.Sqrt(float64(k))))))
	w = nearestNice(w)
	for {
		start = math.Floor(lo/w+1e-9) * w
		n = int(math.Floor((hi-start)/w+1e-9)) + 1
		if n <= maxBins {
			return start, w, n
		}
		w = chart.NiceStep(w*1.5, 1)
	}
}

// nearestNice is the 1, 2 or 5 × 10^k closest to v (on a log scale).
func nearestNice(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	best := p
	for _, m := range []float64{2, 5, 10} {
		if math.Abs(math.Log(m*p/v)) < math.Abs(math.Log(best/v)) {
			best = m * p
		}
	}
	return best
}

func (p *htmlPage) histograms(w *stats.Workload) {
	rows := append(append([]stats.Row{}, w.Durations.Atomics...), w.Durations.Total)
	for _, r := range rows {
		if len(r.Samples) == 0 {
			continue
		}
		col := "currentColor"
		if r.Name != "total" {
			col = p.colors.Of(r.DisplayName)
		}
		start, width, nb := Bins(r.Samples)
		counts := make([]int, nb)
		for _, v := range r.Samples {
			i := min(int(math.Floor((v-start)/width+1e-9)), nb-1)
			counts[max(i, 0)]++
		}
		cmax := 0
		for _, c := range counts {
			cmax = max(cmax, c)
		}
		yt := chart.Ticks(0, float64(cmax), 4)
		if len(yt) > 1 && yt[1]-yt[0] < 1 { // counts are whole
			yt = chart.Ticks(0, math.Max(float64(cmax), 1), 1)
		}
		end := start + width*float64(nb)
		unit, factor := chart.TimeUnit(end)
		xt := chart.Ticks(start, end, 5)
		yl := chart.Labels(yt, 1)
		fr := &chart.Frame{W: 430, H: 230, L: chart.LeftMargin(yl), R: 14, T: 12, B: 44, X0: xt[0], X1: xt[len(xt)-1], Y0: 0, Y1: yt[len(yt)-1]}
		var b strings.Builder
		chart.Open(&b, "histogram", "distribution of "+r.DisplayName+" durations", fr.W, fr.H)
		fr.Axes(&b, chart.Labels(xt, factor), yl, r.DisplayName+" ("+unit+")", "iterations")
		for i, c := range counts {
			if c == 0 {
				continue
			}
			a, z := start+width*float64(i), start+width*float64(i+1)
			x0, x1 := fr.PX(a), fr.PX(z)
			y := fr.PY(float64(c))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.85"><title>%s – %s: %s iteration%s</title></rect>`,
				x0+0.5, y, math.Max(x1-x0-1, 0.8), fr.Bottom()-y, col, esc(chart.Seconds(a)), esc(chart.Seconds(z)), chart.Count(c), plural(c))
		}
		b.WriteString("</svg>")
		p.f("<figure><figcaption>Distribution: %s <span class=\"muted\">· %s samples, %d bin%s of %s</span></figcaption>\n%s</figure>\n",
			esc(r.DisplayName), chart.Count(len(r.Samples)), nb, plural(nb), esc(chart.Seconds(width)), b.String())
	}
}

func sortFloats(v []float64) { slices.Sort(v) }
