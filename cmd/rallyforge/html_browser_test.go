package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/headless"
)

// svgChart is what the markup of one chart promises: the marks it draws
// and their colours.
type svgChart struct {
	class  string
	marks  int
	colors map[string]bool
	axisY  float64 // y of the x axis (the first line's y1)
}

// chartsInMarkup reads every <svg class="chart …"> of a page.
func chartsInMarkup(t *testing.T, page []byte) []svgChart {
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	var out []svgChart
	var cur *svgChart
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("page markup: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			a := map[string]string{}
			for _, x := range e.Attr {
				a[x.Name.Local] = x.Value
			}
			num := func(k string) float64 { f, _ := strconv.ParseFloat(a[k], 64); return f }
			switch {
			case e.Name.Local == "svg" && strings.HasPrefix(a["class"], "chart"):
				out = append(out, svgChart{class: a["class"], colors: map[string]bool{}})
				cur = &out[len(out)-1]
			case cur == nil:
			case e.Name.Local == "line" && cur.axisY == 0:
				cur.axisY = num("y1")
			case e.Name.Local == "polyline":
				pts := strings.Fields(a["points"])
				lo, hi := 1e18, -1e18
				ys := map[float64]bool{}
				for _, p := range pts {
					xy := strings.Split(p, ",")
					x, _ := strconv.ParseFloat(xy[0], 64)
					lo, hi = min(lo, x), max(hi, x)
					y, _ := strconv.ParseFloat(xy[len(xy)-1], 64)
					ys[y] = true
				}
				if len(pts) >= 2 && hi > lo {
					cur.marks++
					// A series of zeros lies on the x axis, its 1.2 px
					// stroke blended with the axis line: no pixel keeps
					// the pure colour, so only its box is checked.
					if !(len(ys) == 1 && ys[cur.axisY]) {
						cur.colors[a["stroke"]] = true
					}
				}
			case e.Name.Local == "rect" && num("width") > 0 && num("height") > 0,
				e.Name.Local == "circle" && num("r") > 0:
				cur.marks++
				cur.colors[a["fill"]] = true
			}
		case xml.EndElement:
			if e.Name.Local == "svg" {
				cur = nil
			}
		}
	}
	return out
}

// palette counts the pixels of img per colour, in one pass.
func palette(img image.Image) map[[3]int64]int {
	out := map[[3]int64]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			out[[3]int64{int64(r >> 8), int64(g >> 8), int64(bl >> 8)}]++
		}
	}
	return out
}

// colorPixels counts the pixels within a small distance of #rrggbb
// (antialiasing blends edges; thin lines keep their colour at the core).
func colorPixels(counts map[[3]int64]int, hex string) int {
	var want [3]int64
	for i := range want {
		v, _ := strconv.ParseInt(hex[1+2*i:3+2*i], 16, 64)
		want[i] = v
	}
	n := 0
	for c, k := range counts {
		if max(abs(c[0]-want[0]), abs(c[1]-want[1]), abs(c[2]-want[2])) <= 24 {
			n += k
		}
	}
	return n
}

// slaExit is the exit code of args: 1 when a results file with a failed
// SLA is among them.
func slaExit(args []string) int {
	for _, a := range args {
		if strings.HasSuffix(a, "placement-failures.report.json") {
			return 1
		}
	}
	return 0
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// The HTML pages of `report --format html` (every real sample report,
// one page each and all on one page) and of `history trends --format html`
// open in headless Chromium offline: the page asks for nothing but itself,
// raises no script or console error, lays out every chart the markup
// holds at its size, draws every mark (polyline, bar, point) with a real
// box, and paints each mark's colour into the chart's pixels.
// RALLYFORGE_SCREENSHOTS=DIR keeps the full-page screenshots for a look.
func TestHTMLPagesRenderInChromium(t *testing.T) {
	dir := t.TempDir()
	samples := []string{"keystone-basic.report.json", "glance-images.report.json", "placement-custom.report.json", "placement-failures.report.json", "keystone-basic.results.json"}
	pages := map[string][]string{}
	var all []string
	for _, s := range samples {
		pages["report-"+s+".html"] = []string{"report", "--format", "html", resultsSample(t, s)}
		all = append(all, resultsSample(t, s))
	}
	pages["report-all.html"] = append([]string{"report", "--format", "html"}, all...)
	db := filepath.Join(dir, "h.db")
	for i := 0; i < 3; i++ {
		if code, out := captureRun(t, append([]string{"history", "add", "--db", db, "--tag", "main"}, all...)...); code != 0 {
			t.Fatalf("history add: %d %s", code, out)
		}
	}
	pages["trends.html"] = []string{"history", "trends", "--db", db, "--format", "html"}

	b, err := headless.Launch()
	if err != nil {
		t.Fatalf("headless Chromium: %v", err)
	}
	defer b.Close()
	keep := os.Getenv("RALLYFORGE_SCREENSHOTS")
	start := time.Now()
	for name, args := range pages {
		code, html := captureRun(t, args...)
		// report exits 1 on a failed SLA, after printing the whole page.
		if want := slaExit(args); code != want {
			t.Fatalf("%v: exit %d, want %d", args, code, want)
		}
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(html), 0o644)
		want := chartsInMarkup(t, []byte(html))
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		p, err := b.Load(ctx, "file://"+path, true)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.Requests) != 1 || p.Requests[0] != "file://"+path {
			t.Errorf("%s: the page made requests besides itself: %q", name, p.Requests)
		}
		if len(p.Exceptions)+len(p.Errors) > 0 {
			t.Errorf("%s: errors %q %q", name, p.Exceptions, p.Errors)
		}
		if len(want) == 0 || len(p.Charts) != len(want) {
			t.Fatalf("%s: %d charts in the browser, %d in the markup", name, len(p.Charts), len(want))
		}
		for i, c := range p.Charts {
			w := want[i]
			where := fmt.Sprintf("%s chart %d (%s)", name, i, c.Class)
			if c.Class != w.class || c.W < 600 || c.H < 190 || c.BBoxArea <= 0 {
				t.Errorf("%s: laid out as %+v", where, c)
			}
			if c.Marks != w.marks || c.Marks == 0 {
				t.Errorf("%s: %d marks drawn, the markup has %d", where, c.Marks, w.marks)
			}
			img := c.Image
			if sz := img.Bounds().Size(); sz.X < int(c.W)-1 || sz.Y < int(c.H)-1 {
				t.Errorf("%s: screenshot %v for a %gx%g box", where, sz, c.W, c.H)
			}
			counts := palette(img)
			for col := range w.colors {
				if n := colorPixels(counts, col); n < 10 {
					t.Errorf("%s: colour %s painted on %d pixels", where, col, n)
				}
			}
		}
		t.Logf("%s: %d charts, %d marks, %.0fx%.0f px page, loaded, measured and captured in %v",
			name, len(p.Charts), sumMarks(p.Charts), p.Width, p.Height, p.Took.Round(time.Millisecond))
		if keep != "" {
			os.WriteFile(filepath.Join(keep, strings.TrimSuffix(name, ".html")+".png"), p.Screenshot, 0o644)
		}
	}
	t.Logf("%d pages in %v (browser already up)", len(pages), time.Since(start).Round(time.Millisecond))
}

func sumMarks(cs []headless.Chart) int {
	n := 0
	for _, c := range cs {
		n += c.Marks
	}
	return n
}
