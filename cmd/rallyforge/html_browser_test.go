package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/headless"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// pageProbe reads, in the browser, the overview table and the text of the
// tracebacks.
const pageProbe = `({
  overview: Array.from(document.querySelectorAll("table.overview tbody tr")).map(tr => ({
    workload: +tr.dataset.workload, row: tr.dataset.row,
    cells: Object.fromEntries(Array.from(tr.querySelectorAll("td[data-k]")).map(td => [td.dataset.k, td.textContent.trim()]))})),
  tracebacks: Array.from(document.querySelectorAll("details.failure pre.traceback")).map(p => p.textContent)
})`

type probe struct {
	Overview []struct {
		Workload int               `json:"workload"`
		Row      string            `json:"row"`
		Cells    map[string]string `json:"cells"`
	} `json:"overview"`
	Tracebacks []string `json:"tracebacks"`
}

// reportJSON is what `report --format json` says of the same files.
type reportJSON []struct {
	Workloads []struct {
		Iterations int `json:"iterations"`
		Failed     int `json:"failed"`
		Durations  struct {
			Total   jsonRow   `json:"total"`
			Atomics []jsonRow `json:"atomics"`
		} `json:"durations"`
	} `json:"workloads"`
}

type jsonRow struct {
	DisplayName string         `json:"display_name"`
	Data        map[string]any `json:"data"`
}

// The HTML pages of `report --format html` (every sample results file, one
// page each and all on one page) and of `history trends --format html`
// open in headless Chromium offline: the page asks for nothing but itself,
// raises no script or console error, and lays out every chart with marks
// and both axis titles (headless.Page.Problems); the overview's figures
// are those of `report --format json`; on the placement-failures sample
// the duration chart marks the 5 failed iterations and the tracebacks of
// the file are on the page. RALLYFORGE_SCREENSHOTS=DIR keeps screenshots
// of the placement-failures report and of the trends page there (make
// screenshots).
func TestHTMLPagesRenderInChromium(t *testing.T) {
	testcorpus.Long(t)
	dir := t.TempDir()
	samples, _ := filepath.Glob(filepath.Join(resultsSample(t, ""), "*.json"))
	var all []string
	for _, s := range samples {
		if strings.HasSuffix(s, ".report.json") || strings.HasSuffix(s, ".results.json") {
			all = append(all, s)
		}
	}
	if len(all) < 20 {
		t.Fatalf("only %d sample results", len(all))
	}
	type page struct {
		name string
		args []string
		json []string // the report --format json of the same files
	}
	var pages []page
	for _, s := range all {
		pages = append(pages, page{"report-" + filepath.Base(s) + ".html", []string{"report", "--format", "html", s}, []string{"report", "--format", "json", s}})
	}
	pages = append(pages, page{"report-all.html", append([]string{"report", "--format", "html"}, all...), append([]string{"report", "--format", "json"}, all...)})
	// History: the two real placement runs (one with 25% failures) and the
	// keystone run stored as eight nightly runs, as Rally would date them
	// (each copy gets its own task UUID and creation date).
	db := filepath.Join(dir, "h.db")
	custom, failures, keystone := resultsSample(t, "placement-custom.report.json"), resultsSample(t, "placement-failures.report.json"), resultsSample(t, "keystone-basic.report.json")
	for k := range 8 {
		src, tag := custom, "main"
		if k == 3 || k == 6 {
			src = failures
		}
		if k == 5 {
			tag = "rc"
		}
		for _, f := range []string{src, keystone} {
			copy := nightly(t, dir, f, k)
			if code, out := captureRun(t, "history", "add", "--db", db, "--tag", tag, copy); code != 0 {
				t.Fatalf("history add: %d %s", code, out)
			}
		}
	}
	pages = append(pages, page{"trends.html", []string{"history", "trends", "--db", db, "--format", "html", "--baseline-tag", "main", "--last", "6"}, nil})

	b, err := headless.Launch()
	if err != nil {
		t.Fatalf("headless Chromium: %v", err)
	}
	defer b.Close()
	keep := os.Getenv("RALLYFORGE_SCREENSHOTS")
	start := time.Now()
	failuresChecked := false
	for _, pg := range pages {
		// report exits 1 when an SLA failed: the page is written all the same.
		code, html := captureRun(t, pg.args...)
		if code == 2 || html == "" {
			t.Fatalf("%v: exit %d", pg.args, code)
		}
		path := filepath.Join(dir, pg.name)
		os.WriteFile(path, []byte(html), 0o644)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		p, err := b.LoadWith(ctx, "file://"+path, headless.Options{Shots: keep != "" && (pg.name == "trends.html" || strings.Contains(pg.name, "placement-failures.report")), Eval: pageProbe})
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		for _, problem := range p.Problems() {
			t.Errorf("%s: %s", pg.name, problem)
		}
		var got probe
		if err := json.Unmarshal(p.Eval, &got); err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		if pg.json != nil {
			checkOverview(t, pg.name, got, pg.json)
		}
		if pg.name == "report-placement-failures.report.json.html" {
			failuresChecked = true
			fails := 0
			for _, c := range p.Charts {
				if c.Class == "chart duration" {
					fails += c.Fails
				}
			}
			if fails != 5 {
				t.Errorf("%s: %d failed iterations marked, want 5", pg.name, fails)
			}
			checkTracebacks(t, pg.args[len(pg.args)-1], got.Tracebacks)
			checkSchemes(t, b, path)
			if keep != "" {
				os.WriteFile(filepath.Join(keep, "report-placement-failures.png"), p.Screenshot, 0o644)
			}
		}
		if pg.name == "trends.html" {
			if !strings.Contains(html, `class="baseline"`) {
				t.Errorf("trends: no baseline mark")
			}
			if keep != "" {
				os.WriteFile(filepath.Join(keep, "trends.png"), p.Screenshot, 0o644)
			}
		}
		t.Logf("%s: %d charts, %.0fx%.0f px, %v", pg.name, len(p.Charts), p.Width, p.Height, p.Took.Round(time.Millisecond))
	}
	if !failuresChecked {
		t.Error("the placement-failures sample was not opened")
	}
	t.Logf("%d pages in %v (browser already up)", len(pages), time.Since(start).Round(time.Millisecond))
}

