package main

import (
	"github.com/rallyforge/rallyforge/internal/compare"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/spf13/cobra"
)

func init() { register("compare", newCompareCmd) }

func newCompareCmd() *cobra.Command {
	o := compare.Defaults
	var verbose bool
	var baselineTag, db string
	var lastN int
	cmd := &cobra.Command{
		Use:   "compare BASE NEW | compare --baseline-tag TAG NEW",
		Short: "significant slow-downs, new failures and SLA changes between two runs",
		Long: `compare matches workloads of two Rally results by scenario and occurrence,
then for each atomic action (nested ones included) and the total compares the
median and 95th percentile and tests whether NEW is slower with a one-sided
Mann-Whitney U test (exact below 8 samples, normal approximation with tie
correction above), Holm-corrected over all rows. A row regresses when it is
significant at --alpha and it is slower by more than --threshold, as the
Hodges-Lehmann shift measures it (the median of every pairwise ratio new/base:
on short runs the medians jump between modes, the shift does not). New
failure types and SLA criteria going from PASS to FAIL are regressions too.
With --baseline-tag the base comes from history: for each workload, the
median run (by total median) of the last --last runs stored with that tag.
Exit 1 on a regression.`,
		Args: wrapArgs(cobra.RangeArgs(1, 2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "markdown", "json")
			if err != nil {
				return err
			}
			if err := compare.CheckOptions(o); err != nil {
				return usageErr("%v", err)
			}
			if lastN < 1 {
				return usageErr("--last must be at least 1 (got %d)", lastN)
			}
			var base []*compare.Workload
			newPath := args[len(args)-1]
			switch {
			case baselineTag != "" && len(args) == 1:
				store, err := openStore(db)
				if err != nil {
					return err
				}
				defer store.Close()
				base, err = store.Baseline(baselineTag, lastN)
				if err != nil {
					return usageErr("%v", err)
				}
			case baselineTag == "" && len(args) == 2:
				bf, err := stats.Summarize(args[0])
				if err != nil {
					return usageErr("%v", err)
				}
				if err := compare.CheckInput(bf); err != nil {
					return usageErr("%v", err)
				}
				base = compare.FromFiles([]*stats.File{bf})
			default:
				return usageErr("give BASE and NEW, or --baseline-tag TAG and NEW")
			}
			nf, err := stats.Summarize(newPath)
			if err != nil {
				return usageErr("%v", err)
			}
			if err := compare.CheckInput(nf); err != nil {
				return usageErr("%v", err)
			}
			res := compare.Compare(base, compare.FromFiles([]*stats.File{nf}), o)
			w := cmd.OutOrStdout()
			switch format {
			case "markdown":
				err = compare.Markdown(w, res)
			case "json":
				err = compare.JSON(w, res)
			default:
				err = compare.Text(w, res, verbose)
			}
			if err != nil {
				return err
			}
			if res.Regression {
				return findings()
			}
			return nil
		},
	}
	cmd.Flags().Float64Var(&o.Threshold, "threshold", o.Threshold, "relative slow-down (Hodges-Lehmann shift) that counts (0.10 = 10%)")
	cmd.Flags().Float64Var(&o.Alpha, "alpha", o.Alpha, "significance level of the one-sided test")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "text: show unchanged rows too")
	cmd.Flags().StringVar(&baselineTag, "baseline-tag", "", "take BASE from history: runs stored with this tag")
	cmd.Flags().IntVar(&lastN, "last", 5, "with --baseline-tag: how many recent runs make the baseline")
	cmd.Flags().StringVar(&db, "db", "", "history database: a SQLite file or postgres://user@host:port/dbname (default $RALLYFORGE_DB, else rallyforge/history.db under the user's state dir)")
	return cmd
}
