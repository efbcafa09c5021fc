package jinja

import (
	"regexp"
	"strings"
	"sync"
)

var (
	exprRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{.*?\}\}`) })
	tagRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{%.*?%\}|\{#.*?#\}`) })
)

// LineMap maps rendered lines (1-based) back to the template lines that
// produced them; lint places its findings with it, baseline anchors its
// edits. Each template line becomes a pattern (its {{ … }} expressions
// match anything; lines that are only {% … %} tags, or a lone expression
// that could be any line, produce nothing). Rendered lines are matched in
// order, each to the matching template line nearest after the previous
// match (or shortly before it: a loop body rendered again), so repeated
// lines map to their own occurrence. A file without Jinja2 maps one to one.
type LineMap struct {
	identity bool
	exact    map[int]int // rendered line -> template line whose text it is
	traced   map[int]int // every non-blank rendered line -> last matched template line
}

// MapLines maps the rendered text of src.
func MapLines(src []byte, rendered string) *LineMap {
	if !HasTemplate(src) {
		return &LineMap{identity: true}
	}
	type pat struct {
		line int
		re   *regexp.Regexp
		lit  string
	}
	var pats []pat
	for i, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(tagRe().ReplaceAllString(l, ""))
		if l == "" || strings.TrimSpace(exprRe().ReplaceAllString(l, "")) == "" {
			continue
		}
		p := pat{line: i + 1}
		if exprRe().MatchString(l) {
			parts := exprRe().Split(l, -1)
			for j := range parts {
				parts[j] = regexp.QuoteMeta(parts[j])
			}
			if re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$"); err == nil {
				p.re = re
			}
		} else {
			p.lit = l
		}
		pats = append(pats, p)
	}
	m := &LineMap{exact: map[int]int{}, traced: map[int]int{}}
	next, last := 0, 1
	for i, l := range strings.Split(rendered, "\n") {
		k := strings.TrimSpace(l)
		if k == "" {
			continue
		}
		match := func(j int) bool {
			if j < 0 || j >= len(pats) {
				return false
			}
			p := pats[j]
			return (p.re == nil && p.lit == k) || (p.re != nil && p.re.MatchString(k))
		}
		// Nearest match around the cursor, forward first; backward at
		// half speed for loop bodies rendered again.
		found := -1
		for d := 0; d < 300 && found < 0; d++ {
			if match(next + d) {
				found = next + d
			} else if d%2 == 0 && match(next-1-d/2) {
				found = next - 1 - d/2
			}
		}
		if found >= 0 {
			last = pats[found].line
			next = found + 1
			m.exact[i+1] = last
		}
		m.traced[i+1] = last
	}
	return m
}

// Exact is the template line whose text the rendered line is (literally,
// or with each {{ … }} standing for anything): a line an edit can be
// anchored at. False for lines from macros, includes or lone expressions,
// and for a nil map.
func (m *LineMap) Exact(line int) (int, bool) {
	if m == nil {
		return 0, false
	}
	if m.identity {
		return line, true
	}
	l, ok := m.exact[line]
	return l, ok
}

// Traced is the template line a finding on the rendered line belongs to:
// the exact line, or else the last traced one before it (a line from an
// include or a macro). False where nothing is known (blank lines).
func (m *LineMap) Traced(line int) (int, bool) {
	if m == nil {
		return 0, false
	}
	if m.identity {
		return line, true
	}
	l, ok := m.traced[line]
	return l, ok
}
