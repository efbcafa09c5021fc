package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/rallyrun"
	"github.com/spf13/cobra"
)

func init() { register("run", newRunCmd) }

func newRunCmd() *cobra.Command {
	var o rallyrun.Options
	cmd := &cobra.Command{
		Use:   "run [TASK]",
		Short: "run a task with the real Rally and export its results",
		Long: `run starts the task (default: the only rally-jobs/task-*.yaml) with the real
rally, loading the task folder's plugins/ and giving it extra/ as ~/.rally/extra
with the gate's dummy_image.raw and dummy_image.qcow2 (made in the state folder;
qcow2 with qemu-img), as the gate does. The task is linted first (against the
installed Rally's plugins): a task Rally would reject stops here with exit 2,
before any cloud contact.

The cloud comes from a clouds.yaml cloud (--cloud NAME or $OS_CLOUD; clouds.yaml
and secure.yaml found where openstacksdk looks), else from OS_* variables (an
openrc: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, domains,
OS_REGION_NAME, OS_INTERFACE), or an existing Rally env (--env NAME). TLS:
OS_CACERT / cacert, OS_CERT, OS_KEY, OS_INSECURE / verify: false, --insecure.
Application credentials are refused with the reason: Rally's environment takes
username and password only. RALLYFORGE_USER_USERNAME, _PASSWORD and
_PROJECT_NAME name a non-admin user Rally runs as (existing users).
Results go to <task>.results/ or --out DIR: report.json,
report.html, junit.xml, sla.json. Exit 0 pass, 1 SLA failed or run error, 2 invalid
task or usage.`,
		Args: wrapArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			if len(args) == 1 {
				o.Task = args[0]
			} else {
				m, _ := filepath.Glob("rally-jobs/task-*.yaml")
				if len(m) != 1 {
					return usageErr("no TASK given and rally-jobs/ has %d task-*.yaml files; name the task", len(m))
				}
				o.Task = m[0]
			}
			if o.StateDir == "" {
				o.StateDir = os.Getenv("RALLYFORGE_STATE")
			}
			if o.Cloud != "" && o.Env != "" {
				return usageErr("--cloud and --env exclude each other")
			}
			o.Progress = cmd.ErrOrStderr()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, runErr := rallyrun.Run(ctx, o)
			if res != nil {
				out := cmd.OutOrStdout()
				if format == "json" {
					_ = jsonout.Write(out, res)
				} else {
					for _, w := range res.Workloads {
						st := "PASS"
						if !w.PassSLA {
							st = "FAIL"
						}
						fmt.Fprintf(out, "%s %-50s %d/%d iterations ok %6.1fs\n", st, w.Scenario, w.Iterations-w.Failed, w.Iterations, w.Seconds)
					}
					fmt.Fprintf(out, "task %s: setup %.1fs, rally task start %.1fs, exports %.1fs\n",
						res.TaskUUID, res.SetupSeconds, res.TaskSeconds, res.ExportSeconds)
					for _, k := range []string{"report_json", "report_html", "junit", "sla"} {
						if p := res.Files[k]; p != "" {
							fmt.Fprintf(out, "wrote %s\n", p)
						}
					}
				}
			}
			var re *rallyrun.Error
			if errors.As(runErr, &re) {
				return &exitError{Code: int(re.Kind), Err: re}
			}
			return runErr
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.TaskArgs, "task-args", "", "task args (JSON or YAML dict) for the Jinja2 template")
	f.StringVar(&o.TaskArgsFile, "task-args-file", "", "file with task args (JSON or YAML dict)")
	f.StringVar(&o.OutDir, "out", "", "results folder (default: <task>.results next to the task)")
	f.StringVar(&o.StateDir, "state", "", "Rally state folder: rally.conf, rally.sqlite (default $RALLYFORGE_STATE or the user cache dir)")
	f.StringVar(&o.Cloud, "cloud", "", "cloud NAME of clouds.yaml + secure.yaml (default $OS_CLOUD; searched as openstacksdk does: OS_CLIENT_CONFIG_FILE, ., ~/.config/openstack, /etc/openstack)")
	f.BoolVar(&o.Insecure, "insecure", false, "do not verify the cloud's TLS certificate (as OS_INSECURE=true; OS_CACERT names a CA bundle)")
	f.StringVar(&o.Env, "env", "", "existing Rally env (name or UUID) instead of one from OS_*")
	return cmd
}
