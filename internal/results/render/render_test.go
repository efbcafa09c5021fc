package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func load(t *testing.T) []*stats.File {
	files, _ := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "*.report.json"))
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	var out []*stats.File
	for _, f := range files {
		s, err := stats.Summarize(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestFormats(t *testing.T) {
	files := load(t)
	workloads, slaFails, rows := 0, 0, 0
	for _, f := range files {
		for _, w := range f.Workloads {
			workloads++
			rows += len(Lines(w.Durations))
			if w.PassSLA != nil && !*w.PassSLA {
				slaFails++
			}
		}
	}
	var j bytes.Buffer
	if err := JUnit(&j, files); err != nil {
		t.Fatal(err)
	}
	var suites junitSuites
	if err := xml.Unmarshal(j.Bytes(), &suites); err != nil {
		t.Fatal(err)
	}
	cases, fails := 0, 0
	for _, s := range suites.Suites {
		cases += len(s.Cases)
		fails += s.Failures
	}
	if cases != workloads || fails != slaFails || slaFails == 0 {
		t.Errorf("junit: %d cases %d failures; want %d, %d", cases, fails, workloads, slaFails)
	}

	var m bytes.Buffer
	Markdown(&m, files)
	if got := strings.Count(m.String(), "\n| `") + strings.Count(m.String(), "\n| ↳"); got != rows {
		t.Errorf("markdown: %d table rows, want %d", got, rows)
	}
	var tx bytes.Buffer
	Text(&tx, files)
	if !strings.Contains(tx.String(), "  glance_v2.get_image (x2)") || !strings.Contains(tx.String(), "5 × Conflict") {
		t.Errorf("text lacks nested row or failure group:\n%s", tx.String())
	}
	var js bytes.Buffer
	JSON(&js, files)
	var back []struct {
		Workloads []struct {
			Durations struct {
				Total struct {
					Data map[string]any `json:"data"`
				} `json:"total"`
			} `json:"durations"`
		} `json:"workloads"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back) != len(files) || back[0].Workloads[0].Durations.Total.Data["90%ile"] == nil {
		t.Errorf("json: %v %+v", err, back)
	}
}
