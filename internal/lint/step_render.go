package lint

import (
	"errors"
	"regexp"
	"strings"

	"github.com/rallyforge/rallyforge/internal/py/jinja"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
)

// render is the first step: render the Jinja2 template as Rally does and
// load the result as PyYAML does (findings "render", "yaml", and
// "task-schema" for an empty document). False: nothing more can be checked.
func (f *file) render() bool {
	out, err := jinja.Render(f.path, f.src, f.taskArgs)
	if err != nil {
		f.lines, f.linesSet = nil, true // positions are the template's
		p := task.Pos{Line: 1, Col: 1}
		var re *jinja.RenderError
		if errors.As(err, &re) && len(re.Missing) > 0 {
			p = firstUse(f.src, re.Missing[0])
		} else if re != nil && re.Line > 0 {
			p = task.Pos{Line: re.Line, Col: max(re.Col, 1)}
		}
		f.report(p, ruleRenderFails, "%s", err.Error())
		return false
	}
	f.rendered = out
	doc, err := pyyaml.Load([]byte(out))
	if err != nil {
		var se *pyyaml.SyntaxError
		if errors.As(err, &se) {
			f.report(se.Pos, ruleYAML, "%s", se.Msg)
		} else {
			f.report(task.Pos{Line: 1, Col: 1}, ruleYAML, "%s", err.Error())
		}
		return false
	}
	if doc == nil {
		f.report(task.Pos{Line: 1, Col: 1}, ruleTaskSchema, "Task config is invalid: It is empty")
		return false
	}
	f.doc = doc
	return true
}

// firstUse is where a template first names a variable (1:1 if nowhere in
// this file, e.g. only in an included one).
func firstUse(src []byte, name string) task.Pos {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`)
	for i, l := range strings.Split(string(src), "\n") {
		if loc := re.FindStringIndex(l); loc != nil {
			return task.Pos{Line: i + 1, Col: loc[0] + 1}
		}
	}
	return task.Pos{Line: 1, Col: 1}
}
