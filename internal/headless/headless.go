// Package headless opens a page in Debian's headless Chromium and reports
// what the browser saw: every network request the page made, script
// errors and console errors, the measured geometry of its charts, and
// screenshots. It speaks the DevTools protocol over a pipe
// (--remote-debugging-pipe: NUL-separated JSON on file descriptors 3 and 4),
// so it needs no port, no websocket library and no browser download: tests
// use it to prove that rallyforge's HTML pages render offline.
package headless

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Binary is Debian's Chromium launcher.
var Binary = "/usr/bin/chromium"

// InstallHint is what to run when the browser is missing.
const InstallHint = "apt-get install chromium (or bash scripts/install-deps.sh as root)"

// flags: headless, no sandbox (CI runs as root), and nothing that would
// make the browser itself reach the network (so a request seen is the
// page's). A throwaway profile is added per launch.
var flags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
	"--remote-debugging-pipe", "--window-size=1000,800",
}

// Browser is a running Chromium.
type Browser struct {
	cmd     *exec.Cmd
	profile string
	toB     *os.File // the browser reads commands here (its fd 3)
	fromB   *os.File // and writes answers and events here (its fd 4)
	stderr  bytes.Buffer

	mu      sync.Mutex
	next    int
	waiting map[int]chan message
	events  map[string]chan message // by session id
	done    chan struct{}
	readErr error
}

type message struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct{ Message string }
	SessionID string `json:"sessionId,omitempty"`
}

// Launch starts the browser. The error says how to install it when the
// binary is missing.
func Launch() (*Browser, error) {
	if _, err := os.Stat(Binary); err != nil {
		return nil, fmt.Errorf("%s not found: %s", Binary, InstallHint)
	}
	profile, err := os.MkdirTemp("", "rallyforge-chromium")
	if err != nil {
		return nil, err
	}
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	evR, evW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	b := &Browser{profile: profile, toB: cmdW, fromB: evR, waiting: map[int]chan message{}, events: map[string]chan message{}, done: make(chan struct{})}
	b.cmd = exec.Command(Binary, append(flags, "--user-data-dir="+profile, "about:blank")...)
	b.cmd.ExtraFiles = []*os.File{cmdR, evW} // fds 3 and 4
	b.cmd.Stderr = &b.stderr
	// Its own process group: Close can end the renderers and helpers too.
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := b.cmd.Start(); err != nil {
		os.RemoveAll(profile)
		return nil, fmt.Errorf("start %s: %v", Binary, err)
	}
	cmdR.Close()
	evW.Close()
	go b.read()
	return b, nil
}

func (b *Browser) read() {
	r := bufio.NewReaderSize(b.fromB, 1<<20)
	for {
		raw, err := r.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			b.readErr = err
			b.mu.Unlock()
			close(b.done)
			return
		}
		var m message
		if json.Unmarshal(raw[:len(raw)-1], &m) != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch := b.waiting[m.ID]; ch != nil {
				ch <- m
				delete(b.waiting, m.ID)
			}
		} else if ch := b.events[m.SessionID]; ch != nil {
			select {
			case ch <- m:
			default: // a page flooding events must not block the reader
			}
		}
		b.mu.Unlock()
	}
}

// call sends one command (to a session when sid is set) and waits for its
// answer.
func (b *Browser) call(ctx context.Context, sid, method string, params any, result any) error {
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan message, 1)
	b.waiting[id] = ch
	b.mu.Unlock()
	if params == nil {
		params = map[string]any{}
	}
	req := map[string]any{"id": id, "method": method, "params": params}
	if sid != "" {
		req["sessionId"] = sid
	}
	msg, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := b.toB.Write(append(msg, 0)); err != nil {
		return fmt.Errorf("%s: %v%s", method, err, b.tail())
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-b.done:
		return fmt.Errorf("%s: the browser went away%s", method, b.tail())
	case <-ctx.Done():
		return fmt.Errorf("%s: %v%s", method, ctx.Err(), b.tail())
	}
}

