// Package chart draws the inline SVG charts of rallyforge's HTML pages (the
// results report and the history trends): frames with titled axes, nice
// ticks, durations in ms or s as fits, one colour per series name across a
// page, and the page's shared stylesheet (light, dark and print). Nothing
// here needs a script or a URL: the pages stay single offline files.
package chart

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Frame is a plotting area inside an SVG of W×H: margins L, R, T, B and
// the data ranges the area shows.
type Frame struct {
	W, H       float64
	L, R, T, B float64
	X0, X1     float64
	Y0, Y1     float64
	// XTitleDY is how far below the x axis its title sits (32 when 0;
	// more for two-line tick labels).
	XTitleDY float64
}

// PX maps a data x to SVG coordinates.
func (f *Frame) PX(v float64) float64 {
	if f.X1 == f.X0 {
		return f.L + (f.W-f.L-f.R)/2
	}
	return f.L + (f.W-f.L-f.R)*(v-f.X0)/(f.X1-f.X0)
}

// PY maps a data y to SVG coordinates (up is larger).
func (f *Frame) PY(v float64) float64 {
	if f.Y1 == f.Y0 {
		return f.H - f.B
	}
	return f.H - f.B - (f.H-f.B-f.T)*(v-f.Y0)/(f.Y1-f.Y0)
}

// Bottom and Top are the SVG y of the plotting area's edges.
func (f *Frame) Bottom() float64 { return f.H - f.B }
func (f *Frame) Top() float64    { return f.T }

// Tick is an axis value and its label.
type Tick struct {
	V     float64
	Label string
}

// Open starts an <svg class="chart CLASS"> with an accessible title. The
// width is fixed in the markup and scales down with the page (CSS).
func Open(b *strings.Builder, class, title string, w, h float64) {
	fmt.Fprintf(b, `<svg class="chart %s" width="%g" height="%g" viewBox="0 0 %g %g" role="img" aria-label="%s"><title>%s</title>`,
		class, w, h, w, h, Esc(title), Esc(title))
}

