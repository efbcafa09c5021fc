package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/rallyforge/rallyforge/internal/plugingen"
	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/spf13/cobra"
)

func init() { register("init", newInitCmd) }

func newInitCmd() *cobra.Command {
	var o scaffold.Options
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "write rally-jobs/ and the Zuul job for a service repository",
		Long: `init writes the standard rally-jobs/ tree (README, a Rally task with the
service's core operations, plugins/ and extra/) and a <project>-rally Zuul
job in the repository's own Zuul layout. A second run changes nothing; a file
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
			if !validProfile(o.Profile) {
				return usageErr("--profile %q: want one of %v", o.Profile, plan.Profiles)
			}
			o.Detect, o.Generate = detect.Detect, plugingen.Generate
			res, err := scaffold.Init(dir, o)
			var ns *scaffold.NotServiceError
			switch {
			case errors.As(err, &ns):
				return usageErr("%s", ns.Error())
			case errors.Is(err, fsutil.ErrOutside), errors.Is(err, fs.ErrPermission):
				return usageErr("%v", err)
			case err != nil:
				return usageErr("%v", err)
			}
			if !dryRun {
				if err := scaffold.Apply(dir, res.Changes); err != nil {
					return usageErr("%v", err)
				}
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				return jsonout.Write(out, struct {
					*scaffold.Result
					DryRun bool `json:"dry_run"`
				}{res, dryRun})
			}
			if dryRun {
				for _, c := range res.Changes {
					fmt.Fprint(out, c.Diff())
				}
			}
			printChanges(cmd.ErrOrStderr(), res.Changes, dryRun)
			for _, n := range res.Notes {
				fmt.Fprintln(cmd.ErrOrStderr(), "note: "+n)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Profile, "profile", plan.ProfileGate, "workload sizing: smoke|gate|scale")
	f.BoolVar(&dryRun, "dry-run", false, "print a unified diff and write nothing")
	f.BoolVar(&o.Force, "force", false, "overwrite files that exist or were edited since init wrote them")
	f.StringVar(&o.ServiceType, "service-type", "", "service type to use instead of the detected one")
	f.BoolVar(&o.NoZuul, "no-zuul", false, "do not touch the Zuul configuration")
	f.BoolVar(&o.Gate, "gate", false, "add the job to the gate pipeline as voting (default: check, non-voting)")
	return cmd
}

func validProfile(p string) bool {
	for _, x := range plan.Profiles {
		if x == p {
			return true
		}
	}
	return false
}

// printChanges lists what init or plugin did (or would do, with --dry-run),
// one file per line, on stderr so that a --dry-run diff on stdout stays a
// clean patch.
func printChanges(w io.Writer, changes []scaffold.Change, dryRun bool) {
	for _, c := range changes {
		verb := c.Action
		if dryRun && c.Writes() {
			verb = "would " + verb
		}
		line := fmt.Sprintf("%-16s %s", verb, c.Path)
		if c.Note != "" {
			line += " (" + c.Note + ")"
		}
		fmt.Fprintln(w, line)
	}
}
