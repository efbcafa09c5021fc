package main

import (
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/plan"
	"github.com/spf13/cobra"
)

// cliFormats is what each command's --format accepts, by command path
// (without "rallyforge "); the first is the default. formatFlag checks
// the value against it, --help lists it and completion offers it.
var cliFormats = map[string][]string{
	"detect":         {"text", "json"},
	"init":           {"text", "json"},
	"lint":           {"text", "json", "sarif"},
	"plugin":         {"text", "json"},
	"run":            {"text", "json"},
	"report":         {"text", "markdown", "json", "junit", "html"},
	"compare":        {"text", "markdown", "json"},
	"history add":    {"text", "json"},
	"history list":   {"text", "json"},
	"history trends": {"text", "json", "html"},
	"history rm":     {"text", "json"},
	"baseline":       {"text", "json"},
	"catalog":        {"text", "json"},
}

// catalogViews are the values of lint's --catalog.
var catalogViews = []string{"auto", "master", "installed"}

// cliExamples are shown under Examples: in each command's --help (a test
// parses every line against the command's flags).
var cliExamples = map[string]string{
	"rallyforge": `  rallyforge detect ../glance                # which service, with evidence
  rallyforge init --dry-run ../glance        # the rally-jobs/ tree and Zuul job it would write
  rallyforge lint ../glance                  # the task files, as Rally judges them
  rallyforge run ../glance/rally-jobs/task-glance.yaml
  rallyforge report task-glance.results/report.json`,
	"history": `  rallyforge history add --tag main task.results/report.json
  rallyforge history list
  rallyforge history trends --tag main total
  rallyforge history rm 3`,
	"detect": `  rallyforge detect                       # the repository in the current folder
  rallyforge detect ../nova ../glance      # several, in parallel
  rallyforge detect --format json -v .     # the contract's JSON, with evidence`,
	"init": `  rallyforge init --dry-run .              # show the files as a diff, write nothing
  rallyforge init --profile smoke ../glance
  rallyforge init --no-zuul --service-type identity .`,
	"lint": `  rallyforge lint                          # ./rally-jobs/*.yaml|yml|json
  rallyforge lint rally-jobs/task-nova.yaml --task-args '{"flavor": "m1.tiny"}'
  rallyforge lint --catalog installed --format sarif . > rallyforge.sarif`,
	"plugin": `  rallyforge plugin --dry-run ../zun       # scenarios from api-ref/source, as a diff
  rallyforge plugin --format json .`,
	"run": `  source openrc admin admin && rallyforge run
  OS_CLOUD=devstack-admin rallyforge run rally-jobs/task-glance.yaml
  rallyforge run --cloud lab --insecure --out /tmp/results rally-jobs/task-nova.yaml
  rallyforge run --env my-existing-env --task-args-file args.yaml`,
	"report": `  rallyforge report task.results/report.json
  rallyforge report --format html report.json > report.html
  rallyforge report --format junit report.json > junit.xml   # exit 1 if an SLA failed`,
	"compare": `  rallyforge compare base/report.json new/report.json
  rallyforge compare --threshold 0.2 --alpha 0.05 --format markdown base.json new.json
  rallyforge compare --baseline-tag main --last 5 new/report.json`,
	"history add": `  rallyforge history add --tag main task.results/report.json
  RALLYFORGE_DB=postgres://rally@db.example.org/perf rallyforge history add --tag stable-2025.1 report.json`,
	"history list": `  rallyforge history list
  rallyforge history list --tag main --format json`,
	"history trends": `  rallyforge history trends nova.boot_server
  rallyforge history trends --tag main --format html > trends.html`,
	"history rm": `  rallyforge history rm 12
  rallyforge history rm --db /tmp/h.db 3 4`,
	"baseline": `  rallyforge baseline --dry-run rally-jobs/task-nova.yaml report.json
  rallyforge baseline --margin 1.5 --percentile 95 --force task.yaml report.json
  rallyforge baseline --mean --task-args-file args.yaml task.yaml report.json`,
	"catalog": `  rallyforge catalog NovaServers.boot_and_delete_server
  rallyforge catalog --service compute --kind scenario
  rallyforge catalog --format json failure_rate`,
}

// flagValues are the completions of flags whose values form a closed set.
var flagValues = map[string][]string{
	"profile": plan.Profiles,
	"catalog": catalogViews,
	"color":   colorModes,
}

// decorate gives each runnable command of the tree its --format flag
// (listing what that command accepts), its examples and the completion of
// flags with a closed set of values.
func decorate(c *cobra.Command) {
	path := strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
	if fs, ok := cliFormats[path]; ok && c.Flags().Lookup("format") == nil {
		c.Flags().String("format", fs[0], "output format: "+strings.Join(fs, "|"))
		_ = c.RegisterFlagCompletionFunc("format", fixed(fs))
	}
	if ex, ok := cliExamples[path]; ok && c.Example == "" {
		c.Example = ex
	}
	for name, vals := range flagValues {
		if c.Flags().Lookup(name) != nil {
			_ = c.RegisterFlagCompletionFunc(name, fixed(vals))
		}
	}
	for _, sub := range c.Commands() {
		decorate(sub)
	}
}

func fixed(vals []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, v := range vals {
			if strings.HasPrefix(v, prefix) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// formatFlag returns the --format value, checked against what the
// command's RunE can print (TestFormatsListed holds cliFormats, which help
// and completion show, to the same lists).
func formatFlag(cmd *cobra.Command, allowed ...string) (string, error) {
	f, _ := cmd.Flags().GetString("format")
	if slices.Contains(allowed, f) {
		return f, nil
	}
	path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	return "", usageErr("--format %q not supported by %s (want %s)", f, path, strings.Join(allowed, "|"))
}