// Axes draws grid lines, the two axis lines, tick labels and the axis
// titles (class "axis-title x" and "axis-title y", which the browser tests
// look for).
func (f *Frame) Axes(b *strings.Builder, xt, yt []Tick, xTitle, yTitle string) {
	for _, t := range yt {
		y := f.PY(t.V)
		fmt.Fprintf(b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, f.L, y, f.W-f.R, y)
		fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, f.L-5, y+3.5, Esc(t.Label))
	}
	for i, t := range xt {
		x := f.PX(t.V)
		anchor := "middle"
		// Keep the end labels inside the frame.
		if i == len(xt)-1 && x > f.W-f.R-12 {
			anchor = "end"
		}
		fmt.Fprintf(b, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x, f.Bottom(), x, f.Bottom()+4)
		fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, x, f.Bottom()+15, anchor, Esc(t.Label))
	}
	fmt.Fprintf(b, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, f.L, f.Bottom(), f.W-f.R, f.Bottom())
	fmt.Fprintf(b, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, f.L, f.T, f.L, f.Bottom())
	if xTitle != "" {
		fmt.Fprintf(b, `<text class="axis-title x" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, (f.L+f.W-f.R)/2, f.Bottom()+cmp.Or(f.XTitleDY, 32), Esc(xTitle))
	}
	if yTitle != "" {
		cy := (f.T + f.Bottom()) / 2
		fmt.Fprintf(b, `<text class="axis-title y" x="%.1f" y="%.1f" text-anchor="middle" transform="rotate(-90 %.1f %.1f)">%s</text>`, 14.0, cy, 14.0, cy, Esc(yTitle))
	}
}

// LeftMargin is room for the y tick labels and the rotated y title: the
// tick labels are about 6.2 px a character at their size.
func LeftMargin(yt []Tick) float64 {
	n := 0
	for _, t := range yt {
		n = max(n, len(t.Label))
	}
	return max(48, 30+6.2*float64(n))
}

// Esc escapes text for SVG and HTML.
func Esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NiceStep is the 1, 2 or 5 × 10^k step that cuts span into about n parts.
func NiceStep(span float64, n int) float64 {
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(max(n, 1))
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// Ticks are the multiples of a nice step covering [lo, hi]: the first at or
// below lo, the last at or above hi (so the axis ends on a tick).
func Ticks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	step := NiceStep(hi-lo, n)
	k0 := math.Floor(lo/step + 1e-9)
	d := decimals(step) + 1
	var out []float64
	for k := k0; ; k++ {
		// k×step rounded to the step's decimals: 3×0.05 is 0.15000000000000002.
		v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'f', d, 64), 64)
		out = append(out, v)
		if v >= hi-step*1e-9 || len(out) > 100 {
			break
		}
	}
	return out
}

// decimals is how many decimals print a multiple of step exactly.
func decimals(step float64) int {
	d := 0
	for d < 9 && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-6 {
		d++
	}
	return d
}

// Labels formats tick values with the decimals their step needs (scaled
// by factor, e.g. 1000 for ms).
func Labels(vs []float64, factor float64) []Tick {
	step := 1.0
	if len(vs) > 1 {
		step = (vs[1] - vs[0]) * factor
	}
	d := decimals(step)
	out := make([]Tick, len(vs))
	for i, v := range vs {
		out[i] = Tick{v, Thousands(strconv.FormatFloat(v*factor, 'f', d, 64))}
	}
	return out
}

// Thousands puts commas in the integer part of a formatted number: a
// count of 100000 reads 100,000.
func Thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) > 4 {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	if neg {
		intPart = "-" + intPart
	}
	return intPart + frac
}

// Count formats an integer with thousands separators.
func Count(n int) string { return Thousands(strconv.Itoa(n)) }

// TimeUnit picks ms below a second, else s: the unit's name and the factor
// from seconds.
func TimeUnit(maxSeconds float64) (string, float64) {
	if maxSeconds < 1 {
		return "ms", 1000
	}
	return "s", 1
}

// Seconds formats a duration for a tooltip in the unit that fits it.
func Seconds(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.Abs(v) < 1:
		return strconv.FormatFloat(v*1000, 'f', 1, 64) + " ms"
	default:
		return strconv.FormatFloat(v, 'f', 3, 64) + " s"
	}
}

// Colors gives each series name one colour for the whole page, in order of
// first use; the failure red and the total's foreground are kept out.
type Colors struct {
	m map[string]string
}

// Palette: Tableau 10 without its red (failures are red), readable on
// white, on the dark theme's background and in print.
var Palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#499894", "#bab0ac", "#86bcb6", "#d4a6c8"}

// Fail is the colour of failures.
const Fail = "#e15759"

// Of returns name's colour.
func (c *Colors) Of(name string) string {
	if c.m == nil {
		c.m = map[string]string{}
	}
	if col, ok := c.m[name]; ok {
		return col
	}
	col := Palette[len(c.m)%len(Palette)]
	c.m[name] = col
	return col
}

// Legend writes an HTML legend: a swatch and a name per entry.
func Legend(b *strings.Builder, entries [][2]string) {
	b.WriteString(`<div class="legend">`)
	for _, e := range entries {
		fmt.Fprintf(b, `<span><i style="background:%s"></i>%s</span>`, e[1], Esc(e[0]))
	}
	b.WriteString(`</div>`)
}

// CSS is the stylesheet both pages share: light by default, dark when the
// reader's system asks for it, black on white in print, charts kept whole
// across printed pages and tracebacks printed open.
const CSS = `
:root{--bg:#fff;--fg:#1d2125;--muted:#5b6470;--grid:#e3e6ea;--axis:#6b7480;--card:#f6f7f9;--line:#d5d9de;--pass:#1a7f37;--fail:#c62828;--link:#0b5cad}
@media (prefers-color-scheme:dark){:root{--bg:#16191d;--fg:#e4e7eb;--muted:#9aa3ad;--grid:#2c3238;--axis:#8a939d;--card:#1f2328;--line:#353b42;--pass:#4cc06a;--fail:#ff6b6b;--link:#7cb7ff}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--grid:#ddd;--axis:#555;--card:#fff;--line:#bbb;--pass:#1a7f37;--fail:#b00020;--link:#000}
 section,svg.chart,table,details{break-inside:avoid}details::details-content{content-visibility:visible;display:block}nav.toc{display:none}}
html{background:var(--bg);color:var(--fg)}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0 auto;padding:1.2em 1.5em 3em;max-width:1120px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.3em;margin:1.6em 0 .4em}h3{font-size:1.15em;margin:0 0 .3em}h4{font-size:1em;margin:1.2em 0 .3em;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
a{color:var(--link)}
.muted,.meta{color:var(--muted)}
table{border-collapse:collapse;margin:.4em 0;font-variant-numeric:tabular-nums}
td,th{border-bottom:1px solid var(--line);padding:3px 9px;text-align:right;vertical-align:top}
th{font-weight:600;background:var(--card)}
td.l,th.l{text-align:left}
tr.sub td{color:var(--muted);font-size:.93em}
.badge{display:inline-block;padding:0 .5em;border-radius:3px;font-weight:700;font-size:.85em;border:1px solid currentColor}
.PASS{color:var(--pass)}.FAIL{color:var(--fail)}.na{color:var(--muted)}
td.bad{color:var(--fail);font-weight:600}
section.workload{border-top:3px solid var(--line);margin-top:2em;padding-top:.8em}
pre{background:var(--card);border:1px solid var(--line);padding:.6em .8em;overflow-x:auto;font-size:12.5px;line-height:1.35;white-space:pre-wrap;word-break:break-word}
details{margin:.3em 0;border:1px solid var(--line);border-radius:4px;padding:.3em .6em;background:var(--card)}
summary{cursor:pointer}
.charts{display:flex;flex-wrap:wrap;gap:.8em 1.2em}
figure{margin:0}figcaption{font-weight:600;margin:.4em 0 .1em}
svg.chart{max-width:100%;height:auto;color:var(--fg);font-size:11px;overflow:visible}
svg.chart .grid{stroke:var(--grid);stroke-width:1}
svg.chart .axis{stroke:var(--axis);stroke-width:1}
svg.chart text{fill:currentColor}
svg.chart .tick{fill:var(--muted);font-size:10.5px}
svg.chart .axis-title{font-size:11.5px;font-weight:600}
svg.chart .note{fill:var(--muted);font-size:10.5px}
svg.chart .total{stroke:currentColor;fill:none}
svg.chart .band{fill:currentColor;fill-opacity:.13;stroke:none}
.legend{font-size:12px;margin:.2em 0 .4em}.legend span{margin-right:1.1em;white-space:nowrap}.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px;border-radius:2px}
`
