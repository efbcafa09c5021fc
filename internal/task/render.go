// Package task is the Rally task model: Jinja2 rendering the way Rally does
// it, parsing of the v1 and v2 formats with positions, and the conversion of
// v1 into the v2 model.
package task

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/nikolalohinski/gonja/v2"
	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"
)

func init() { gonja.SetLoggerOutput(io.Discard) }

// RenderError is a template that Rally would refuse to render: a Jinja2
// syntax error or a task argument that is not given.
type RenderError struct {
	Missing []string // task arguments the template needs and nobody gave
	Msg     string
}

func (e *RenderError) Error() string { return e.Msg }

// HasTemplate reports whether src uses Jinja2 at all; when it does not, the
// rendered text is the file itself and positions need no mapping.
func HasTemplate(src []byte) bool {
	s := string(src)
	return strings.Contains(s, "{{") || strings.Contains(s, "{%") || strings.Contains(s, "{#")
}

// Render renders a task template as Rally's api._Task.render_template does:
// a loader rooted at the task file's folder (include / import), the globals
// min, max, ceil and round, and args as the template variables. An undefined
// variable is an error unless the template defaults it, with Rally's own
// test for that ({% set x = x or … %} or x | default(…)).
func Render(path string, src []byte, args map[string]any) (string, error) {
	if !HasTemplate(src) {
		return string(src), nil
	}
	// A template can loop for ever ({% for i in range(10**12) %}); a linter
	// must answer. The render goroutine is abandoned on timeout.
	type result struct {
		out string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		o, e := renderTemplate(path, src, args)
		ch <- result{o, e}
	}()
	select {
	case r := <-ch:
		return r.out, r.err
	case <-time.After(RenderTimeout):
		return "", &RenderError{Msg: fmt.Sprintf("template did not render within %v", RenderTimeout)}
	}
}

// RenderTimeout bounds one template's rendering.
var RenderTimeout = 10 * time.Second

func renderTemplate(path string, src []byte, args map[string]any) (out string, err error) {
	// gonja is young; a panic inside it must not take the linter down.
	defer func() {
		if r := recover(); r != nil {
			out, err = "", &RenderError{Msg: fmt.Sprintf("cannot render template: %v", r)}
		}
	}()
	dir := filepath.Dir(path)
	if dir == "" {
		dir = "."
	}
	if _, statErr := os.Stat(dir); statErr != nil {
		dir = "."
	}
	// Strict passes find variables nobody defines; Rally forgives one the
	// template defaults, which then renders as undefined (None) and the
	// next strict pass looks further.
	data := map[string]any{}
	for k, v := range args {
		data[k] = v
	}
	for range 64 {
		out, err = render(dir, src, data, true)
		if err == nil {
			return out, nil
		}
		name := undefinedName(err)
		if name == "" {
			break
		}
		if _, seen := data[name]; seen || !defaulted(name, string(src)) {
			if seen {
				break
			}
			return "", &RenderError{Missing: []string{name}, Msg: "Please specify template task argument: " + name}
		}
		data[name] = nil
	}
	// Macro parameters a call leaves out are undefined (falsy) in Rally's
	// non-strict Jinja2, where gonja's strict mode refuses them: render
	// non-strictly.
	out, err2 := render(dir, src, data, false)
	if err2 == nil {
		return out, nil
	}
	return "", &RenderError{Msg: "cannot render template: " + oneLine(err2.Error())}
}

var undefinedRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`Unable to evaluate name "([A-Za-z_][A-Za-z0-9_]*)"`) })

func undefinedName(err error) string {
	if m := undefinedRe().FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}

// defaulted is Rally's is_really_missing, negated.
func defaulted(name, tmpl string) bool {
	q := regexp.QuoteMeta(name)
	if regexp.MustCompile(`\{%\s*set\s+` + q + `\s*=\s*` + q + `[^\w]+`).MatchString(tmpl) {
		return true
	}
	return regexp.MustCompile(q + `\s*\|\s*default\(`).MatchString(tmpl)
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 3000 {
		s = s[:300] + "…"
	}
	return s
}

func render(dir string, src []byte, args map[string]any, strict bool) (string, error) {
	fsl, err := loaders.NewFileSystemLoader(dir)
	if err != nil {
		return "", err
	}
	root := "root-task-template"
	loader, err := loaders.NewShiftedLoader(root, strings.NewReader(string(src)), fsl)
	if err != nil {
		return "", err
	}
	cfg := config.New()
	cfg.StrictUndefined = strict
	cfg.KeepTrailingNewline = false
	base := exec.NewContext(map[string]any{}).Update(builtins.GlobalFunctions).Update(builtins.GlobalVariables).Update(rallyGlobals)
	base.Set(baseKey, base)
	env := &exec.Environment{
		Context:           base,
		Filters:           builtins.Filters,
		Tests:             builtins.Tests,
		ControlStructures: ctlStructures,
		Methods:           builtins.Methods,
	}
	tpl, err := exec.NewTemplate(root, cfg, loader, env)
	if err != nil {
		return "", err
	}
	data := map[string]any{}
	for k, v := range args {
		data[k] = v
	}
	return tpl.ExecuteToString(exec.NewContext(data))
}

var ctlStructures = controlStructures()

// rallyGlobals are create_template_functions() of rally/api.py: min and
// max of two numbers (ints stay ints), round and ceil to an int.
var rallyGlobals = exec.NewContext(map[string]any{
	"min": func(a, b *exec.Value) any { return pick(a, b, a.Float() <= b.Float()) },
	"max": func(a, b *exec.Value) any { return pick(a, b, a.Float() >= b.Float()) },
	"ceil": func(f *exec.Value) int {
		return int(math.Ceil(f.Float()))
	},
	// Python 3's round() rounds half to even.
	"round": func(f *exec.Value) int { return int(math.RoundToEven(f.Float())) },
})

func pick(a, b *exec.Value, first bool) any {
	v := b
	if first {
		v = a
	}
	if v.IsInteger() {
		return v.Integer()
	}
	return v.Float()
}
