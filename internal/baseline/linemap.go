package baseline

import (
	"regexp"
	"strings"
	"sync"
)

var (
	exprRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{.*?\}\}`) })
	tagRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{%.*?%\}|\{#.*?#\}`) })
)

// lineMap maps rendered lines (1-based) to the template lines that
// produced them, only where the template line's text is the rendered text
// (literally, or with each {{ … }} standing for anything): those are the
// lines an edit can be anchored at. Lines from macros, includes or lines
// that are a lone expression have no entry. Rendered lines are matched in
// order, each to the matching template line nearest after the previous
// match (or shortly before it: a loop body rendered again), as lint traces
// its positions. Whatever this gets wrong, the edit's verification (render
// again, compare the whole task) catches.
func lineMap(src, rendered []string) map[int]int {
	type pat struct {
		line int
		re   *regexp.Regexp
		lit  string
	}
	var pats []pat
	for i, l := range src {
		l = strings.TrimSpace(tagRe().ReplaceAllString(l, ""))
		if l == "" || strings.TrimSpace(exprRe().ReplaceAllString(l, "")) == "" {
			continue
		}
		p := pat{line: i + 1, lit: l}
		if exprRe().MatchString(l) {
			parts := exprRe().Split(l, -1)
			for j := range parts {
				parts[j] = regexp.QuoteMeta(parts[j])
			}
			p.re = regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
		}
		pats = append(pats, p)
	}
	out := map[int]int{}
	next := 0
	for i, l := range rendered {
		k := strings.TrimSpace(l)
		if k == "" {
			continue
		}
		match := func(j int) bool {
			if j < 0 || j >= len(pats) {
				return false
			}
			p := pats[j]
			if p.re != nil {
				return p.re.MatchString(k)
			}
			return p.lit == k
		}
		found := -1
		for d := 0; d < 300 && found < 0; d++ {
			if match(next + d) {
				found = next + d
			} else if d%2 == 0 && match(next-1-d/2) {
				found = next - 1 - d/2
			}
		}
		if found >= 0 {
			out[i+1] = pats[found].line
			next = found + 1
		}
	}
	return out
}
