package render

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/stats"
)

// HTML writes one self-contained page: inline CSS and inline SVG charts,
// no script and no external URL, so it opens offline and in CI artefact
// viewers that block scripts. The markup is well-formed XML (tested).
func HTML(w io.Writer, files []*stats.File) error {
	type wl struct {
		ID                 string
		Title, Summary     string
		SLA                string
		Rows               [][]string
		Depth              []int
		Errors             []stats.ErrorGroup
		SLAs               []slaLine
		Trace, Bars, Histo template.HTML
		Fail, Pass         bool
	}
	type file struct {
		Path, Format string
		Workloads    []wl
	}
	var data struct{ Files []file }
	n := 0
	for _, f := range files {
		ff := file{Path: f.Path, Format: f.Format}
		for _, w := range f.Workloads {
			n++
			x := wl{ID: fmt.Sprintf("w%d", n), Title: title(w), SLA: slaStatus(w),
				Summary: fmt.Sprintf("%d iterations, %d failed", w.Iterations, w.Failed), Errors: w.Errors}
			x.Fail, x.Pass = x.SLA == "FAIL", x.SLA == "PASS"
			for _, l := range Lines(w.Durations) {
				x.Rows = append(x.Rows, cells(l))
				x.Depth = append(x.Depth, l.Depth)
			}
			for _, s := range w.SLA {
				x.SLAs = append(x.SLAs, slaLine{passFail(s.Success), s.Criterion, s.Detail})
			}
			x.Trace = traceChart(w.Durations)
			x.Bars = barChart(w.Durations)
			x.Histo = histogram(w.Durations.Total.Samples)
			ff.Workloads = append(ff.Workloads, x)
		}
		data.Files = append(data.Files, ff)
	}
	return page().Execute(w, data)
}

type slaLine struct{ Status, Criterion, Detail string }

var palette = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

const chartW, chartH, padL, padB = 720.0, 260.0, 56.0, 28.0

// esc escapes text for SVG/XML.
func esc(s string) string { return template.HTMLEscapeString(s) }

// axes draws the frame and y ticks for values up to ymax.
func axes(b *strings.Builder, ymax float64, xlabel string) {
	fmt.Fprintf(b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#444"/>`, padL, chartH-padB, chartW, chartH-padB)
	fmt.Fprintf(b, `<line x1="%g" y1="0" x2="%g" y2="%g" stroke="#444"/>`, padL, padL, chartH-padB)
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		y := chartH - padB - (chartH-padB-10)*float64(i)/4
		fmt.Fprintf(b, `<text x="%g" y="%g" font-size="10" text-anchor="end">%.3f</text>`, padL-4, y+3, v)
		fmt.Fprintf(b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#ddd"/>`, padL, y, chartW, y)
	}
	fmt.Fprintf(b, `<text x="%g" y="%g" font-size="11" text-anchor="middle">%s</text>`, (padL+chartW)/2, chartH-4, esc(xlabel))
}

func yPos(v, ymax float64) float64 {
	if ymax <= 0 {
		return chartH - padB
	}
	return chartH - padB - (chartH-padB-10)*v/ymax
}

// traceChart: duration per iteration for each top-level action and total.
func traceChart(d stats.Durations) template.HTML {
	rows := append(append([]stats.Row{}, d.Atomics...), d.Total)
	ymax, n := 0.0, 0
	for _, r := range rows {
		for _, v := range r.Trace {
			ymax = math.Max(ymax, v)
		}
		if k := len(r.TraceAt); k > 0 {
			n = max(n, r.TraceAt[k-1])
		}
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart trace" width="%g" height="%g" viewBox="0 0 %g %g" role="img"><title>duration per iteration</title>`, chartW, chartH, chartW, chartH)
	axes(&b, ymax, fmt.Sprintf("iteration (1..%d)", n+1))
	for i, r := range rows {
		var pts []string
		for k, v := range r.Trace {
			x := padL + (chartW-padL)*float64(r.TraceAt[k])/float64(n)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, yPos(v, ymax)))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.2" points="%s"><title>%s</title></polyline>`,
			palette[i%len(palette)], strings.Join(pts, " "), esc(r.DisplayName))
	}
	b.WriteString(`</svg>`)
	legend(&b, rows)
	return template.HTML(b.String())
}

func legend(b *strings.Builder, rows []stats.Row) {
	b.WriteString(`<div class="legend">`)
	for i, r := range rows {
		fmt.Fprintf(b, `<span><i style="background:%s"></i>%s</span>`, palette[i%len(palette)], esc(r.DisplayName))
	}
	b.WriteString(`</div>`)
}

