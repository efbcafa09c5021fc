package lint

import (
	"strings"
)

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
