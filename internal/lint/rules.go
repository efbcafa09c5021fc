package lint

import "github.com/rallyforge/rallyforge/internal/task"

// Rule is one kind of finding: its name in the output, its severity, what
// it means, a minimal task that triggers it, and the check that finds it.
// The check of a rule reports findings of that rule only.
type Rule struct {
	ID          string
	Severity    Severity
	Description string
	// Example is a minimal task file (rally-jobs/example.yaml of a
	// repository) that triggers the rule; ExampleFiles are the other files
	// of that repository it needs (path relative to the repository root:
	// a plugin, a Zuul configuration). TestRuleExamples lints each one.
	Example      string
	ExampleFiles map[string]string
	// Check runs once per task that rendered and passed the task schema;
	// nil for what the steps before the rules report (render, yaml,
	// task-schema) and for the repository's Zuul jobs (Zuul).
	Check func(f *file, r *Rule)
}

// workloads is the walker most rules use: check runs on every workload of
// every subtask, in task order.
func workloads(check func(f *file, r *Rule, w *task.Workload)) func(*file, *Rule) {
	return func(f *file, r *Rule) {
		for _, st := range f.task.Subtasks {
			for _, w := range st.Workloads {
				check(f, r, w)
			}
		}
	}
}

// v2 wraps one workload in a v2 task, for the examples.
func v2(workload string) string {
	return "version: 2\ntitle: example\nsubtasks:\n  - title: example\n" + workload
}

// Rules is every rule, in the order the checks run (findings are then
// sorted by position; on one position, this order stays).
var Rules = []*Rule{
	ruleRenderFails, ruleYAML, ruleTaskSchema,
	ruleDeprecatedV1,
	ruleUnknownScenario, ruleLocalScenario, ruleScenarioArgs,
	ruleUnknownRunner, ruleRunnerConfig,
	ruleUnknownContext, ruleContextConfig,
	ruleUnknownSLA, ruleSLAConfig,
	ruleUnknownHook, ruleHookConfig,
	ruleScenarioValidator,
	ruleFileExists,
	ruleSLAUnknownAtomic, ruleSLANestedAtomic,
	ruleFailureRate,
	ruleQuotasUnused,
	ruleZuulParent, ruleZuulRallyTask, ruleOutsideRepo,
	ruleUnknownIgnore,
}

// The steps before the rules report these.
var (
	ruleRenderFails = &Rule{
		ID: "render", Severity: Error,
		Description: "The Jinja2 template does not render as Rally renders it: a syntax error, or a task argument the template needs and nobody gives (Rally asks for it before rendering).",
		Example:     v2("    scenario:\n      Dummy.dummy: {sleep: {{ sleep_time }}}\n"),
	}
	ruleYAML = &Rule{
		ID: "yaml", Severity: Error,
		Description: "The rendered task is not YAML (or JSON) as PyYAML's safe_load reads it.",
		Example:     "version: 2\ntitle: [unclosed\n",
	}
	ruleTaskSchema = &Rule{
		ID: "task-schema", Severity: Error,
		Description: "The task breaks Rally's task format (TaskConfig's schema): version, required and allowed keys, single-key scenario and runner, titles, tags.",
		Example:     "version: 2\ntitle: example\n",
	}
)
