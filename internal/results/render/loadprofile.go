package render

import (
	"sort"

	"github.com/rallyforge/rallyforge/internal/stats"
)

// loadProfileScale is the number of points of Rally's load profile.
const loadProfileScale = 100

// LoadProfile computes how many iterations ran at once over the load, as
// Rally's LoadProfileChart does (rally/task/processing/charts.py): a time
// axis of scale steps over load_duration × (1 + 2/scale) (two extra steps
// so the line comes back to 0), and each iteration adds 1 to the steps it
// covers wholly and the covered fraction to the steps where it starts and
// ends. Indexes are clamped where Rally would raise IndexError (an
// iteration ending after load_duration × 1.02).
func LoadProfile(tl *stats.Timeline, loadDuration float64) (axis, running []float64) {
	if tl == nil || len(tl.Timestamps) == 0 {
		return nil, nil
	}
	duration := loadDuration * (1 + 2.0/loadProfileScale)
	step := duration / loadProfileScale
	for x := 0; x < loadProfileScale; x++ {
		if step*float64(x) < duration {
			axis = append(axis, step*float64(x))
		}
	}
	axis = append(axis, duration)
	running = make([]float64, len(axis))
	if step <= 0 {
		return axis, running
	}
	start := tl.Timestamps[0]
	last := len(axis) - 1
	bisect := func(v float64) int { // bisect.bisect_right
		return sort.Search(len(axis), func(i int) bool { return axis[i] > v })
	}
	// prev is Python's axis[i-1], where axis[-1] is the last element.
	prev := func(i int) float64 {
		if i == 0 {
			return axis[last]
		}
		return axis[i-1]
	}
	// norm is Python's index: -1 is the last; past the end is clamped.
	norm := func(i int) int {
		if i < 0 {
			return len(axis) + i
		}
		return min(i, last)
	}
	for i, ts := range tl.Timestamps {
		d := tl.Durations[i]
		t0 := ts - start
		started, ended := bisect(t0), bisect(t0+d)
		if prev(ended) == t0+d {
			ended--
		}
		for idx := started + 1; idx < ended && idx <= last; idx++ {
			running[idx]++
		}
		if started == ended {
			running[norm(ended)] += d / step
		} else {
			running[norm(started)] += (axis[norm(started)] - t0) / step
			running[norm(ended)] += (t0 + d - prev(max(ended, 0))) / step
		}
	}
	return axis, running
}
