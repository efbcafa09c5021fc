package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/rallyforge/rallyforge/internal/history"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/termsafe"
	"github.com/spf13/cobra"
)

func init() { register("history", newHistoryCmd) }

func newHistoryCmd() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "history add|list|trends|rm",
		Short: "store runs and follow their trends (embedded SQLite, or PostgreSQL)",
		Long: `history keeps summarised runs (every atomic action's samples, failures and
SLA results) in an embedded SQLite file, by default
rallyforge/history.db under $XDG_STATE_HOME (~/.local/state); --db (or
$RALLYFORGE_DB, for every command) picks another file, or a shared PostgreSQL
database for a team with postgres://user[:password]@host[:port]/dbname (the
database must exist; rallyforge creates and migrates its tables). A Rally run
is stored once (its task UUID is the key) and dated by Rally's created_at.
compare --baseline-tag uses it as a baseline.`,
	}
	cmd.PersistentFlags().StringVar(&db, "db", "", "history database: a SQLite file, or postgres://user@host:port/dbname (default $RALLYFORGE_DB, else the user's state dir)")

	var tag string
	add := &cobra.Command{
		Use:   "add RESULTS...",
		Short: "store one run per results file (a run already stored is skipped)",
		Args:  wrapArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			var files []*stats.File
			for _, a := range args {
				f, err := stats.Summarize(a)
				if err != nil {
					return usageErr("%v", err)
				}
				files = append(files, f)
			}
			store, err := openStore(db)
			if err != nil {
				return err
			}
			defer store.Close()
			type added struct {
				ID        int64  `json:"id"`
				Source    string `json:"source"`
				Added     bool   `json:"added"` // false: the run was already stored
				Tag       string `json:"tag"`
				Workloads int    `json:"workloads"`
			}
			var done []added
			for _, f := range files {
				id, ok, err := store.Add(f, tag, time.Now())
				if err != nil {
					return err
				}
				done = append(done, added{id, f.Path, ok, tag, len(f.Workloads)})
				if format != "text" {
					continue
				}
				if !ok {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: already stored as run %d (same Rally task), skipped\n", termsafe.Line(f.Path), id)
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "run %d: %s (%d workloads, tag %q)\n", id, termsafe.Line(f.Path), len(f.Workloads), tag)
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), done)
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
			store, err := openStore(db)
			if err != nil {
				return err
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

	var ltag string
	list := &cobra.Command{
		Use:   "list",
		Short: "the stored runs by Rally's date: id, tag, workloads, task UUID, source (--format text|json)",
		Args:  wrapArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			store, err := openStore(db)
			if err != nil {
				return err
			}
			defer store.Close()
			runs, err := store.List(ltag)
			if err != nil {
				return err
			}
			if format == "json" {
				return history.ListJSON(cmd.OutOrStdout(), runs)
			}
			return history.ListText(cmd.OutOrStdout(), runs)
		},
	}
	list.Flags().StringVar(&ltag, "tag", "", "only runs with this tag")

	rm := &cobra.Command{
		Use:   "rm RUN...",
		Short: "remove runs (ids or Rally task UUIDs, as history list shows them) with all their rows; all or none",
		Args:  wrapArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			store, err := openStore(db)
			if err != nil {
				return err
			}
			defer store.Close()
			var ids []int64
			for _, a := range args {
				if id, err := strconv.ParseInt(a, 10, 64); err == nil && id > 0 {
					ids = append(ids, id)
					continue
				}
				// A Rally task UUID names the run stored from that task.
				of, err := store.RunsOfTask(a)
				if err != nil {
					return err
				}
				if len(of) == 0 {
					return usageErr("run %q: neither a run id nor the UUID of a stored Rally task (history list shows them)", a)
				}
				ids = append(ids, of...)
			}
			if err := store.Remove(ids); err != nil {
				return usageErr("%v", err)
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), map[string][]int64{"removed": ids})
			}
			for _, id := range ids {
				fmt.Fprintf(cmd.OutOrStdout(), "removed run %d\n", id)
			}
			return nil
		},
	}
	cmd.AddCommand(add, list, trends, rm)
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// openStore opens the history store --db or RALLYFORGE_DB names; a store
// that cannot be opened is an input error.
func openStore(db string) (*history.Store, error) {
	store, err := history.Open(history.ResolveDB(db))
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return store, nil
}
