package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rallyforge/rallyforge/internal/chart"
	"github.com/rallyforge/rallyforge/internal/stats"
)

// HTML writes one self-contained page: inline CSS and inline SVG charts,
// no script and no URL, so it opens offline, prints, and shows in CI
// artefact viewers that block scripts (tracebacks open with <details>).
// First an overview of every workload, then per workload its
// configuration as written, the duration of each iteration stacked by
// atomic action (failed iterations marked, absent actions as gaps), the
// load profile as Rally computes it, a histogram per action, Rally's
// statistics table, failures grouped by type and the SLA results. The
// per-iteration charts need the files summarised with timelines
// (stats.SummarizeTimelines); without, they are left out.
func HTML(w io.Writer, files []*stats.File) error {
	p := &htmlPage{}
	p.write(files)
	_, err := w.Write(p.b.Bytes())
	return err
}

type htmlPage struct {
	b      bytes.Buffer
	colors chart.Colors
}

func (p *htmlPage) f(format string, args ...any) { fmt.Fprintf(&p.b, format, args...) }
func (p *htmlPage) s(s string)                   { p.b.WriteString(s) }

var esc = chart.Esc

func (p *htmlPage) write(files []*stats.File) {
	p.s("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<meta name=\"color-scheme\" content=\"light dark\"/>\n")
	title := "Rally results"
	if len(files) == 1 {
		title += ": " + baseName(files[0].Path)
	}
	p.f("<title>%s</title>\n<style>%s%s</style>\n</head>\n<body>\n", esc(title), chart.CSS, reportCSS)
	p.f("<h1>%s</h1>\n", esc(title))
	total, failedWl := 0, 0
	for _, f := range files {
		for _, w := range f.Workloads {
			total++
			if w.PassSLA != nil && !*w.PassSLA {
				failedWl++
			}
		}
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, esc(f.Path)+` <span class="muted">(`+esc(f.Format)+` format)</span>`)
	}
	p.f("<p class=\"meta\">%s · %d workload%s", strings.Join(paths, ", "), total, plural(total))
	if failedWl > 0 {
		p.f(`, <span class="FAIL">%d failed SLA</span>`, failedWl)
	}
	p.s("</p>\n")
	// Colours are handed out in page order, so an action keeps its colour
	// in every workload, chart and table.
	for _, f := range files {
		for _, w := range f.Workloads {
			for _, r := range w.Durations.Atomics {
				p.colors.Of(r.DisplayName)
			}
		}
	}
	p.overview(files)
	n := 0
	for _, f := range files {
		for _, w := range f.Workloads {
			n++
			p.workload(n, f, w)
		}
	}
	p.s("</body>\n</html>\n")
}

const reportCSS = `
div.scroll{overflow-x:auto}
table.overview td:nth-child(2){overflow-wrap:anywhere}
table.stats td:first-child{white-space:nowrap}
table.sla{width:100%}table.sla td.detail{white-space:pre-wrap;width:50%}
pre.cfg{margin:0;padding:.1em 0;border:0;background:none;font-size:12px;white-space:pre;word-break:normal}
figcaption .muted{font-weight:400}
.charts figure{flex:0 1 430px;min-width:0}.charts figure.wide{flex:1 1 100%}
table.overview td.l a{font-weight:600}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:0}
.wnum{color:var(--muted);font-weight:400;margin-right:.3em}
.failtype{font-weight:700}
`

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func runnerText(w *stats.Workload) string {
	s := w.Runner
	if s == "" {
		return "n/a"
	}
	var parts []string
	if w.Times > 0 {
		parts = append(parts, chart.Count(w.Times)+" times")
	}
	if w.Concurrency > 0 {
		parts = append(parts, "concurrency "+strconv.Itoa(w.Concurrency))
	}
	if len(parts) > 0 {
		s += ", " + strings.Join(parts, ", ")
	}
	return s
}

