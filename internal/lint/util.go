package lint

import (
	"regexp"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

var defaultView = sync.OnceValue(func() *catalog.Catalog { return View(false) })

// lineMap maps positions in the rendered text back to the template. Each
// template line becomes a pattern (its {{ … }} expressions match anything,
// lines that are only {% … %} tags produce nothing); rendered lines are
// matched in order, each to the matching template line nearest after the
// previous match (or shortly before it: loop bodies), so repeated lines
// map to their own occurrence. A line
// that matches nothing (it came from an include or a macro) maps to the
// last traced line. Files without Jinja2 map one to one.
type lineMap struct {
	identity bool
	to       map[int]int // rendered line -> source line
}

var (
	exprRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{.*?\}\}`) })
	tagRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{%.*?%\}|\{#.*?#\}`) })
)

func newLineMap(src []byte, rendered string) lineMap {
	if !task.HasTemplate(src) {
		return lineMap{identity: true}
	}
	type pat struct {
		line int
		re   *regexp.Regexp
		lit  string
	}
	var pats []pat
	for i, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(tagRe().ReplaceAllString(l, ""))
		if l == "" {
			continue
		}
		p := pat{line: i + 1}
		if strings.TrimSpace(exprRe().ReplaceAllString(l, "")) == "" {
			continue // only an expression: could match any line
		}
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
	m := lineMap{to: map[int]int{}}
	next, last := 0, 1
	for i, l := range strings.Split(rendered, "\n") {
		k := strings.TrimSpace(l)
		if k == "" {
			continue
		}
		// Nearest match around the cursor, forward first; backward at
		// half speed for loop bodies rendered again.
		found := -1
		match := func(j int) bool {
			if j < 0 || j >= len(pats) {
				return false
			}
			p := pats[j]
			return (p.re == nil && p.lit == k) || (p.re != nil && p.re.MatchString(k))
		}
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
		}
		m.to[i+1] = last
	}
	return m
}

func (m lineMap) source(p task.Pos) task.Pos {
	if m.identity || m.to == nil {
		return p
	}
	if l, ok := m.to[p.Line]; ok {
		// The column is the rendered line's; indentation is usually kept.
		return task.Pos{Line: l, Col: p.Col}
	}
	return p
}

// suggest returns the closest name (edit distance ≤ a third of the
// length) for did-you-mean.
func suggest(name string, candidates []string) string {
	best, bd := "", len(name)/3+1
	ln := strings.ToLower(name)
	for _, c := range candidates {
		if d := levenshtein(ln, strings.ToLower(c)); d < bd {
			best, bd = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return "; did you mean " + s + "?"
}
