package lint

import (
	"encoding/json"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/task"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

var defaultView = sync.OnceValue(func() *catalog.Catalog { return View(false) })

// lineMap maps positions in the rendered text back to the template: a
// rendered line whose text occurs exactly once in the source is traced to
// that line; otherwise the position stays in rendered coordinates. Files
// without Jinja2 map one to one.
type lineMap struct {
	identity bool
	to       map[int]int // rendered line -> source line
}

func newLineMap(src []byte, rendered string) lineMap {
	if !task.HasTemplate(src) {
		return lineMap{identity: true}
	}
	count := map[string]int{}
	where := map[string]int{}
	for i, l := range strings.Split(string(src), "\n") {
		k := strings.TrimSpace(l)
		count[k]++
		where[k] = i + 1
	}
	m := lineMap{to: map[int]int{}}
	for i, l := range strings.Split(rendered, "\n") {
		k := strings.TrimSpace(l)
		if k != "" && count[k] == 1 {
			m.to[i+1] = where[k]
		}
	}
	return m
}

func (m lineMap) source(p task.Pos) task.Pos {
	if m.identity || m.to == nil {
		return p
	}
	if l, ok := m.to[p.Line]; ok {
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
