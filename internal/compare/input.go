package compare

import (
	"fmt"
	"math"

	"github.com/rallyforge/rallyforge/internal/stats"
)

// CheckOptions refuses settings no comparison can use: NaN passes every
// "x < 0" test and flagged noise as regressions.
func CheckOptions(o Options) error {
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return fmt.Errorf("--alpha must be in (0, 1) (got %g)", o.Alpha)
	}
	if !(o.Threshold >= 0) || math.IsInf(o.Threshold, 0) {
		return fmt.Errorf("--threshold must be a finite number ≥ 0 (got %g)", o.Threshold)
	}
	return nil
}

// CheckInput refuses a results file nothing can be concluded from: no
// workload at all (`[]`), or a workload that ran no iteration. Saying "no
// regression" about it would be a pass on no evidence.
func CheckInput(f *stats.File) error {
	if len(f.Workloads) == 0 {
		return fmt.Errorf("%s: no workloads in the results; nothing to compare", f.Path)
	}
	for _, w := range f.Workloads {
		if w.Iterations == 0 {
			return fmt.Errorf("%s: workload %d (%s) ran 0 iterations; nothing to compare", f.Path, w.Index, w.Scenario)
		}
	}
	return nil
}
