package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func loadTimelines(t *testing.T, pattern string) []*stats.File {
	files, _ := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", pattern))
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	var out []*stats.File
	for _, f := range files {
		s, err := stats.SummarizeTimelines(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// markup counts a page's elements by name and class.
func markup(t *testing.T, page string) map[string]int {
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = true
	counts := map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return counts
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
			for _, a := range se.Attr {
				if a.Name.Local == "class" {
					counts[se.Name.Local+"."+a.Value]++
				}
			}
		}
	}
}

// The page is self-contained (no URL, no script) and well-formed, with per
// workload a duration chart, a load profile, a histogram per top-level
// action and the total, and an overview row per workload and action.
func TestHTML(t *testing.T) {
	files := append(loadTimelines(t, "*.report.json"), loadTimelines(t, "*.results.json")...)
	var b bytes.Buffer
	if err := HTML(&b, files); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"http://", "https://", "<script", "src=", "url(", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	workloads, rows, histos := 0, 0, 0
	for _, f := range files {
		for _, w := range f.Workloads {
			workloads++
			rows += 1 + len(w.Durations.Atomics)
			histos += 1 + len(w.Durations.Atomics)
		}
	}
	c := markup(t, page)
	for class, want := range map[string]int{"svg.chart duration": workloads, "svg.chart load": workloads, "svg.chart histogram": histos,
		"section.workload": workloads, "text.axis-title x": workloads*2 + histos, "text.axis-title y": workloads*2 + histos} {
		if c[class] != want {
			t.Errorf("%d %q, want %d", c[class], class, want)
		}
	}
	if got := strings.Count(page, "<tr data-workload=") + strings.Count(page, `<tr class="sub" data-workload=`); got != rows {
		t.Errorf("%d overview rows, want %d", got, rows)
	}
}

// On the placement-failures sample: the five failed iterations are marked
// on the duration chart, the failure group lists them with the real
// traceback, the action that ran only in failed iterations is drawn as
// five separate pieces (gaps elsewhere), and the configuration is shown.
func TestHTMLFailures(t *testing.T) {
	files := loadTimelines(t, "placement-failures.report.json")
	var b bytes.Buffer
	if err := HTML(&b, files); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	c := markup(t, page)
	if c["path.fail"] != 5 || c["rect.failcol"] != 5 {
		t.Errorf("%d failure marks, %d failure stripes, want 5", c["path.fail"], c["rect.failcol"])
	}
	for _, it := range []string{"iteration 4 failed: Conflict", "iteration 20 failed: Conflict", "iterations 4, 8, 12, 16, 20"} {
		if !strings.Contains(page, it) {
			t.Errorf("page lacks %q", it)
		}
	}
	if n := strings.Count(page, "<title>placement.create_duplicate_resource_provider, iteration "); n != 5 {
		t.Errorf("the action of failed iterations drawn in %d pieces, want 5 (gaps between)", n)
	}
	raw, _ := os.ReadFile(files[0].Path)
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
	tb := ""
	for _, it := range rep.Tasks[0].Subtasks[0].Workloads[0].Data {
		if len(it.Error) > 2 {
			tb = it.Error[2]
			break
		}
	}
	if len(tb) < 100 || !strings.Contains(page, `<pre class="traceback">`+esc(strings.TrimRight(tb, "\n"))+`</pre></details>`) {
		t.Errorf("the traceback of the first failure is not on the page")
	}
	if !strings.Contains(page, "duplicate_every: 4") || !strings.Contains(page, "concurrency: 2") {
		t.Error("configuration missing")
	}
}

// Odd but valid results still make a well-formed page with everything
// escaped: a workload without iterations, one iteration, a negative
// duration, an action present only at the end, markup in names and
// errors, a load_duration shorter than the iterations.
func TestHTMLOddResults(t *testing.T) {
	doc := `{"tasks":[{"uuid":"u","title":"<b>t</b>","subtasks":[{"title":"s","workloads":[
{"position":0,"scenario":{"A.<script>x":{"k":"</pre>"}},"runner":{"constant":{"times":0}},"sla":{},"data":[]},
{"position":1,"scenario":{"B.one":{}},"load_duration":0,"data":[{"duration":0.5,"idle_duration":0,"timestamp":10,"error":["E<x>","m&m","Traceback <here>"],"atomic_actions":[{"name":"a\"b","started_at":10,"finished_at":10.2,"children":[]}]}]},
{"position":2,"scenario":{"C.neg":{}},"load_duration":1,"data":[
 {"duration":0.1,"idle_duration":0,"timestamp":1,"error":[],"atomic_actions":[{"name":"x","started_at":1,"finished_at":0.9,"children":[]}]},
 {"duration":0.2,"idle_duration":0,"timestamp":1.1,"error":[],"atomic_actions":[{"name":"x","started_at":1,"finished_at":1.1,"children":[]},{"name":"late","started_at":1.1,"finished_at":1.2,"children":[]}]}]},
{"position":3,"scenario":{"D.short":{}},"load_duration":0.01,"data":[
 {"duration":0.5,"idle_duration":0,"timestamp":1,"error":[],"atomic_actions":[]},
 {"duration":0.5,"idle_duration":0,"timestamp":1.5,"error":[],"atomic_actions":[]}]}]}]}]}`
	path := filepath.Join(t.TempDir(), "odd.json")
	os.WriteFile(path, []byte(doc), 0o644)
	f, err := stats.SummarizeTimelines(path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := HTML(&b, []*stats.File{f}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	c := markup(t, page)
	if strings.Contains(page, "<script") || strings.Contains(page, "<here>") || c["section.workload"] != 4 || c["svg.chart duration"] != 3 {
		t.Errorf("odd page: %v", c)
	}
	if !strings.Contains(page, "Traceback &lt;here&gt;") {
		t.Error("traceback not escaped or missing")
	}
	// A load_duration shorter than the iterations (Rally's chart raises
	// IndexError) draws the profile over the iterations, and says so.
	if n := strings.Count(page, "load_duration (10.0 ms) is shorter"); n != 1 {
		t.Errorf("%d notes of a short load_duration", n)
	}
}