func (b *Browser) tail() string {
	s := strings.TrimSpace(b.stderr.String())
	if s == "" {
		return ""
	}
	if len(s) > 1500 {
		s = s[len(s)-1500:]
	}
	return "\nbrowser stderr:\n" + s
}

// Close ends the browser and removes its profile.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.call(ctx, "", "Browser.close", nil, nil)
	waited := make(chan error, 1)
	go func() { waited <- b.cmd.Wait() }()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-waited
	}
	b.toB.Close()
	b.fromB.Close()
	return os.RemoveAll(b.profile)
}

// Chart is one <svg class="chart …"> as laid out and painted.
type Chart struct {
	Class string  `json:"class"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	W     float64 `json:"w"`
	H     float64 `json:"h"`
	// Marks counts drawn data marks: polylines with ≥ 2 points, and rects,
	// circles, polygons and paths of non-zero size (grid and axis lines
	// are <line>s and not counted).
	Marks int `json:"marks"`
	// BBoxArea is the area of the SVG's content box (getBBox) in user units.
	BBoxArea float64 `json:"bbox_area"`
	// AxisTitles are the texts of the chart's .axis-title elements that
	// were laid out with a non-empty box inside the chart, each prefixed
	// "x: " or "y: " (class "axis-title y" for a y axis).
	AxisTitles []string `json:"axis_titles"`
	// Fails counts the drawn marks of class "fail".
	Fails int `json:"fails"`
	// Image is the chart's box cut from the page screenshot.
	Image image.Image `json:"-"`
}

// Page is what loading one URL showed.
type Page struct {
	URL        string
	Requests   []string // every URL the page asked for, the page itself first
	Exceptions []string // uncaught script errors
	Errors     []string // console errors and browser log errors
	Charts     []Chart
	Screenshot []byte          // the whole page, PNG (scale 1: CSS px = pixels)
	Eval       json.RawMessage // the value of Options.Eval
	Width      float64
	Height     float64
	Took       time.Duration
}

// measure runs in the page after load: each chart's box, its marks and
// its axis titles.
const measure = `(() => Array.from(document.querySelectorAll("svg.chart")).map(s => {
  const r = s.getBoundingClientRect(), bb = s.getBBox();
  let marks = 0, fails = 0;
  const sized = e => { const b = e.getBBox(); return b.width > 0 && b.height > 0; };
  s.querySelectorAll("polyline").forEach(p => { if (p.points.numberOfItems >= 2 && p.getBBox().width > 0) marks++; });
  s.querySelectorAll("rect, circle, polygon, path").forEach(e => { if (sized(e)) { marks++; if (e.classList.contains("fail")) fails++; } });
  const titles = [];
  s.querySelectorAll(".axis-title").forEach(t => {
    const b = t.getBoundingClientRect();
    if (b.width > 0 && b.height > 0 && b.left >= r.left - 1 && b.right <= r.right + 1 && b.top >= r.top - 1 && b.bottom <= r.bottom + 1 && t.textContent.trim() !== "") titles.push((t.classList.contains("y") ? "y: " : "x: ") + t.textContent.trim());
  });
  return {class: s.getAttribute("class"), x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height, marks: marks, fails: fails, bbox_area: bb.width * bb.height, axis_titles: titles};
}))()`

// Options say what Load does besides loading.
type Options struct {
	// Shots asks for the full-page and per-chart screenshots.
	Shots bool
	// Eval is a script expression evaluated in the page after load (for
	// tests that read the DOM); its JSON value lands in Page.Eval.
	Eval string
	// Media emulates a CSS media type ("print"); Dark emulates a reader
	// whose system prefers a dark colour scheme.
	Media string
	Dark  bool
}

// Load opens url in a new tab, waits for it to load and paint, and
// reports. shots asks for the full-page and per-chart screenshots.
func (b *Browser) Load(ctx context.Context, url string, shots bool) (*Page, error) {
	return b.LoadWith(ctx, url, Options{Shots: shots})
}

// LoadWith is Load with options.
func (b *Browser) LoadWith(ctx context.Context, url string, opt Options) (*Page, error) {
	shots := opt.Shots
	start := time.Now()
	var target struct{ TargetID string }
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var att struct{ SessionID string }
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	sid := att.SessionID
	events := make(chan message, 4096)
	b.mu.Lock()
	b.events[sid] = events
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.events, sid)
		b.mu.Unlock()
		b.call(context.Background(), "", "Target.closeTarget", map[string]any{"targetId": target.TargetID}, nil)
	}()
	for _, d := range []string{"Page.enable", "Network.enable", "Runtime.enable", "Log.enable"} {
		if err := b.call(ctx, sid, d, map[string]any{}, nil); err != nil {
			return nil, err
		}
	}
	if opt.Media != "" || opt.Dark {
		scheme := "light"
		if opt.Dark {
			scheme = "dark"
		}
		if err := b.call(ctx, sid, "Emulation.setEmulatedMedia", map[string]any{"media": opt.Media,
			"features": []map[string]string{{"name": "prefers-color-scheme", "value": scheme}}}, nil); err != nil {
			return nil, err
		}
	}
	p := &Page{URL: url}
	var nav struct{ ErrorText string }
	if err := b.call(ctx, sid, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return nil, err
	}
	if nav.ErrorText != "" {
		return nil, fmt.Errorf("%s: %s", url, nav.ErrorText)
	}
	// Collect events until the load event, then a little longer: a late
	// request (an image, a font) must not escape the report.
	loaded := false
	var quiet <-chan time.Time
	for done := false; !done; {
		select {
		case m := <-events:
			p.event(m)
			if m.Method == "Page.loadEventFired" && !loaded {
				loaded = true
				quiet = time.After(150 * time.Millisecond)
			}
		case <-quiet:
			done = true
		case <-b.done:
			return nil, fmt.Errorf("%s: the browser went away%s", url, b.tail())
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: no load event: %v", url, ctx.Err())
		}
	}
	// Two animation frames: layout and paint are done.
	var res struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails *struct{ Text string }
	}
	if err := b.call(ctx, sid, "Runtime.evaluate", map[string]any{
		"expression": `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, "awaitPromise": true}, &res); err != nil {
		return nil, err
	}
	if err := b.call(ctx, sid, "Runtime.evaluate", map[string]any{"expression": measure, "returnByValue": true}, &res); err != nil {
		return nil, err
	}
	if res.ExceptionDetails != nil {
		return nil, fmt.Errorf("measuring charts: %s", res.ExceptionDetails.Text)
	}
	if err := json.Unmarshal(res.Result.Value, &p.Charts); err != nil {
		return nil, fmt.Errorf("measuring charts: %v", err)
	}
	if opt.Eval != "" {
		res.ExceptionDetails = nil
		if err := b.call(ctx, sid, "Runtime.evaluate", map[string]any{"expression": opt.Eval, "returnByValue": true}, &res); err != nil {
			return nil, err
		}
		if res.ExceptionDetails != nil {
			return nil, fmt.Errorf("evaluating: %s", res.ExceptionDetails.Text)
		}
		p.Eval = res.Result.Value
	}
	var metrics struct {
		CSSContentSize struct{ Width, Height float64 }
	}
	if err := b.call(ctx, sid, "Page.getLayoutMetrics", map[string]any{}, &metrics); err != nil {
		return nil, err
	}
	p.Width, p.Height = metrics.CSSContentSize.Width, metrics.CSSContentSize.Height
	if shots {
		// One capture of the whole page, cut into charts here: a capture
		// per chart costs a layout and an encode each.
		var err error
		if p.Screenshot, err = b.shot(ctx, sid, 0, 0, p.Width, p.Height); err != nil {
			return nil, err
		}
		img, err := png.Decode(bytes.NewReader(p.Screenshot))
		if err != nil {
			return nil, fmt.Errorf("page screenshot: %v", err)
		}
		sub, ok := img.(interface {
			SubImage(image.Rectangle) image.Image
		})
		if !ok {
			return nil, fmt.Errorf("page screenshot: cannot crop a %T", img)
		}
		for i := range p.Charts {
			c := &p.Charts[i]
			r := image.Rect(int(math.Floor(c.X)), int(math.Floor(c.Y)), int(math.Ceil(c.X+c.W)), int(math.Ceil(c.Y+c.H)))
			c.Image = sub.SubImage(r.Intersect(img.Bounds()))
		}
	}
	// Anything that arrived meanwhile.
	for drained := false; !drained; {
		select {
		case m := <-events:
			p.event(m)
		default:
			drained = true
		}
	}
	p.Took = time.Since(start)
	return p, nil
}

