package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/headless"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// bigReport writes a Rally report of n iterations made by repeating the
// real iterations of the placement-failures sample (a quarter fail with a
// real 409 Conflict), timestamps shifted so each copy follows the last,
// as scripts/make-big-report.py does (here the atomic actions keep their
// times).
func bigReport(t testing.TB, n int) string {
	return bigReportOf(t, "placement-failures.report.json", n)
}

// bigReportOf is bigReport from another sample report.
func bigReportOf(t testing.TB, sample string, n int) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", sample))
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(src, &rep); err != nil {
		t.Fatal(err)
	}
	wl := rep["tasks"].([]any)[0].(map[string]any)["subtasks"].([]any)[0].(map[string]any)["workloads"].([]any)[0].(map[string]any)
	its := wl["data"].([]any)
	lo, hi := 1e300, 0.0
	for _, x := range its {
		it := x.(map[string]any)
		ts, d := it["timestamp"].(float64), it["duration"].(float64)
		lo, hi = min(lo, ts), max(hi, ts+d)
	}
	span := hi - lo + 0.001
	// Each iteration is encoded once without its timestamp; a copy is
	// the shifted timestamp and the rest (the atomic actions keep their
	// own times: only their durations count).
	rest := make([]string, len(its))
	for k, x := range its {
		it := map[string]any{}
		for key, v := range x.(map[string]any) {
			if key != "timestamp" {
				it[key] = v
			}
		}
		line, _ := json.Marshal(it)
		rest[k] = string(line[1:])
	}
	wl["data"] = "@@DATA@@"
	wl["load_duration"] = span * float64(n/len(its))
	head, _ := json.Marshal(rep)
	parts := strings.SplitN(string(head), `"@@DATA@@"`, 2)
	var b bytes.Buffer
	b.WriteString(parts[0] + "[")
	for k := range n {
		ts := its[k%len(its)].(map[string]any)["timestamp"].(float64) + float64(k/len(its))*span
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"timestamp":` + strconv.FormatFloat(ts, 'f', -1, 64) + "," + rest[k%len(its)])
	}
	b.WriteString("]" + parts[1])
	path := filepath.Join(t.TempDir(), "big.report.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var failTitle = regexp.MustCompile(`<rect class="fail"[^>]*><title>iterations ([0-9,]+)–([0-9,]+): ([0-9,]+) of ([0-9,]+) failed`)

func atoiC(s string) int { n, _ := strconv.Atoi(strings.ReplaceAll(s, ",", "")); return n }

// A 100,000-iteration run stays readable and exact: the duration chart
// draws 400 buckets (median, min–max) instead of every iteration, each
// bucket with failures carries a mark whose count is true (they add up to
// the 25,000 failed iterations), the counts print in full, the page is
// small, and it opens in headless Chromium with every chart laid out.
func TestHTMLHundredThousandIterations(t *testing.T) {
	testcorpus.Long(t)
	const n = 100000
	path := bigReport(t, n)
	f, err := stats.SummarizeTimelines(path)
	if err != nil {
		t.Fatal(err)
	}
	w := f.Workloads[0]
	if w.Iterations != n || w.Failed != n/4 {
		t.Fatalf("%d iterations, %d failed", w.Iterations, w.Failed)
	}
	var b bytes.Buffer
	start := time.Now()
	if err := HTML(&b, []*stats.File{f}); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	page := b.String()
	if len(page) > 1<<20 {
		t.Errorf("page of %d bytes", len(page))
	}
	marks := failTitle.FindAllStringSubmatch(page, -1)
	sum, covered := 0, 0
	for _, m := range marks {
		first, last, k, of := atoiC(m[1]), atoiC(m[2]), atoiC(m[3]), atoiC(m[4])
		if of != last-first+1 || k > of {
			t.Errorf("mark %q", m[0])
		}
		sum += k
		covered += of
	}
	if len(marks) != 400 || sum != n/4 || covered != n {
		t.Errorf("%d failure marks counting %d failures over %d iterations, want 400, %d, %d", len(marks), sum, covered, n/4, n)
	}
	for _, s := range []string{"iteration (100,000 in all, buckets of 250)", `<td data-k="iterations">100,000</td>`, `<td data-k="failed" class="bad">25,000</td>`, "25,000 of 100,000 iterations (25.0%)"} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	out := filepath.Join(t.TempDir(), "big.html")
	os.WriteFile(out, b.Bytes(), 0o644)
	br, err := headless.Launch()
	if err != nil {
		t.Fatalf("headless Chromium: %v", err)
	}
	defer br.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := br.LoadWith(ctx, "file://"+out, headless.Options{Eval: `Array.from(document.querySelectorAll("table.overview tbody tr")).map(tr => Array.from(tr.querySelectorAll("td[data-k]")).map(td => td.textContent).join(" "))`})
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range p.Problems() {
		t.Error(problem)
	}
	var rows []string
	json.Unmarshal(p.Eval, &rows)
	d := w.Durations.Total.Data
	if want := fmt.Sprintf("100,000 25,000 %s %s %s %s", fig(d.Median), fig(d.P90), fig(d.P95), fig(d.Max)); len(rows) == 0 || rows[0] != want {
		t.Errorf("overview in the browser %q, want %q", rows, want)
	}
	t.Logf("%d bytes of HTML in %v; %d charts in the browser", len(page), took.Round(time.Millisecond), len(p.Charts))
}

// BenchmarkHTMLBig renders the page of a 100,000-iteration run (the file
// read and summarised once).
func BenchmarkHTMLBig(b *testing.B) {
	f, err := stats.SummarizeTimelines(bigReport(b, 100000))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var out bytes.Buffer
		if err := HTML(&out, []*stats.File{f}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportBig is `report --format html|json` on 100,000 iterations
// without the process: reading, statistics and the page or the JSON
// (scripts/bench-results.sh times the whole process). glance-images has
// nested atomic actions; a quarter of placement-failures' iterations fail
// with a traceback.
func BenchmarkReportBig(b *testing.B) {
	for _, sample := range []string{"glance-images", "placement-failures"} {
		path := bigReportOf(b, sample+".report.json", 100000)
		st, _ := os.Stat(path)
		for _, format := range []string{"html", "json"} {
			b.Run(sample+"/"+format, func(b *testing.B) {
				b.SetBytes(st.Size())
				for b.Loop() {
					summarize, write := stats.Summarize, JSON
					if format == "html" {
						summarize, write = stats.SummarizeTimelines, HTML
					}
					f, err := summarize(path)
					if err != nil {
						b.Fatal(err)
					}
					if err := write(io.Discard, []*stats.File{f}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