func slaBadge(w *stats.Workload) string {
	s := slaStatus(w)
	if s == "n/a" {
		return `<span class="na">no SLA</span>`
	}
	return `<span class="badge ` + s + `">` + s + `</span>`
}

// fig is a figure of Rally's table in seconds, as Rally prints it.
func fig(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', 3, 64)
}

// overview is one row per workload and one per top-level atomic action:
// the figures are Rally's (the same as report --format json) and the
// data- attributes name them for the browser tests.
func (p *htmlPage) overview(files []*stats.File) {
	p.s(`<h2>Overview</h2>
<div class="scroll"><table class="overview"><thead><tr><th class="l">#</th><th class="l">scenario (runner) / atomic action</th><th>iterations</th><th>failed</th><th>SLA</th><th>median (s)</th><th>90%ile (s)</th><th>95%ile (s)</th><th>max (s)</th></tr></thead><tbody>
`)
	n := 0
	for _, f := range files {
		for _, w := range f.Workloads {
			n++
			t := w.Durations.Total.Data
			failCls := ""
			if w.Failed > 0 {
				failCls = ` class="bad"`
			}
			p.f(`<tr data-workload="%d" data-row="total"><td class="l">%d</td><td class="l"><a href="#w%d">%s</a> <span class="muted">(%s)</span></td><td data-k="iterations">%s</td><td data-k="failed"%s>%s</td><td>%s</td>`,
				n, n, n, esc(w.Scenario), esc(runnerText(w)), chart.Count(w.Iterations), failCls, chart.Count(w.Failed), slaBadge(w))
			p.figures(t)
			p.s("</tr>\n")
			for _, r := range w.Durations.Atomics {
				p.f(`<tr class="sub" data-workload="%d" data-row="%s"><td></td><td class="l"><span class="sw" style="background:%s"></span>%s</td><td></td><td></td><td></td>`,
					n, esc(r.DisplayName), p.colors.Of(r.DisplayName), esc(r.DisplayName))
				p.figures(r.Data)
				p.s("</tr>\n")
			}
		}
	}
	p.s("</tbody></table></div>\n")
}

func (p *htmlPage) figures(d stats.Data) {
	for _, c := range []struct {
		k string
		v *float64
	}{{"median", d.Median}, {"90%ile", d.P90}, {"95%ile", d.P95}, {"max", d.Max}} {
		p.f(`<td data-k="%s">%s</td>`, c.k, fig(c.v))
	}
}

func (p *htmlPage) workload(n int, f *stats.File, w *stats.Workload) {
	p.f("<section class=\"workload\" id=\"w%d\">\n<h3><span class=\"wnum\">%d</span>%s %s</h3>\n", n, n, esc(w.Scenario), slaBadge(w))
	var where []string
	if w.TaskTitle != "" {
		where = append(where, "task "+esc(w.TaskTitle))
	}
	if w.SubtaskTitle != "" && w.SubtaskTitle != w.Scenario {
		where = append(where, "subtask "+esc(w.SubtaskTitle))
	}
	where = append(where, fmt.Sprintf("position %d", w.Position), esc(baseName(f.Path)))
	p.f("<p class=\"meta\">%s</p>\n", strings.Join(where, " · "))
	rate := 0.0
	if w.Iterations > 0 {
		rate = float64(w.Failed) / float64(w.Iterations) * 100
	}
	failed := fmt.Sprintf("%s failed", chart.Count(w.Failed))
	if w.Failed > 0 {
		failed = fmt.Sprintf(`<span class="FAIL">%s failed (%.1f%%)</span>`, chart.Count(w.Failed), rate)
	}
	p.f("<p>runner %s · %s iterations, %s · load duration %s, full duration %s</p>\n",
		esc(runnerText(w)), chart.Count(w.Iterations), failed, chart.Seconds(w.LoadDuration), chart.Seconds(w.FullDuration))
	if w.Description != "" {
		p.f("<p class=\"muted\">%s</p>\n", esc(w.Description))
	}
	if len(w.Config) > 0 {
		p.f("<h4>Configuration</h4>\n<pre class=\"config\">%s</pre>\n", esc(strings.TrimRight(toYAML(w.Config), "\n")))
	}
	p.s("<h4>Charts</h4>\n<div class=\"charts\">\n")
	p.durationChart(w)
	p.loadChart(w)
	p.histograms(w)
	p.s("</div>\n")
	p.statsTable(w)
	p.failures(w)
	p.slaTable(w)
	p.s("</section>\n")
}