// nightly writes a copy of a Rally report as if Rally had run it on night
// k: another task UUID, created on 2026-11-(10+k) at 02:00.
func nightly(t *testing.T, dir, src string, k int) string {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Tasks []struct {
			UUID      string `json:"uuid"`
			CreatedAt string `json:"created_at"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil || len(rep.Tasks) == 0 {
		t.Fatalf("%s: %v", src, err)
	}
	s := string(raw)
	uuid := rep.Tasks[0].UUID
	s = strings.ReplaceAll(s, uuid, uuid[:len(uuid)-2]+fmt.Sprintf("%02d", k))
	day := rep.Tasks[0].CreatedAt[:13] // 2026-11-25T02
	s = strings.ReplaceAll(s, `"`+day, fmt.Sprintf(`"2026-11-%02dT02`, 10+k))
	out := filepath.Join(dir, fmt.Sprintf("night%d-%s", k, filepath.Base(src)))
	if err := os.WriteFile(out, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// schemeProbe reads the page's colours and how tall the (closed)
// tracebacks are laid out.
const schemeProbe = `(() => {
  const rgb = c => (c.match(/[0-9.]+/g) || []).slice(0, 3).map(Number);
  const tick = document.querySelector("svg.chart .tick");
  return {bg: rgb(getComputedStyle(document.documentElement).backgroundColor),
    fg: rgb(getComputedStyle(document.body).color),
    tick: rgb(getComputedStyle(tick).fill),
    traceback: Array.from(document.querySelectorAll("pre.traceback")).map(p => p.checkVisibility() ? p.getBoundingClientRect().height : 0)};
})()`

// checkSchemes opens the page as a reader with a dark system theme and as
// printed: dark, it is light text on a dark background (chart text too);
// printed, it is dark on white with the tracebacks laid out open, while on
// screen they stay closed until clicked (<details>, no script).
func checkSchemes(t *testing.T, b *headless.Browser, path string) {
	t.Helper()
	lum := func(c []float64) float64 {
		if len(c) < 3 {
			return -1
		}
		return (0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]) / 255
	}
	for _, opt := range []headless.Options{{Eval: schemeProbe}, {Eval: schemeProbe, Dark: true}, {Eval: schemeProbe, Media: "print"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		p, err := b.LoadWith(ctx, "file://"+path, opt)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		for _, problem := range p.Problems() {
			t.Errorf("dark %v, media %q: %s", opt.Dark, opt.Media, problem)
		}
		var got struct {
			BG, FG, Tick []float64
			Traceback    []float64
		}
		json.Unmarshal(p.Eval, &got)
		dark := opt.Dark
		if bg, fg, tick := lum(got.BG), lum(got.FG), lum(got.Tick); dark && !(bg < 0.15 && fg > 0.7 && tick > 0.45) || !dark && !(bg > 0.95 && fg < 0.2 && tick < 0.5) {
			t.Errorf("dark %v, media %q: background %v, text %v, chart text %v", dark, opt.Media, got.BG, got.FG, got.Tick)
		}
		open := len(got.Traceback) > 0
		for _, h := range got.Traceback {
			open = open && h > 20
		}
		if open != (opt.Media == "print") {
			t.Errorf("media %q: tracebacks laid out %v", opt.Media, got.Traceback)
		}
	}
}

// checkOverview compares the overview rows read in the browser with the
// JSON report: every workload's iterations, failures and total figures,
// and every top-level action's figures, in order.
func checkOverview(t *testing.T, name string, got probe, jsonArgs []string) {
	t.Helper()
	code, out := captureRun(t, jsonArgs...)
	if code == 2 {
		t.Fatalf("%v: exit %d", jsonArgs, code)
	}
	var rep reportJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	type want struct {
		workload int
		row      string
		cells    map[string]string
	}
	var wants []want
	n := 0
	fig := func(v any) string {
		if f, ok := v.(float64); ok {
			return strconv.FormatFloat(f, 'f', 3, 64)
		}
		return "n/a"
	}
	figs := func(d map[string]any) map[string]string {
		return map[string]string{"median": fig(d["median"]), "90%ile": fig(d["90%ile"]), "95%ile": fig(d["95%ile"]), "max": fig(d["max"])}
	}
	for _, f := range rep {
		for _, w := range f.Workloads {
			n++
			c := figs(w.Durations.Total.Data)
			c["iterations"] = strconv.Itoa(w.Iterations)
			if w.Iterations > 9999 {
				c["iterations"] = "" // checked below with separators
			}
			c["failed"] = strconv.Itoa(w.Failed)
			wants = append(wants, want{n, "total", c})
			for _, a := range w.Durations.Atomics {
				wants = append(wants, want{n, a.DisplayName, figs(a.Data)})
			}
		}
	}
	if len(got.Overview) != len(wants) {
		t.Fatalf("%s: %d overview rows, the JSON report has %d", name, len(got.Overview), len(wants))
	}
	for i, w := range wants {
		g := got.Overview[i]
		if g.Workload != w.workload || g.Row != w.row {
			t.Errorf("%s: overview row %d is %d/%s, want %d/%s", name, i, g.Workload, g.Row, w.workload, w.row)
			continue
		}
		for k, v := range w.cells {
			if v != "" && g.Cells[k] != v {
				t.Errorf("%s: workload %d %s %s = %q, JSON says %q", name, w.workload, w.row, k, g.Cells[k], v)
			}
		}
	}
}

// checkTracebacks: every distinct error type's first traceback in the
// file is on the page.
func checkTracebacks(t *testing.T, file string, got []string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Tasks []struct {
			Subtasks []struct {
				Workloads []struct {
					Data []struct {
						Error []string `json:"error"`
					} `json:"data"`
				} `json:"workloads"`
			} `json:"subtasks"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, task := range rep.Tasks {
		for _, st := range task.Subtasks {
			for _, w := range st.Workloads {
				for _, it := range w.Data {
					if len(it.Error) > 2 && want[it.Error[0]] == "" {
						want[it.Error[0]] = strings.TrimRight(it.Error[2], "\n")
					}
				}
			}
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s has no traceback", file)
	}
	for typ, tb := range want {
		found := false
		for _, g := range got {
			found = found || g == tb
		}
		if !found {
			t.Errorf("the %s traceback is not on the page (%d tracebacks there)", typ, len(got))
		}
	}
}
