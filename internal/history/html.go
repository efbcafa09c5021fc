package history

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"time"

	"github.com/rallyforge/rallyforge/internal/termsafe"

	"github.com/rallyforge/rallyforge/internal/chart"
	"github.com/rallyforge/rallyforge/internal/jsonout"
)

// TrendsOptions say what the trends page marks.
type TrendsOptions struct {
	// BaselineTag and Last mark the runs compare --baseline-tag TAG
	// --last N takes as its baseline: the last N runs with the tag.
	BaselineTag string
	Last        int
}

// TrendsHTML writes one self-contained page (inline SVG, no script, no
// URL): a table of the runs, then one chart per workload over the runs in
// order, labelled with each run's date and tag: the median of each
// top-level atomic action and of the total (with the total's 95th
// percentile dashed), the failure rate below, and the baseline runs
// shaded.
func TrendsHTML(w io.Writer, pts []Point, opt TrendsOptions) error {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<meta name=\"color-scheme\" content=\"light dark\"/>\n<title>Rally trends</title>\n<style>")
	b.WriteString(chart.CSS)
	b.WriteString("</style>\n</head>\n<body>\n<h1>Rally trends</h1>\n")
	if len(pts) == 0 {
		b.WriteString("<p>No runs stored.</p>\n</body>\n</html>\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	runs := runsOf(pts)
	base := baselineRuns(runs, opt)
	fmt.Fprintf(&b, "<p class=\"meta\">%d run%s from %s to %s", len(runs), plural(len(runs)), esc(runs[0].date), esc(runs[len(runs)-1].date))
	if opt.BaselineTag != "" {
		if len(base) == 0 {
			fmt.Fprintf(&b, " · no run tagged %s for a baseline", esc(opt.BaselineTag))
		} else {
			fmt.Fprintf(&b, " · baseline (shaded): the last %d run%s tagged %s", len(base), plural(len(base)), esc(opt.BaselineTag))
		}
	}
	b.WriteString("</p>\n")
	var colors chart.Colors
	// Workloads in order of their key; actions in stored order, total last.
	type wl struct {
		key     string
		actions []string
		pts     map[string]map[int64]Point // action → run → point
	}
	var wls []*wl
	byKey := map[string]*wl{}
	for _, p := range pts {
		x := byKey[p.Workload]
		if x == nil {
			x = &wl{key: p.Workload, pts: map[string]map[int64]Point{}}
			byKey[p.Workload] = x
			wls = append(wls, x)
		}
		if x.pts[p.Action] == nil {
			x.pts[p.Action] = map[int64]Point{}
			if p.Action != "total" && !strings.Contains(p.Action, " > ") {
				x.actions = append(x.actions, p.Action)
			}
		}
		x.pts[p.Action][p.RunID] = p
	}
	for _, x := range wls {
		for _, a := range x.actions {
			colors.Of(a)
		}
	}
	// The summary: per workload its latest run against the baseline (or
	// the first run when no baseline is marked).
	ref := "first run"
	if len(base) > 0 {
		ref = "baseline"
	}
	fmt.Fprintf(&b, "<h2>Workloads</h2>\n<table class=\"summary\"><thead><tr><th class=\"l\">workload</th><th>runs</th><th>%s median (s)</th><th>latest median (s)</th><th>change</th><th>latest failed</th></tr></thead><tbody>\n", ref)
	for i, x := range wls {
		tot := x.pts["total"]
		var latest, first *Point
		var baseMed []float64
		for _, r := range runs {
			p, ok := tot[r.id]
			if !ok {
				continue
			}
			if first == nil {
				first = &p
			}
			latest = &p
			if base[r.id] {
				baseMed = append(baseMed, p.Median)
			}
		}
		if latest == nil {
			fmt.Fprintf(&b, "<tr><td class=\"l\"><a href=\"#t%d\">%s</a></td><td>0</td><td></td><td></td><td></td><td></td></tr>\n", i+1, esc(x.key))
			continue
		}
		refMed := first.Median
		if len(base) > 0 {
			refMed = math.NaN()
			if len(baseMed) > 0 {
				slices.Sort(baseMed)
				refMed = baseMed[(len(baseMed)-1)/2] // Store.Baseline's median run
			}
		}
		change, cls := "", ""
		if refMed > 0 {
			d := (latest.Median - refMed) / refMed * 100
			change = fmt.Sprintf("%+.1f%%", d)
			if d > 10 {
				cls = ` class="bad"`
			}
		}
		failed := fmt.Sprintf("%d of %d", latest.Failed, latest.Iterations)
		fcls := ""
		if latest.Failed > 0 {
			fcls = ` class="bad"`
		}
		fmt.Fprintf(&b, "<tr><td class=\"l\"><a href=\"#t%d\">%s</a></td><td>%d</td><td>%s</td><td>%.3f</td><td%s>%s</td><td%s>%s</td></tr>\n",
			i+1, esc(x.key), len(tot), fig(refMed), latest.Median, cls, change, fcls, failed)
	}
	b.WriteString("</tbody></table>\n")
	for i, x := range wls {
		fmt.Fprintf(&b, "<section class=\"workload\" id=\"t%d\">\n<h3>%s</h3>\n", i+1, esc(x.key))
		// The workload's own runs: another workload's runs in between
		// must not break its lines.
		var mine []run
		for _, r := range runs {
			for _, m := range x.pts {
				if _, ok := m[r.id]; ok {
					mine = append(mine, r)
					break
				}
			}
		}
		b.WriteString(trendChart(x.key, x.actions, x.pts, mine, base, &colors))
		var leg [][2]string
		for _, a := range x.actions {
			leg = append(leg, [2]string{a + " (median)", colors.Of(a)})
		}
		leg = append(leg, [2]string{"total (median; 95%ile dashed)", "currentColor"}, [2]string{"failed iterations (%)", chart.Fail})
		chart.Legend(&b, leg)
		b.WriteString("</section>\n")
	}
	b.WriteString("<h2>Runs</h2>\n<table><thead><tr><th>run</th><th class=\"l\">date (UTC)</th><th class=\"l\">tag</th><th class=\"l\">baseline</th></tr></thead><tbody>\n")
	for _, r := range runs {
		mark := ""
		if base[r.id] {
			mark = "yes"
		}
		fmt.Fprintf(&b, "<tr><td>%d</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td></tr>\n", r.id, esc(r.date), esc(r.tag), mark)
	}
	b.WriteString("</tbody></table>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

var esc = chart.Esc

func fig(v float64) string {
	if v != v {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", v)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

type run struct {
	id                 int64
	tag, created, date string
}

// runsOf lists the runs of the points in the store's order (Rally's date,
// then id) with a readable date.
func runsOf(pts []Point) []run {
	seen := map[int64]bool{}
	var out []run
	for _, p := range pts {
		if seen[p.RunID] {
			continue
		}
		seen[p.RunID] = true
		out = append(out, run{p.RunID, p.Tag, p.CreatedAt, readableDate(p.CreatedAt)})
	}
	slices.SortFunc(out, func(a, b run) int { return cmp.Or(cmp.Compare(a.created, b.created), cmp.Compare(a.id, b.id)) })
	return out
}

// readableDate shortens an RFC 3339 date (or Rally's, without a zone) to
// minutes, in UTC.
func readableDate(s string) string {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format("2006-01-02 15:04")
		}
	}
	return s
}

// baselineRuns are the last opt.Last runs tagged opt.BaselineTag, as
// Store.Baseline picks them (latest by Rally's date, then id).
func baselineRuns(runs []run, opt TrendsOptions) map[int64]bool {
	out := map[int64]bool{}
	if opt.BaselineTag == "" {
		return out
	}
	n := opt.Last
	if n <= 0 {
		n = 5
	}
	for i := len(runs) - 1; i >= 0 && len(out) < n; i-- {
		if runs[i].tag == opt.BaselineTag {
			out[runs[i].id] = true
		}
	}
	return out
}

func trendChart(key string, actions []string, pts map[string]map[int64]Point, runs []run, base map[int64]bool, colors *chart.Colors) string {
	const W, H = 880.0, 380.0
	// Two panels over the same runs: durations on top, failure rate below.
	top := &chart.Frame{W: W, H: 250, L: 64, R: 16, T: 16, B: 0, X0: -0.5, X1: float64(len(runs)) - 0.5}
	bot := &chart.Frame{W: W, H: H - 66, L: 64, R: 16, T: 268, B: 0, X0: -0.5, X1: float64(len(runs)) - 0.5, XTitleDY: 46}
	idx := map[int64]int{}
	for i, r := range runs {
		idx[r.id] = i
	}
	ymax, fmax := 0.0, 0.0
	for a, m := range pts {
		if a != "total" && !slices.Contains(actions, a) {
			continue
		}
		for _, p := range m {
			ymax = max(ymax, p.Median)
			if a == "total" {
				ymax = max(ymax, p.P95)
				if p.Iterations > 0 {
					fmax = max(fmax, 100*float64(p.Failed)/float64(p.Iterations))
				}
			}
		}
	}
	if ymax <= 0 {
		ymax = 1
	}
	unit, factor := chart.TimeUnit(ymax)
	yt := chart.Ticks(0, ymax, 5)
	top.Y1 = yt[len(yt)-1]
	ft := chart.Ticks(0, max(fmax, 10), 2)
	bot.Y1 = ft[len(ft)-1]
	var b strings.Builder
	chart.Open(&b, "trend", key+": median duration per run and failure rate", W, H)
	x := top.PX
	// Baseline runs shaded behind both panels.
	for i, r := range runs {
		if base[r.id] {
			x0, x1 := x(float64(i)-0.5), x(float64(i)+0.5)
			fmt.Fprintf(&b, `<rect class="baseline" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.13"><title>baseline run %d (tag %s)</title></rect>`,
				x0, top.Top(), x1-x0, bot.Bottom()-top.Top(), chart.Palette[0], r.id, esc(r.tag))
		}
	}
	top.Axes(&b, nil, chart.Labels(yt, factor), "", "duration ("+unit+")")
	bot.Axes(&b, nil, ftLabels(ft), "run: date (UTC) and tag", "failed (%)")
	// Run labels: date and tag, thinned to about 10.
	every := max(1, (len(runs)+9)/10)
	for i, r := range runs {
		if i%every != 0 && i != len(runs)-1 {
			continue
		}
		fmt.Fprintf(&b, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/><text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s<tspan x="%.1f" dy="12">%s</tspan></text>`,
			x(float64(i)), bot.Bottom(), x(float64(i)), bot.Bottom()+4, x(float64(i)), bot.Bottom()+15, esc(r.date), x(float64(i)), esc(r.tag))
	}
	line := func(a string, get func(Point) float64, col, dash string, dots bool) {
		var seg []string
		flush := func() {
			if len(seg) >= 2 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.6"%s points="%s"><title>%s</title></polyline>`, col, dash, strings.Join(seg, " "), esc(a))
			}
			seg = seg[:0]
		}
		for i, r := range runs {
			p, ok := pts[a][r.id]
			if !ok {
				flush()
				continue
			}
			px, py := x(float64(i)), top.PY(get(p))
			seg = append(seg, fmt.Sprintf("%.1f,%.1f", px, py))
			if dots {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>run %d · %s · tag %s · %s: median %s, 95%%ile %s, %d samples</title></circle>`,
					px, py, col, r.id, esc(r.date), esc(r.tag), esc(a), chart.Seconds(p.Median), chart.Seconds(p.P95), p.N)
			}
		}
		flush()
	}
	for _, a := range actions {
		line(a, func(p Point) float64 { return p.Median }, colors.Of(a), "", true)
	}
	line("total", func(p Point) float64 { return p.P95 }, "currentColor", ` stroke-dasharray="5 3"`, false)
	line("total", func(p Point) float64 { return p.Median }, "currentColor", "", true)
	// Failure rate bars.
	bw := math.Min(28, (x(1)-x(0))*0.5)
	for i, r := range runs {
		p, ok := pts["total"][r.id]
		if !ok || p.Iterations == 0 {
			continue
		}
		rate := 100 * float64(p.Failed) / float64(p.Iterations)
		y := bot.PY(rate)
		h := bot.Bottom() - y
		if p.Failed == 0 {
			continue
		}
		fmt.Fprintf(&b, `<rect class="fail" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>run %d · %s: %d of %d iterations failed (%.1f%%)</title></rect>`,
			x(float64(i))-bw/2, y, bw, max(h, 1), chart.Fail, r.id, esc(r.date), p.Failed, p.Iterations, rate)
	}
	b.WriteString("</svg>")
	return b.String()
}

func ftLabels(vs []float64) []chart.Tick {
	out := chart.Labels(vs, 1)
	for i := range out {
		out[i].Label += "%"
	}
	return out
}

// TrendsText writes the points as one table per workload and action, with
// each run's median change from the first run shown.
func TrendsText(w io.Writer, pts []Point) error {
	last := ""
	var first float64
	for _, p := range pts {
		if h := p.Workload + " / " + p.Action; h != last {
			if _, err := fmt.Fprintf(w, "\n%s\n  %-5s %-20s %-10s %8s %8s %8s %7s\n", termsafe.Line(h), "run", "date", "tag", "n", "median", "p95", "Δmed"); err != nil {
				return err
			}
			last, first = h, p.Median
		}
		d := "—"
		if first != 0 {
			d = fmt.Sprintf("%+.1f%%", (p.Median-first)/first*100)
		}
		if _, err := fmt.Fprintf(w, "  %-5d %-20.19s %-10s %8d %8.3f %8.3f %7s\n", p.RunID, termsafe.Line(p.CreatedAt), termsafe.Line(p.Tag), p.N, p.Median, p.P95, d); err != nil {
			return err
		}
	}
	return nil
}

// TrendsJSON writes the points as an indented JSON array ([] when empty).
func TrendsJSON(w io.Writer, pts []Point) error {
	if pts == nil {
		pts = []Point{}
	}
	return jsonout.Write(w, pts)
}
