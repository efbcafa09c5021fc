package headless

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The checks can fail: a page that fetches an image from a server, throws,
// logs a console error and draws one bar next to an empty chart is
// reported as exactly that.
func TestLoadSeesRequestsErrorsAndCharts(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(404)
	}))
	defer srv.Close()
	page := `<!DOCTYPE html><html><body>
<svg class="chart full" width="200" height="100"><rect x="10" y="10" width="50" height="80" fill="#1f77b4"/><rect x="70" y="10" width="0" height="80"/></svg>
<svg class="chart empty" width="200" height="100"></svg>
<img src="` + srv.URL + `/probe.png">
<script>console.error("bad thing"); throw new Error("boom");</script>
</body></html>`
	path := filepath.Join(t.TempDir(), "p.html")
	os.WriteFile(path, []byte(page), 0o644)

	b, err := Launch()
	if err != nil {
		t.Fatalf("headless Chromium: %v", err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := b.Load(ctx, "file://"+path, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Requests) != 2 || p.Requests[0] != "file://"+path || !strings.HasPrefix(p.Requests[1], srv.URL) || hits.Load() == 0 {
		t.Errorf("requests %v (server hits %d)", p.Requests, hits.Load())
	}
	if len(p.Exceptions) != 1 || !strings.Contains(p.Exceptions[0], "boom") {
		t.Errorf("exceptions %q", p.Exceptions)
	}
	if !strings.Contains(strings.Join(p.Errors, "\n"), "bad thing") {
		t.Errorf("errors %q", p.Errors)
	}
	if len(p.Charts) != 2 {
		t.Fatalf("charts %+v", p.Charts)
	}
	full, empty := p.Charts[0], p.Charts[1]
	if full.Class != "chart full" || full.Marks != 1 || full.W != 200 || full.H != 100 || full.BBoxArea <= 0 {
		t.Errorf("full chart %+v", full)
	}
	if empty.Marks != 0 || empty.BBoxArea != 0 {
		t.Errorf("empty chart %+v", empty)
	}
	// The bar is painted: its colour fills about a fifth of the shot.
	img := full.Image
	if sz := img.Bounds().Size(); sz.X != 200 || sz.Y != 100 {
		t.Errorf("chart cut to %v", sz)
	}
	blue := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == 0x1f && g>>8 == 0x77 && bl>>8 == 0xb4 {
				blue++
			}
		}
	}
	if blue < 50*80*9/10 || blue > 50*80*11/10 {
		t.Errorf("%d blue pixels, want about %d", blue, 50*80)
	}
	if _, err := png.Decode(bytes.NewReader(p.Screenshot)); err != nil {
		t.Errorf("page screenshot: %v", err)
	}
	// Problems names the request, both errors, the untitled axes of the
	// full chart and the empty chart.
	probs := strings.Join(p.Problems(), "\n")
	for _, want := range []string{"requests besides the page", "boom", "bad thing", "chart 0 (chart full): axis titles", "chart 1 (chart empty): laid out"} {
		if !strings.Contains(probs, want) {
			t.Errorf("problems lack %q:\n%s", want, probs)
		}
	}
}

func TestLaunchMissingBinary(t *testing.T) {
	old := Binary
	Binary = "/nonexistent/chromium"
	defer func() { Binary = old }()
	if _, err := Launch(); err == nil || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("missing browser: %v", err)
	}
}
