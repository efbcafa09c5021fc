package history

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/termsafe"
)

// TrendsHTML writes one self-contained page (inline SVG, no script, no
// URL) with a chart per workload and action: median and p95 per run.
func TrendsHTML(w io.Writer, pts []Point) error {
	type chart struct {
		Title string
		SVG   template.HTML
	}
	var charts []chart
	for start := 0; start < len(pts); {
		end := start
		for end < len(pts) && pts[end].Workload == pts[start].Workload && pts[end].Action == pts[start].Action {
			end++
		}
		charts = append(charts, chart{pts[start].Workload + " / " + pts[start].Action, trendSVG(pts[start:end])})
		start = end
	}
	return trendsPage().Execute(w, charts)
}

func trendSVG(ps []Point) template.HTML {
	const W, H, L, B = 640.0, 200.0, 56.0, 24.0
	ymax := 0.0
	for _, p := range ps {
		ymax = max(ymax, p.P95, p.Median)
	}
	if ymax == 0 {
		ymax = 1
	}
	x := func(i int) float64 {
		if len(ps) == 1 {
			return (L + W) / 2
		}
		return L + (W-L-10)*float64(i)/float64(len(ps)-1)
	}
	y := func(v float64) float64 { return H - B - (H-B-10)*v/ymax }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart trend" width="%g" height="%g" viewBox="0 0 %g %g" role="img">`, W, H, W, H)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#444"/><line x1="%g" y1="0" x2="%g" y2="%g" stroke="#444"/>`, L, H-B, W, H-B, L, L, H-B)
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" font-size="10" text-anchor="end">%.3f</text>`, L-4, y(v)+3, v)
	}
	for k, series := range []struct {
		name, color string
		get         func(Point) float64
	}{{"median", "#1f77b4", func(p Point) float64 { return p.Median }}, {"p95", "#d62728", func(p Point) float64 { return p.P95 }}} {
		var pts []string
		for i, p := range ps {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(series.get(p))))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>run %d (%s) %s %s %.3f s</title></circle>`,
				x(i), y(series.get(p)), series.color, p.RunID, template.HTMLEscapeString(p.Tag), template.HTMLEscapeString(p.CreatedAt), series.name, series.get(p))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" points="%s"/>`, series.color, strings.Join(pts, " "))
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" fill="%s">%s</text>`, L+8+float64(k)*60, H-4, series.color, series.name)
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" text-anchor="end">runs %d…%d</text>`, W, H-4, ps[0].RunID, ps[len(ps)-1].RunID)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Parsed on first use: start-up time counts for every command.
var trendsPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("trends").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>Rally trends</title>
<style>body{font-family:sans-serif;margin:1.5em}h3{font-size:14px;margin:1.2em 0 .2em}</style>
</head>
<body>
<h1>Rally trends</h1>
{{range .}}<h3>{{.Title}}</h3>
{{.SVG}}
{{else}}<p>No runs stored.</p>
{{end}}</body>
</html>
`))
})

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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(pts)
}
