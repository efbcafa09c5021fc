package lint

import "github.com/rallyforge/rallyforge/internal/task"

// ruleDeprecatedV1: the v1 task format still works but is deprecated;
// `rally task convert` style v2 is what Rally documents.
var ruleDeprecatedV1 = &Rule{
	ID: "deprecated-v1", Severity: Warning,
	Description: "The task is in the v1 format, which Rally still runs but no longer documents; use version: 2 with subtasks.",
	Example:     "Dummy.dummy:\n  - args: {sleep: 0}\n    runner: {type: constant, times: 1, concurrency: 1}\n",
	Check: func(f *file, r *Rule) {
		if f.task.Version == 1 {
			f.report(task.PosOf(f.task.Root), r, "task format v1 is deprecated; use version: 2 with subtasks")
		}
	},
}
