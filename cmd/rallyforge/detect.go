package main

import (
	"fmt"
	"os"

	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func init() { register("detect", newDetectCmd) }

func newDetectCmd() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "detect [DIR...]",
		Short: "tell which OpenStack service each repository implements",
		Long: `detect reads each repository's structure (.gitreview, setup.cfg,
pyproject.toml, api-ref/, etc/, devstack/, Zuul config, Rally files) and
prints its kind (service, client, library, plugin, tooling, dashboard,
unknown), its service type from the service-types authority, and the
evidence. Many directories are examined in parallel.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			var progress func(int, int)
			if len(args) > 1 && term.IsTerminal(int(os.Stderr.Fd())) {
				progress = func(done, total int) {
					fmt.Fprintf(os.Stderr, "\rdetect: %d/%d", done, total)
					if done == total {
						fmt.Fprint(os.Stderr, "\r\033[K")
					}
				}
			}
			outs := detect.Many(args, progress)
			// Every argument is checked before anything is printed: a bad
			// path is a usage error, not a partial answer.
			for _, o := range outs {
				if o.Err != nil {
					return usageErr("%v", o.Err)
				}
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				res := make([]*detect.Result, len(outs))
				for i, o := range outs {
					res[i] = o.Result
				}
				return jsonout.Write(w, res)
			}
			for _, o := range outs {
				r := o.Result
				st := "-"
				if r.ServiceType != nil {
					st = *r.ServiceType
				}
				retired := ""
				if r.Retired {
					retired = " (retired)"
				}
				fmt.Fprintf(w, "%s: %s %s, service type %s%s, confidence %.2f\n", r.Path, r.Project, r.Kind, st, retired, r.Confidence)
				if r.Reason != "" {
					fmt.Fprintf(w, "  reason: %s\n", r.Reason)
				}
				if len(r.Rally.TaskFiles) > 0 || len(r.Rally.ZuulJobs) > 0 {
					fmt.Fprintf(w, "  rally: %d task file(s), Zuul jobs %v\n", len(r.Rally.TaskFiles), r.Rally.ZuulJobs)
				}
				if verbose {
					for _, e := range r.Evidence {
						fmt.Fprintf(w, "  %-24s %-28s %s\n", e.Signal, e.Path, e.Detail)
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the evidence behind each verdict")
	return cmd
}
