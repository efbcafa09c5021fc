package lint

import (
	"errors"

	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleRender renders the Jinja2 template as Rally does and parses the
// result (rules "render" and "yaml").
func ruleRender(f *file) bool {
	out, err := task.Render(f.path, f.src, f.taskArgs)
	if err != nil {
		f.lines = lineMap{identity: true}
		f.report(task.Pos{Line: 1, Col: 1}, Error, "render", "%s", err.Error())
		return false
	}
	f.rendered = out
	f.lines = newLineMap(f.src, out)
	doc, err := task.ParseYAML([]byte(out))
	if err != nil {
		var se *task.SyntaxError
		if errors.As(err, &se) {
			f.report(se.Pos, Error, "yaml", "%s", se.Msg)
		} else {
			f.report(task.Pos{Line: 1, Col: 1}, Error, "yaml", "%s", err.Error())
		}
		return false
	}
	if doc == nil {
		f.report(task.Pos{Line: 1, Col: 1}, Error, "task-schema", "Task config is invalid: It is empty")
		return false
	}
	f.doc = doc
	return true
}
