package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/plugingen"
	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/spf13/cobra"
)

func init() { register("plugin", newPluginCmd) }

func newPluginCmd() *cobra.Command {
	var dryRun, force bool
	var serviceType string
	cmd := &cobra.Command{
		Use:   "plugin [DIR]",
		Short: "generate Rally scenarios from the repository's api-ref for a service rally-openstack does not cover",
		Long: `plugin reads api-ref/source (rest_method, rest_parameters, samples,
microversions) and writes rally-jobs/plugins/<project>_scenarios.py with
list/create/show/delete scenarios per resource, and rally-jobs/task-<project>.yaml
running them with SLAs on every atomic action. Resources whose create request
cannot be derived from the documentation are listed with the reason. A file
you wrote or edited is kept unless --force.`,
		Args: wrapArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				return usageErr("%s: not a directory", dir)
			}
			res, err := plugingen.Run(dir, plugingen.Options{ServiceType: serviceType, Force: force, Detect: detect.Detect})
			if errors.Is(err, plugingen.ErrNothing) || errors.Is(err, plugingen.ErrNoOperations) {
				for _, f := range res.Suite.Findings {
					fmt.Fprintln(cmd.ErrOrStderr(), "warning:", f)
				}
				return usageErr("%s: %v", dir, err)
			}
			if err != nil {
				return usageErr("%v", err)
			}
			p, changes := res.Suite, res.Changes
			if !dryRun {
				if err := scaffold.Apply(dir, changes); err != nil {
					return usageErr("%v", err)
				}
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				return jsonout.Write(out, struct {
					Plan    *plugingen.Suite  `json:"plan"`
					Changes []scaffold.Change `json:"changes"`
					DryRun  bool              `json:"dry_run"`
				}{p, changes, dryRun})
			}
			if dryRun {
				for _, c := range changes {
					fmt.Fprint(out, c.Diff())
				}
			} else {
				printSuite(out, p)
			}
			for _, f := range p.Findings {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", f)
			}
			printChanges(cmd.ErrOrStderr(), changes, dryRun)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&dryRun, "dry-run", false, "print a unified diff and write nothing")
	f.BoolVar(&force, "force", false, "overwrite files that exist or were edited since rallyforge wrote them")
	f.StringVar(&serviceType, "service-type", "", "service type to use instead of the detected one")
	return cmd
}

func printSuite(w interface{ Write([]byte) (int, error) }, p *plugingen.Suite) {
	fmt.Fprintf(w, "%s (%s): %d operations, %d resources, %d offered, %d scenarios\n",
		p.Project, p.ServiceType, p.Operations, p.Found, len(p.Resources), len(p.Scenarios))
	for _, s := range p.Scenarios {
		fmt.Fprintf(w, "  scenario %s\n", s.Name)
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(w, "  skipped  %s (%s): %s\n", s.Resource, s.Path, s.Reason)
	}
}
