package main

import (
	"fmt"
	"time"

	"github.com/rallyforge/rallyforge/internal/history"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/spf13/cobra"
)

func init() { register("history", newHistoryCmd) }

func newHistoryCmd() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "history add|trends",
		Short: "store runs and follow their trends (embedded SQLite, or PostgreSQL)",
		Long: `history keeps summarised runs (every atomic action's samples, failures and
SLA results) in an embedded SQLite file, by default
rallyforge/history.db under $XDG_STATE_HOME (~/.local/state); --db picks
another file, or a shared PostgreSQL database for a team with
--db postgres://user[:password]@host[:port]/dbname (the database must exist;
rallyforge creates and migrates its tables). compare --baseline-tag uses it
as a baseline.`,
	}
	cmd.PersistentFlags().StringVar(&db, "db", "", "history database: a SQLite file, or postgres://user@host:port/dbname")

	var tag string
	add := &cobra.Command{
		Use:   "add RESULTS...",
		Short: "store one run per results file",
		Args:  wrapArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			var files []*stats.File
			for _, a := range args {
				f, err := stats.Summarize(a)
				if err != nil {
					return usageErr("%v", err)
				}
				files = append(files, f)
			}
			store, err := history.Open(history.ResolveDB(db))
			if err != nil {
				return usageErr("%v", err)
			}
			defer store.Close()
			for _, f := range files {
				id, err := store.Add(f, tag, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "run %d: %s (%d workloads, tag %q)\n", id, f.Path, len(f.Workloads), tag)
			}
			return nil
		},
	}
	add.Flags().StringVar(&tag, "tag", "", "label of the run (branch, release, …)")

	var ttag, filter, baseTag string
	var lastN int
	trends := &cobra.Command{
		Use:   "trends [FILTER]",
		Short: "median and p95 per workload and atomic action over the stored runs (--format text|json|html)",
		Args:  wrapArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json", "html")
			if err != nil {
				return err
			}
			if len(args) == 1 {
				filter = args[0]
			}
			store, err := history.Open(history.ResolveDB(db))
			if err != nil {
				return usageErr("%v", err)
			}
			defer store.Close()
			pts, err := store.Trends(ttag, filter)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			switch format {
			case "html":
				return history.TrendsHTML(w, pts, history.TrendsOptions{BaselineTag: baseTag, Last: lastN})
			case "json":
				return history.TrendsJSON(w, pts)
			}
			return history.TrendsText(w, pts)
		},
	}
	trends.Flags().StringVar(&ttag, "tag", "", "only runs with this tag")
	trends.Flags().StringVar(&baseTag, "baseline-tag", "", "html: shade the runs compare --baseline-tag TAG would take as baseline")
	trends.Flags().IntVar(&lastN, "last", 5, "with --baseline-tag: how many recent runs make the baseline")
	cmd.AddCommand(add, trends)
	return cmd
}
