package main

import (
	"github.com/rallyforge/rallyforge/internal/buildinfo"
	"github.com/rallyforge/rallyforge/internal/lint"
	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/spf13/cobra"
)

func init() { register("lint", newLintCmd) }

func newLintCmd() *cobra.Command {
	var taskArgs, taskArgsFile, cat string
	var pluginPaths []string
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check Rally task files offline the way Rally judges them",
		Long: `Renders each task (Jinja2, as Rally does), applies Rally's task schema and
checks every scenario, runner, context, SLA and hook against the plugin
catalog, plus a few checks of its own (warnings). PATH is a task file, a
folder of task files, or a repository (its rally-jobs/); the default is
./rally-jobs. Exit 0 clean or warnings only, 1 errors, 2 usage or I/O.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json", "sarif")
			if err != nil {
				return err
			}
			if cat != "master" && cat != "installed" {
				return usageErr("--catalog %q: want master or installed", cat)
			}
			targs, err := task.Args(taskArgs, taskArgsFile)
			if err != nil {
				return usageErr("%v", err)
			}
			fs, err := lint.Paths(args, lint.Options{Catalog: lint.View(cat == "installed"), TaskArgs: targs, PluginPaths: pluginPaths})
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
				lint.WriteText(out, fs)
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
	cmd.Flags().StringVar(&cat, "catalog", "master", "judge against rally-openstack master (plus Rally's own plugins) or the installed release")
	cmd.Flags().StringSliceVar(&pluginPaths, "plugin-paths", nil, "extra folders of Rally plugins (scenario names are read from them)")
	return cmd
}
