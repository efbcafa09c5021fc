package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// The page must be self-contained (no URL, no script) and well-formed, with
// the three charts per workload drawn from real data.
func TestHTML(t *testing.T) {
	files := load(t)
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
	workloads := 0
	for _, f := range files {
		workloads += len(f.Workloads)
	}
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = true
	counts := map[string]int{}
	polyPoints := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "class" {
					counts[se.Name.Local+"."+a.Value]++
				}
				if se.Name.Local == "polyline" && a.Name.Local == "points" {
					polyPoints += len(strings.Fields(a.Value))
				}
			}
			counts[se.Name.Local]++
		}
	}
	for _, c := range []string{"svg.chart trace", "svg.chart bars", "svg.chart histo"} {
		if counts[c] != workloads {
			t.Errorf("%d %q charts for %d workloads", counts[c], c, workloads)
		}
	}
	// One point per iteration of each top-level row (≤ 2048 iterations).
	want, lines := 0, 0
	for _, f := range files {
		for _, w := range f.Workloads {
			for _, r := range append(w.Durations.Atomics, w.Durations.Total) {
				want += r.Data.IterationCount
				lines++
			}
		}
	}
	if counts["polyline"] != lines || polyPoints != want {
		t.Errorf("%d polylines with %d points, want %d with %d", counts["polyline"], polyPoints, lines, want)
	}
	if counts["rect"] < workloads*30 {
		t.Errorf("only %d bars", counts["rect"])
	}
}
