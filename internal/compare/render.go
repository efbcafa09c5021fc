package compare

import (
	"fmt"
	"io"
	"strings"

	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/termsafe"
)

func pct(x float64) string { return fmt.Sprintf("%+.1f%%", x*100) }

// interesting limits the printed rows to what changed, so a clean run
// prints a short "no regression" and a bad one shows its culprits.
func interesting(c Change) bool { return c.Verdict != "unchanged" }

// Text writes a plain report; all rows with --verbose.
func Text(w io.Writer, r *Result, verbose bool) error {
	for _, d := range r.Workloads {
		switch d.Status {
		case "only-base":
			fmt.Fprintf(w, "%s: only in BASE\n", termsafe.Line(d.Key))
			continue
		case "only-new":
			fmt.Fprintf(w, "%s: only in NEW\n", termsafe.Line(d.Key))
			continue
		}
		mark := "ok"
		if d.Regression {
			mark = "REGRESSION"
		}
		fmt.Fprintf(w, "%s: %s (failures %d → %d)\n", termsafe.Line(d.Key), mark, d.BaseFailed, d.NewFailed)
		for _, c := range d.Changes {
			if !verbose && !interesting(c) {
				continue
			}
			fmt.Fprintf(w, "  %-11s %s: shift %s, median %.3f → %.3f (%s), p95 %.3f → %.3f (%s), p=%.2g, n=%d/%d\n",
				c.Verdict, termsafe.Line(c.Name), pct(c.Shift), c.BaseMedian, c.NewMedian, pct(c.MedianChange), c.BaseP95, c.NewP95, pct(c.P95Change),
				min(c.PSlower, c.PFaster), c.BaseN, c.NewN)
		}
		for _, f := range d.NewFailures {
			fmt.Fprintf(w, "  new failure type: %s\n", termsafe.Line(f))
		}
		for _, s := range d.SLAChanges {
			fmt.Fprintf(w, "  SLA %s\n", termsafe.Line(s))
		}
	}
	if r.Regression {
		fmt.Fprintf(w, "significant regression (threshold %.0f%%, alpha %g)\n", r.Options.Threshold*100, r.Options.Alpha)
	} else {
		fmt.Fprintf(w, "no significant regression (threshold %.0f%%, alpha %g)\n", r.Options.Threshold*100, r.Options.Alpha)
	}
	return nil
}

// Markdown writes a table per workload for a CI comment.
func Markdown(w io.Writer, r *Result) error {
	if r.Regression {
		fmt.Fprintf(w, "### :x: Significant regression\n\n")
	} else {
		fmt.Fprintf(w, "### :white_check_mark: No significant regression\n\n")
	}
	fmt.Fprintf(w, "Threshold %.0f %% on the shift (Hodges-Lehmann, median of the pairwise ratios), one-sided Mann-Whitney U at alpha %g (Holm-corrected).\n",
		r.Options.Threshold*100, r.Options.Alpha)
	for _, d := range r.Workloads {
		fmt.Fprintf(w, "\n#### %s — %s\n\n", termsafe.MarkdownCode(d.Key), d.Status)
		if d.Status != "matched" {
			continue
		}
		fmt.Fprintf(w, "| action | verdict | shift | median | Δ median | p95 | Δ p95 | p |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		for _, c := range d.Changes {
			fmt.Fprintf(w, "| %s | %s | %s | %.3f → %.3f | %s | %.3f → %.3f | %s | %.2g |\n", termsafe.MarkdownCode(c.Name),
				c.Verdict, pct(c.Shift), c.BaseMedian, c.NewMedian, pct(c.MedianChange), c.BaseP95, c.NewP95, pct(c.P95Change), min(c.PSlower, c.PFaster))
		}
		if len(d.NewFailures) > 0 {
			var names []string
			for _, f := range d.NewFailures {
				names = append(names, termsafe.MarkdownCode(f))
			}
			fmt.Fprintf(w, "\nNew failure types: %s (failed iterations %d → %d)\n", strings.Join(names, ", "), d.BaseFailed, d.NewFailed)
		}
		for _, s := range d.SLAChanges {
			fmt.Fprintf(w, "\nSLA %s\n", termsafe.MarkdownText(s))
		}
	}
	return nil
}

// JSON writes the result as is.
func JSON(w io.Writer, r *Result) error {
	return jsonout.Write(w, r)
}
