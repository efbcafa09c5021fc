// Package compare finds significant slow-downs, new failures and SLA
// changes between two Rally runs.
package compare

import (
	"math"
	"slices"
)

// MannWhitneyGreater returns the one-sided p-value of the Mann-Whitney U
// test for "y tends to be larger than x" (y = new run, x = base). With
// min(n) ≥ 8 it uses the normal approximation with tie correction and a
// continuity correction; below that the exact null distribution of the
// (mid)rank sum, computed by dynamic programming, so ties stay exact too.
func MannWhitneyGreater(x, y []float64) float64 {
	n1, n2 := len(y), len(x)
	if n1 == 0 || n2 == 0 {
		return 1
	}
	type obs struct {
		v   float64
		new bool
	}
	all := make([]obs, 0, n1+n2)
	for _, v := range y {
		all = append(all, obs{v, true})
	}
	for _, v := range x {
		all = append(all, obs{v, false})
	}
	slices.SortFunc(all, func(a, b obs) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	n := len(all)
	// Doubled midranks keep everything in integers.
	rank2 := make([]int, n)
	var tieTerm float64
	rsum2 := 0
	for i := 0; i < n; {
		j := i
		for j < n && all[j].v == all[i].v {
			j++
		}
		t := j - i
		r2 := i + 1 + j // 2 × mean of ranks i+1..j
		for k := i; k < j; k++ {
			rank2[k] = r2
			if all[k].new {
				rsum2 += r2
			}
		}
		tieTerm += float64(t*t*t - t)
		i = j
	}
	u := float64(rsum2)/2 - float64(n1*(n1+1))/2
	// The exact table grows with n²; large unbalanced samples use the
	// approximation, which is good there.
	if min(n1, n2) >= 8 || n > 400 {
		mu := float64(n1*n2) / 2
		nf := float64(n)
		v := float64(n1*n2) / 12 * ((nf + 1) - tieTerm/(nf*(nf-1)))
		if v <= 0 {
			return 1
		}
		z := (u - mu - 0.5) / math.Sqrt(v)
		return 0.5 * math.Erfc(z/math.Sqrt2)
	}
	return exactUpper(rank2, n1, rsum2)
}

// exactUpper is P(sum of k doubled ranks drawn without replacement ≥ obs)
// when every k-subset is equally likely.
func exactUpper(rank2 []int, k, obs int) float64 {
	maxSum := 0
	for _, r := range rank2 {
		maxSum += r
	}
	// ways[j][s]: number of j-subsets of the ranks seen so far summing to s.
	ways := make([][]float64, k+1)
	for j := range ways {
		ways[j] = make([]float64, maxSum+1)
	}
	ways[0][0] = 1
	for _, r := range rank2 {
		for j := k; j >= 1; j-- {
			prev, cur := ways[j-1], ways[j]
			for s := maxSum; s >= r; s-- {
				if prev[s-r] != 0 {
					cur[s] += prev[s-r]
				}
			}
		}
	}
	var tot, upper float64
	for s, w := range ways[k] {
		tot += w
		if s >= obs {
			upper += w
		}
	}
	if tot == 0 {
		return 1
	}
	return upper / tot
}
