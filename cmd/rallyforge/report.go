package main

import (
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
page with inline SVG charts: duration per iteration, percentiles,
distribution; no script, no external URL).`,
		Args: wrapArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "markdown", "json", "junit", "html")
			if err != nil {
				return err
			}
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
				return render.Markdown(w, files)
			case "json":
				return render.JSON(w, files)
			case "junit":
				return render.JUnit(w, files)
			case "html":
				return render.HTML(w, files)
			default:
				return render.Text(w, files)
			}
		},
	}
}