// barChart: median, 90%ile, 95%ile and max per action, side by side.
func barChart(d stats.Durations) template.HTML {
	rows := append(append([]stats.Row{}, d.Atomics...), d.Total)
	ymax := 0.0
	for _, r := range rows {
		if r.Data.Max != nil {
			ymax = math.Max(ymax, *r.Data.Max)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" width="%g" height="%g" viewBox="0 0 %g %g" role="img"><title>percentiles per action</title>`, chartW, chartH, chartW, chartH)
	axes(&b, ymax, "median · 90%ile · 95%ile · max per action")
	group := (chartW - padL) / float64(len(rows))
	bw := group / 5
	for i, r := range rows {
		for j, p := range []*float64{r.Data.Median, r.Data.P90, r.Data.P95, r.Data.Max} {
			if p == nil {
				continue
			}
			x := padL + group*float64(i) + bw*(0.5+float64(j))
			y := yPos(*p, ymax)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s %.3f</title></rect>`,
				x, y, bw*0.9, chartH-padB-y, palette[j], esc(r.DisplayName), []string{"median", "90%ile", "95%ile", "max"}[j], *p)
		}
		label := r.DisplayName
		if len(label) > 28 {
			label = "…" + label[len(label)-27:]
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="9" text-anchor="middle">%s</text>`, padL+group*(float64(i)+0.5), chartH-padB+11, esc(label))
	}
	b.WriteString(`</svg><div class="legend">`)
	for j, n := range []string{"median", "90%ile", "95%ile", "max"} {
		fmt.Fprintf(&b, `<span><i style="background:%s"></i>%s</span>`, palette[j], n)
	}
	b.WriteString(`</div>`)
	return template.HTML(b.String())
}

// histogram: distribution of total durations in 30 bins.
func histogram(sorted []float64) template.HTML {
	if len(sorted) == 0 {
		return ""
	}
	const bins = 30
	lo, hi := sorted[0], sorted[len(sorted)-1]
	width := (hi - lo) / bins
	counts := make([]int, bins)
	for _, v := range sorted {
		i := bins - 1
		if width > 0 {
			i = min(int((v-lo)/width), bins-1)
		}
		counts[i]++
	}
	cmax := 0
	for _, c := range counts {
		cmax = max(cmax, c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart histo" width="%g" height="%g" viewBox="0 0 %g %g" role="img"><title>distribution of total duration</title>`, chartW, chartH, chartW, chartH)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#444"/>`, padL, chartH-padB, chartW, chartH-padB)
	bw := (chartW - padL) / bins
	for i, c := range counts {
		h := (chartH - padB - 10) * float64(c) / float64(cmax)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#1f77b4"><title>%.3f–%.3f s: %d</title></rect>`,
			padL+bw*float64(i), chartH-padB-h, bw*0.95, h, lo+width*float64(i), lo+width*float64(i+1), c)
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10">%.3f s</text>`, padL, chartH-padB+12, lo)
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" text-anchor="end">%.3f s</text>`, chartW, chartH-padB+12, hi)
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" text-anchor="middle">total duration, %d iterations</text>`, (padL+chartW)/2, chartH-4, len(sorted))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Parsed on first use: start-up time counts for every command.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{
		"indent": func(d int) template.CSS { return template.CSS(fmt.Sprintf("padding-left:%dem", d*2)) },
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>Rally results</title>
<style>
body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;font-variant-numeric:tabular-nums}
td:first-child,th:first-child{text-align:left}
.FAIL{color:#b00;font-weight:bold}.PASS{color:#070;font-weight:bold}
.legend span{margin-right:1em;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
section{border-top:2px solid #ddd;margin-top:1.5em}
</style>
</head>
<body>
<h1>Rally results</h1>
{{range .Files}}<h2>{{.Path}} <small>({{.Format}} format)</small></h2>
{{range .Workloads}}<section id="{{.ID}}">
<h3>{{.Title}}</h3>
<p>{{.Summary}}, SLA <span class="{{.SLA}}">{{.SLA}}</span></p>
<table>
<tr><th>action</th><th>iterations</th><th>success</th><th>min</th><th>median</th><th>90%ile</th><th>95%ile</th><th>max</th><th>avg</th></tr>
{{$d := .Depth}}{{range $i, $r := .Rows}}<tr>{{range $j, $c := $r}}{{if eq $j 0}}<td style="{{indent (index $d $i)}}">{{$c}}</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</table>
{{if .Errors}}<table><tr><th>error</th><th>count</th><th>example</th></tr>
{{range .Errors}}<tr><td>{{.Type}}</td><td>{{.Count}}</td><td style="text-align:left">{{.Example}}</td></tr>
{{end}}</table>{{end}}
{{if .SLAs}}<table><tr><th>SLA</th><th>criterion</th><th>detail</th></tr>
{{range .SLAs}}<tr><td class="{{.Status}}">{{.Status}}</td><td>{{.Criterion}}</td><td style="text-align:left;white-space:pre-wrap">{{.Detail}}</td></tr>
{{end}}</table>{{end}}
<h4>Duration per iteration</h4>
{{.Trace}}
<h4>Percentiles</h4>
{{.Bars}}
<h4>Distribution</h4>
{{.Histo}}
</section>
{{end}}{{end}}
</body>
</html>
`))
})
