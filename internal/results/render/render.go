// Package render prints summarised Rally results as a text table, markdown
// (for a review comment), JSON, JUnit XML or one self-contained HTML page
// (html.go, charts.go).
package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/termsafe"
)

// Line is one table row with its nesting depth (0 = top-level action).
type Line struct {
	Depth int
	Row   stats.Row
}

// Lines flattens a workload's rows in Rally's order: atomic actions with
// their children, then total.
func Lines(d stats.Durations) []Line {
	var out []Line
	var walk func(r stats.Row, depth int)
	walk = func(r stats.Row, depth int) {
		out = append(out, Line{depth, r})
		for _, c := range r.Children {
			walk(c, depth+1)
		}
	}
	for _, a := range d.Atomics {
		walk(a, 0)
	}
	walk(d.Total, 0)
	return out
}

func num(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*p, 'f', 3, 64)
}

func title(w *stats.Workload) string {
	return fmt.Sprintf("%s (position %d)", w.Scenario, w.Position)
}

func slaStatus(w *stats.Workload) string {
	switch {
	case w.PassSLA == nil:
		return "n/a"
	case *w.PassSLA:
		return "PASS"
	default:
		return "FAIL"
	}
}

var header = []string{"action", "iterations", "success", "min", "median", "90%ile", "95%ile", "max", "avg"}

func cells(l Line) []string {
	d := l.Row.Data
	return []string{strings.Repeat("  ", l.Depth) + termsafe.Line(l.Row.DisplayName), strconv.Itoa(d.IterationCount), d.Success,
		num(d.Min), num(d.Median), num(d.P90), num(d.P95), num(d.Max), num(d.Avg)}
}

// Text writes aligned tables, one per workload.
func Text(w io.Writer, files []*stats.File) error {
	for _, f := range files {
		fmt.Fprintf(w, "%s (%s format)\n", termsafe.Line(f.Path), f.Format)
		for _, wl := range f.Workloads {
			fmt.Fprintf(w, "\n%s: %d iterations, %d failed, SLA %s\n", termsafe.Line(title(wl)), wl.Iterations, wl.Failed, slaStatus(wl))
			table := [][]string{header}
			for _, l := range Lines(wl.Durations) {
				table = append(table, cells(l))
			}
			writeTable(w, table)
			for _, e := range wl.Errors {
				fmt.Fprintf(w, "  failures: %d × %s: %s\n", e.Count, termsafe.Line(e.Type), termsafe.Line(oneLine(e.Example)))
			}
			for _, s := range wl.SLA {
				fmt.Fprintf(w, "  SLA %s %s: %s\n", passFail(s.Success), termsafe.Line(s.Criterion), termsafe.Line(oneLine(s.Detail)))
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

func passFail(b bool) string {
	if b {
		return "PASS"
	}
	return "FAIL"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdEscape: results text (error messages, SLA details) goes into a CI
// comment; nothing in it may become markup, a link or an escape sequence.
func mdEscape(s string) string { return termsafe.MarkdownText(s) }

// Markdown writes GitHub-flavoured tables for a review comment.
func Markdown(w io.Writer, files []*stats.File) error {
	for _, f := range files {
		fmt.Fprintf(w, "## %s\n", termsafe.MarkdownCode(f.Path))
		for _, wl := range f.Workloads {
			fmt.Fprintf(w, "\n### %s\n\n%d iterations, %d failed, SLA **%s**\n\n", mdEscape(title(wl)), wl.Iterations, wl.Failed, slaStatus(wl))
			fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(header, " | "), strings.Repeat(" ---: |", len(header)))
			for _, l := range Lines(wl.Durations) {
				c := cells(l)
				c[0] = strings.Repeat("↳ ", l.Depth) + termsafe.MarkdownCode(l.Row.DisplayName)
				fmt.Fprintf(w, "| %s |\n", strings.Join(c, " | "))
			}
			if len(wl.Errors) > 0 {
				fmt.Fprintf(w, "\n| failures | error | example |\n| ---: | --- | --- |\n")
				for _, e := range wl.Errors {
					fmt.Fprintf(w, "| %d | %s | %s |\n", e.Count, termsafe.MarkdownCode(e.Type), mdEscape(e.Example))
				}
			}
			if len(wl.SLA) > 0 {
				fmt.Fprintf(w, "\n| SLA | criterion | detail |\n| --- | --- | --- |\n")
				for _, s := range wl.SLA {
					fmt.Fprintf(w, "| %s | %s | %s |\n", passFail(s.Success), termsafe.MarkdownCode(s.Criterion), mdEscape(s.Detail))
				}
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

// JSON writes the summaries; durations have Rally's statistics.durations shape.
func JSON(w io.Writer, files []*stats.File) error {
	return jsonout.Write(w, files)
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes a testsuite per task and a testcase per workload; SLA
// failures are test failures.
func JUnit(w io.Writer, files []*stats.File) error {
	var out junitSuites
	index := map[string]int{}
	for _, f := range files {
		for _, wl := range f.Workloads {
			suite := wl.TaskTitle
			if suite == "" {
				suite = wl.TaskUUID
			}
			if suite == "" {
				suite = f.Path
			}
			i, ok := index[suite]
			if !ok {
				i = len(out.Suites)
				index[suite] = i
				out.Suites = append(out.Suites, junitSuite{Name: suite})
			}
			s := &out.Suites[i]
			c := junitCase{Name: title(wl), Classname: wl.Scenario, Time: strconv.FormatFloat(wl.FullDuration, 'f', 3, 64)}
			var failed []string
			for _, r := range wl.SLA {
				if !r.Success {
					failed = append(failed, r.Criterion+": "+r.Detail)
				}
			}
			if len(failed) > 0 {
				c.Failure = &junitFailure{Message: fmt.Sprintf("%d SLA criteria failed", len(failed)), Type: "SLA", Text: strings.Join(failed, "\n")}
				s.Failures++
			}
			var b strings.Builder
			for _, l := range Lines(wl.Durations) {
				fmt.Fprintln(&b, strings.Join(cells(l), " "))
			}
			c.SystemOut = b.String()
			s.Tests++
			s.Cases = append(s.Cases, c)
		}
	}
	for i := range out.Suites {
		var t float64
		for _, c := range out.Suites[i].Cases {
			v, _ := strconv.ParseFloat(c.Time, 64)
			t += v
		}
		out.Suites[i].Time = strconv.FormatFloat(t, 'f', 3, 64)
	}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// writeTable aligns the first column left (it shows nesting) and the
// figures right.
func writeTable(w io.Writer, t [][]string) {
	width := make([]int, len(t[0]))
	for _, r := range t {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range t {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, b.String())
	}
}