func (p *htmlPage) statsTable(w *stats.Workload) {
	p.s(`<h4>Statistics</h4>
<div class="scroll"><table class="stats"><thead><tr><th class="l">action</th><th>min (s)</th><th>median (s)</th><th>90%ile (s)</th><th>95%ile (s)</th><th>max (s)</th><th>avg (s)</th><th>success</th><th>count</th></tr></thead><tbody>
`)
	for _, l := range Lines(w.Durations) {
		d := l.Row.Data
		sw := ""
		if l.Depth == 0 && l.Row.Name != "total" {
			sw = `<span class="sw" style="background:` + p.colors.Of(l.Row.DisplayName) + `"></span>`
		}
		cls := ""
		if d.Success != "100.0%" && d.Success != "n/a" {
			cls = ` class="bad"`
		}
		p.f(`<tr><td class="l" style="padding-left:%.1fem">%s%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td%s>%s</td><td>%s</td></tr>`+"\n",
			0.6+1.5*float64(l.Depth), sw, esc(l.Row.DisplayName), fig(d.Min), fig(d.Median), fig(d.P90), fig(d.P95), fig(d.Max), fig(d.Avg), cls, esc(d.Success), chart.Count(d.IterationCount))
	}
	p.s("</tbody></table></div>\n")
}

func (p *htmlPage) failures(w *stats.Workload) {
	if len(w.Errors) == 0 {
		return
	}
	p.s("<h4>Failures</h4>\n")
	for _, e := range w.Errors {
		var its []string
		for _, i := range e.Iterations {
			its = append(its, chart.Count(i+1))
		}
		list := strings.Join(its, ", ")
		if e.Count > len(e.Iterations) {
			list += ", …"
		}
		p.f(`<details class="failure"><summary><span class="failtype FAIL">%s</span> · %s of %s iterations (%.1f%%) · iteration%s %s<br/><span class="muted">%s</span></summary>`,
			esc(e.Type), chart.Count(e.Count), chart.Count(w.Iterations), 100*float64(e.Count)/float64(max(w.Iterations, 1)), plural(e.Count), list, esc(e.Example))
		body := e.Traceback
		if body == "" {
			body = e.Type + ": " + e.Example
		}
		p.f("<pre class=\"traceback\">%s</pre></details>\n", esc(strings.TrimRight(body, "\n")))
	}
}

func (p *htmlPage) slaTable(w *stats.Workload) {
	if len(w.SLA) == 0 {
		return
	}
	conf := map[string]string{}
	var cfg struct {
		SLA map[string]json.RawMessage `json:"sla"`
	}
	if json.Unmarshal(w.Config, &cfg) == nil {
		for k, v := range cfg.SLA {
			conf[k] = strings.TrimSpace(toYAML(v))
		}
	}
	p.s(`<h4>SLA</h4>
<table class="sla"><thead><tr><th class="l">result</th><th class="l">criterion</th><th class="l">configured</th><th class="l">detail</th></tr></thead><tbody>
`)
	for _, s := range w.SLA {
		st := passFail(s.Success)
		p.f(`<tr><td class="l"><span class="badge %s">%s</span></td><td class="l">%s</td><td class="l"><pre class="cfg">%s</pre></td><td class="l detail">%s</td></tr>`+"\n",
			st, st, esc(s.Criterion), esc(conf[s.Criterion]), esc(s.Detail))
	}
	p.s("</tbody></table>\n")
}
