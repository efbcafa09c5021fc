package lint

import "github.com/rallyforge/rallyforge/internal/task"

// ruleDeprecatedV1: the v1 task format still works but is deprecated;
// `rally task convert` style v2 is what Rally documents (warning
// "deprecated-v1").
func ruleDeprecatedV1(f *file) bool {
	if f.task.Version == 1 {
		f.report(task.PosOf(f.task.Root), Warning, "deprecated-v1", "task format v1 is deprecated; use version: 2 with subtasks")
	}
	return true
}