func (b *Browser) shot(ctx context.Context, sid string, x, y, w, h float64) ([]byte, error) {
	var out struct{ Data []byte }
	err := b.call(ctx, sid, "Page.captureScreenshot", map[string]any{
		"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": x, "y": y, "width": w, "height": h, "scale": 1},
	}, &out)
	if err == nil && len(out.Data) == 0 {
		err = errors.New("empty screenshot")
	}
	return out.Data, err
}

func (p *Page) event(m message) {
	switch m.Method {
	case "Network.requestWillBeSent":
		var e struct{ Request struct{ URL string } }
		if json.Unmarshal(m.Params, &e) == nil {
			p.Requests = append(p.Requests, e.Request.URL)
		}
	case "Runtime.exceptionThrown":
		var e struct {
			ExceptionDetails struct {
				Text      string
				Exception struct{ Description string }
			}
		}
		if json.Unmarshal(m.Params, &e) == nil {
			p.Exceptions = append(p.Exceptions, strings.TrimSpace(e.ExceptionDetails.Text+" "+e.ExceptionDetails.Exception.Description))
		}
	case "Runtime.consoleAPICalled":
		var e struct {
			Type string
			Args []struct {
				Value       any
				Description string
			}
		}
		if json.Unmarshal(m.Params, &e) == nil && (e.Type == "error" || e.Type == "assert") {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, fmt.Sprint(a.Value, a.Description))
			}
			p.Errors = append(p.Errors, "console: "+strings.Join(parts, " "))
		}
	case "Log.entryAdded":
		var e struct {
			Entry struct{ Level, Source, Text, URL string }
		}
		if json.Unmarshal(m.Params, &e) == nil && e.Entry.Level == "error" {
			p.Errors = append(p.Errors, fmt.Sprintf("%s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	}
}

// Problems lists what is wrong with a page of rallyforge's: a request for
// anything but the page itself, a script or console error, no chart, or a
// chart not laid out, drawing nothing or lacking its two axis titles.
func (p *Page) Problems() []string {
	var out []string
	if len(p.Requests) != 1 || p.Requests[0] != p.URL {
		out = append(out, fmt.Sprintf("requests besides the page: %q", p.Requests))
	}
	for _, e := range append(append([]string{}, p.Exceptions...), p.Errors...) {
		out = append(out, "error: "+e)
	}
	if len(p.Charts) == 0 {
		out = append(out, "no chart")
	}
	for i, c := range p.Charts {
		if c.W < 100 || c.H < 100 || c.BBoxArea <= 0 || c.Marks == 0 {
			out = append(out, fmt.Sprintf("chart %d (%s): laid out %gx%g, content box %g, %d marks", i, c.Class, c.W, c.H, c.BBoxArea, c.Marks))
		}
		var x, y bool
		for _, t := range c.AxisTitles {
			x = x || strings.HasPrefix(t, "x: ")
			y = y || strings.HasPrefix(t, "y: ")
		}
		if !x || !y {
			out = append(out, fmt.Sprintf("chart %d (%s): axis titles %q", i, c.Class, c.AxisTitles))
		}
	}
	return out
}
