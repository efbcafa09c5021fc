package main

import (
	"runtime/debug"

	"github.com/rallyforge/rallyforge/internal/results/render"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/spf13/cobra"
)

func init() { register("report", newReportCmd) }

func newReportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "report RESULTS...",
		Short: "statistics per workload and atomic action from Rally results",
		Long: `report reads Rally results (rally task report --json, or the older
rally task results list), streaming so huge files fit in little memory, and
prints per workload and per atomic action (nested actions included) the
iterations, success rate, min, median, 90/95th percentile, max and mean
computed exactly as Rally computes them, failures grouped by error type, and
the SLA results. --format text|markdown|json|junit|html (one self-contained
page, no script, no external URL: an overview of every workload, then per
workload its configuration as written, the duration of every iteration
stacked by atomic action with failed iterations marked, Rally's load
profile, a histogram per action, the statistics, failures with their
tracebacks and the SLA results).

Exit 1 when any SLA criterion failed (as rally task sla-check), so a CI step
can gate on it; the report is printed in full first.`,
		Args: wrapArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "markdown", "json", "junit", "html")
			if err != nil {
				return err
			}
			// Reading a report allocates its tables once and little
			// garbage (buffers and strings are reused): with the default
			// GOGC the heap's growth to its final size triggered
			// collections that freed nothing and touched 2 MB of globals.
			// At 400 a 100,000-iteration report is read without one
			// (2.4 MB less at the peak); a file full of distinct error
			// texts still gets collected, at five times its live heap.
			debug.SetGCPercent(400)
			// The HTML page charts every iteration: keep the timelines.
			summarize := stats.Summarize
			if format == "html" {
				summarize = stats.SummarizeTimelines
			}
			var files []*stats.File
			for _, a := range args {
				f, err := summarize(a)
				if err != nil {
					return usageErr("%v", err)
				}
				files = append(files, f)
			}
			w := cmd.OutOrStdout()
			switch format {
			case "markdown":
				err = render.Markdown(w, files)
			case "json":
				err = render.JSON(w, files)
			case "junit":
				err = render.JUnit(w, files)
			case "html":
				err = render.HTML(w, files)
			default:
				err = render.Text(w, files)
			}
			if err != nil {
				return err
			}
			for _, f := range files {
				if f.FailedSLAs() > 0 {
					return findings()
				}
			}
			return nil
		},
	}
}
