package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rallyforge/rallyforge/internal/baseline"
	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/rallyforge/rallyforge/internal/udiff"
	"github.com/spf13/cobra"
)

func init() { register("baseline", newBaselineCmd) }

func newBaselineCmd() *cobra.Command {
	o := baseline.Defaults
	var dryRun bool
	var taskArgs, taskArgsFile string
	cmd := &cobra.Command{
		Use:   "baseline TASK RESULTS",
		Short: "write max_avg_duration_per_atomic SLAs into a task from measured results",
		Long: `baseline derives a max_avg_duration_per_atomic threshold for every atomic
action of each workload of TASK from RESULTS (rally task report --json, or
the older rally task results list): --margin × the --percentile of the
action's durations in successful iterations (or × the mean with --mean),
rounded up to two significant digits. Workloads are matched with the results
by scenario and occurrence, as compare matches them. The thresholds go into
the workload's sla: as new lines with the file's own indentation (or before
the closing brace in JSON): comments, quoting and the Jinja2 header stay
byte for byte. A workload that already has max_avg_duration_per_atomic is
kept unless --force. A workload a Jinja2 loop or macro produces is reported
with the lines to add by hand. --dry-run prints a unified diff and writes
nothing.`,
		Args: wrapArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			if o.TaskArgs, err = task.Args(taskArgs, taskArgsFile); err != nil {
				return usageErr("%v", err)
			}
			_, err = os.Stat(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			res, err := baseline.Propose(args[0], args[1], o)
			var ie *baseline.InputError
			if errors.As(err, &ie) {
				return usageErr("%s", ie.Msg)
			}
			if err != nil {
				return err
			}
			if res.Changed && !dryRun {
				if err := baseline.Write(res); err != nil {
					return usageErr("%s: %v", args[0], err)
				}
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				return jsonout.Write(out, struct {
					*baseline.Result
					DryRun bool   `json:"dry_run"`
					Diff   string `json:"diff,omitempty"`
				}{res, dryRun, udiff.Unified(diffLabel(args[0]), res.Old, res.New)})
			}
			summary := out
			if dryRun {
				fmt.Fprint(out, udiff.Unified(diffLabel(args[0]), res.Old, res.New))
				summary = cmd.ErrOrStderr() // keep stdout a clean patch
			}
			printBaseline(summary, res, dryRun)
			return nil
		},
	}
	f := cmd.Flags()
	f.Float64Var(&o.Margin, "margin", o.Margin, "threshold = margin × statistic")
	f.Float64Var(&o.Percentile, "percentile", o.Percentile, "the statistic: this percentile of each atomic action's durations")
	f.BoolVar(&o.Mean, "mean", false, "the statistic: the mean (what the SLA itself compares) instead of a percentile")
	f.BoolVar(&o.Force, "force", false, "replace an existing max_avg_duration_per_atomic")
	f.BoolVar(&dryRun, "dry-run", false, "print a unified diff and write nothing")
	f.StringVar(&taskArgs, "task-args", "", "Jinja2 task arguments (JSON or YAML)")
	f.StringVar(&taskArgsFile, "task-args-file", "", "file of Jinja2 task arguments")
	return cmd
}

func printBaseline(w io.Writer, r *baseline.Result, dryRun bool) {
	stat := fmt.Sprintf("p%g", r.Options.Percentile)
	if r.Options.Mean {
		stat = "mean"
	}
	var none []string
	for _, wc := range r.Workloads {
		if wc.Status == baseline.StatusNoResults {
			none = append(none, wc.Workload)
			continue
		}
		fmt.Fprintf(w, "%s:%d: %s: %s", r.Task, wc.Line, wc.Workload, wc.Status)
		if wc.Reason != "" {
			fmt.Fprintf(w, " (%s)", wc.Reason)
		}
		fmt.Fprintln(w)
		if wc.Status == baseline.StatusSet || wc.Status == baseline.StatusReplaced || wc.Status == baseline.StatusSkipped {
			for _, t := range wc.Thresholds {
				note := ""
				if !t.Passes {
					note = "  (below the measured mean: this run itself would fail)"
				}
				fmt.Fprintf(w, "    %-44s %8s s  = %g × %s %.3f s (mean %.3f s, %d samples)%s\n", t.Atomic, t.Text, r.Options.Margin, stat, t.Basis, t.Mean, t.N, note)
			}
		}
		if wc.Snippet != "" {
			fmt.Fprintf(w, "    add by hand under the workload:\n%s", indentText(wc.Snippet, "      "))
		}
	}
	if len(none) > 0 {
		more := ""
		if len(none) > 3 {
			more, none = fmt.Sprintf(" and %d more", len(none)-3), none[:3]
		}
		fmt.Fprintf(w, "%s: no results for %s%s\n", r.Task, strings.Join(none, ", "), more)
	}
	for _, u := range r.Unmatched {
		fmt.Fprintf(w, "%s: %s has no workload in %s\n", r.Results, u, r.Task)
	}
	switch {
	case !r.Changed:
		fmt.Fprintf(w, "%s unchanged\n", r.Task)
	case dryRun:
		fmt.Fprintf(w, "would update %s\n", r.Task)
	default:
		fmt.Fprintf(w, "updated %s\n", r.Task)
	}
}

func indentText(s, ind string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString(ind + l)
		}
	}
	return b.String()
}

// diffLabel names the task in the diff as a patch expects: relative to the
// working directory when it is below it, else without the leading slash.
func diffLabel(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
		return strings.TrimPrefix(filepath.ToSlash(abs), "/")
	}
	return p
}
