package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/rallyforge/rallyforge/internal/buildinfo"
	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/lint"
	"github.com/rallyforge/rallyforge/internal/rallyenv"
	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/spf13/cobra"
)

func init() { register("lint", newLintCmd) }

func newLintCmd() *cobra.Command {
	var taskArgs, taskArgsFile, cat string
	var verbose bool
	var colorMode string
	var pluginPaths []string
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check Rally task files offline the way Rally judges them",
		Long: `Renders each task (Jinja2, as Rally does), applies Rally's task schema and
checks every scenario, runner, context, SLA and hook against the plugin
catalog, plus a few checks of its own (warnings). PATH is a task file, a
folder of task files, or a repository (its rally-jobs/); the default is
./rally-jobs. Exit 0 clean or warnings only, 1 errors, 2 usage or I/O.

A repository configures lint in the [rallyforge] section of its setup.cfg or
tox.ini (as flake8 is configured):

  [rallyforge]
  disable = failure-rate, quotas-unused
  per-file-ignores =
      rally-jobs/legacy/*.yaml: deprecated-v1
  catalog = installed

and silences one line with a "# rallyforge: ignore[RULE]" comment. Unknown
rule ids are an error. docs/rules.md lists the rules.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json", "sarif")
			if err != nil {
				return err
			}
			// --catalog decides for every file; without it each
			// repository's [rallyforge] catalog does for its own files,
			// and auto for a repository that sets none.
			view := func(name string) (installed bool, why string, err error) {
				switch name {
				case "master", "installed":
					return name == "installed", name + " view", nil
				case "auto":
					installed, why = rallyenv.Auto(os.Environ())
					return installed, why, nil
				}
				return false, "", usageErr("--catalog %q: want %s", name, strings.Join(catalogViews, ", "))
			}
			from := "--catalog"
			if !cmd.Flags().Changed("catalog") && verbose {
				// Say which setting decides for the first path.
				first := "."
				if len(args) > 0 {
					first = args[0]
				}
				c, err := lint.RepoConfig(first)
				if err != nil {
					return usageErr("%v", err)
				}
				if c != nil && c.Catalog != "" {
					cat, from = c.Catalog, "catalog = "+c.Catalog+" in "+c.Path
				}
			}
			installed, why, err := view(cat)
			if err != nil {
				return err
			}
			if verbose {
				if cat == "auto" {
					fmt.Fprintln(cmd.ErrOrStderr(), "catalog: "+why)
				} else {
					fmt.Fprintf(cmd.ErrOrStderr(), "catalog: %s (%s)\n", why, from)
				}
			}
			var repoCatalog func(string) *catalog.Catalog
			if !cmd.Flags().Changed("catalog") {
				repoCatalog = func(name string) *catalog.Catalog {
					// lintconfig accepts only the known views.
					installed, _, _ := view(name)
					return lint.View(installed)
				}
			}
			targs, err := task.Args(taskArgs, taskArgsFile)
			if err != nil {
				return usageErr("%v", err)
			}
			fs, err := lint.Paths(args, lint.Options{Catalog: lint.View(installed), RepoCatalog: repoCatalog, TaskArgs: targs, PluginPaths: pluginPaths})
			if err != nil {
				return usageErr("%v", err)
			}
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				err = lint.WriteJSON(out, fs)
			case "sarif":
				err = lint.WriteSARIF(out, fs, buildinfo.Version())
			default:
				color, cerr := useColor(colorMode, os.Stdout)
				if cerr != nil {
					return cerr
				}
				lint.WriteTextColor(out, fs, color)
				if s := lint.Summary(fs, color); s != "" {
					fmt.Fprintln(out, s)
				}
			}
			if err != nil {
				return err
			}
			if lint.HasErrors(fs) {
				return findings()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&taskArgs, "task-args", "", "template arguments as JSON or YAML (override --task-args-file)")
	cmd.Flags().StringVar(&taskArgsFile, "task-args-file", "", "file with template arguments (JSON or YAML)")
	cmd.Flags().StringVar(&cat, "catalog", "auto", "plugin view: auto (the installed Rally's rally-openstack release; master without a Rally), master (the gate's) or installed (the release the catalog was generated from)")
	cmd.Flags().StringVar(&colorMode, "color", "auto", "colour the text: auto (on a terminal, unless NO_COLOR is set), always, never")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "say which catalog view judges, and why (on stderr)")
	cmd.Flags().StringSliceVar(&pluginPaths, "plugin-paths", nil, "extra folders of Rally plugins (scenario names are read from them)")
	return cmd
}
