// Package jinja renders task templates as Rally does with Python's Jinja2
// (gonja, with Python's value semantics put back: pyjinja.go), finds the
// undeclared variables Rally asks for before rendering (undeclared.go),
// and maps rendered lines back to template lines (linemap.go).
package jinja

import (
	"errors"
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
)

func init() { gonja.SetLoggerOutput(io.Discard) }

// RenderError is a template that Rally would refuse to render: a Jinja2
// syntax error or a task argument that is not given.
type RenderError struct {
	Missing []string // task arguments the template needs and nobody gave
	Msg     string
	// Line and Col locate the error in the template (0 when unknown).
	Line, Col int
	// Filter is the unknown filter the template uses, if that is the error.
	Filter string
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
	return RenderWithin(path, src, args, RenderTimeout)
}

// RenderWithin is Render with its own time limit.
func RenderWithin(path string, src []byte, args map[string]any, limit time.Duration) (string, error) {
	if !HasTemplate(src) {
		// Jinja2 still reads it: every line break becomes \n and the
		// last one goes (keep_trailing_newline is off).
		return universalNewlines(src), nil
	}
	// A template can loop for ever ({% for i in range(10**12) %}); a linter
	// must answer. At the time limit the render's budget is stopped: every
	// loop, macro call, filter, operator and write checks it, so the render
	// goroutine really ends (and frees its memory) instead of running on.
	type result struct {
		out string
		err error
	}
	b := &budget{}
	ch := make(chan result, 1)
	go func() {
		o, e := renderTemplate(path, src, args, b)
		ch <- result{o, e}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.out, r.err
	case <-timer.C:
		b.stop.Store(true)
		select {
		case <-ch:
		case <-time.After(2 * time.Second):
		}
		return "", &RenderError{Msg: fmt.Sprintf("template did not render within %v", limit)}
	}
}

// universalNewlines is a plain file as Jinja2 renders it: \r\n, \r and \n
// all become \n, and one final line break is dropped.
func universalNewlines(src []byte) string {
	var b strings.Builder
	b.Grow(len(src))
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			b.WriteByte('\n')
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// RenderTimeout bounds one template's rendering: every corpus task renders
// in milliseconds, and a linter run on a few hostile files must still end
// within seconds.
const RenderTimeout = 5 * time.Second

func renderTemplate(path string, src []byte, args map[string]any, b *budget) (out string, err error) {
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
	if err := nestingErr(src); err != nil {
		return "", &RenderError{Msg: "cannot render template: " + err.Error()}
	}
	tpl, err := parse(dir, src, b)
	if err != nil {
		var re *RenderError
		if errors.As(err, &re) {
			return "", re
		}
		return "", syntaxError(err)
	}
	if missing := missingArgs(tpl, string(src), args); len(missing) > 0 {
		msg := "Please specify template task argument: "
		if len(missing) > 1 {
			msg = "Please specify next template task arguments: "
		}
		return "", &RenderError{Missing: missing, Msg: msg + strings.Join(missing, ", ")}
	}
	data := map[string]any{}
	for k, v := range args {
		data[k] = v
	}
	var sb strings.Builder
	err = tpl.Execute(&limitedWriter{&sb, b}, exec.NewContext(data))
	if err != nil {
		return "", &RenderError{Msg: "cannot render template: " + oneLine(innermost(err.Error()))}
	}
	return sb.String(), nil
}

// missingArgs is the check of Rally's render_template: the template's
// undeclared variables that are neither given, nor Python builtins, nor
// Jinja2 or Rally globals, nor defaulted (is_really_missing).
func missingArgs(tpl *exec.Template, src string, args map[string]any) []string {
	var out []string
	for _, name := range undeclared(tpl.Root()) {
		if _, ok := args[name]; ok || pyBuiltins()[name] || jinjaGlobals[name] || defaulted(name, src) {
			continue
		}
		out = append(out, name)
	}
	return out
}

// jinjaGlobals are the names a jinja2.Environment defines (Rally adds min,
// max, ceil and round) and the literals gonja reads as names.
var jinjaGlobals = map[string]bool{"range": true, "dict": true, "lipsum": true, "cycler": true, "joiner": true,
	"namespace": true, "min": true, "max": true, "ceil": true, "round": true,
	"none": true, "true": true, "false": true, "True": true, "False": true, "None": true}

// pyBuiltins is dir(builtins) of Python 3: Rally forgives these names too.
// Built on first use: most tasks have no undeclared name to look up, and
// every process would pay for the map at start-up.
var pyBuiltins = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup
		BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
		ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError
		Exception ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit
		IOError ImportError ImportWarning IndentationError IndexError InterruptedError IsADirectoryError KeyError
		KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError None NotADirectoryError NotImplemented
		NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError ProcessLookupError
		PythonFinalizationError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning
		StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True
		TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
		UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__ __import__
		__loader__ __name__ __package__ __spec__ abs aiter all anext any ascii bin bool breakpoint bytearray bytes
		callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval exec exit
		filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len
		license list locals map max memoryview min next object oct open ord pow print property quit range repr
		reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip`) {
		m[n] = true
	}
	return m
})

// defaulted is Rally's is_really_missing, negated.
func defaulted(name, tmpl string) bool {
	q := regexp.QuoteMeta(name)
	if regexp.MustCompile(`\{%\s*set\s+` + q + `\s*=\s*` + q + `[^\w]+`).MatchString(tmpl) {
		return true
	}
	return regexp.MustCompile(q + `\s*\|\s*default\(`).MatchString(tmpl)
}

// innermost keeps, of gonja's nested error text, the part that says why
// when a render limit stopped it (a recursion wraps it a hundred times).
func innermost(msg string) string {
	if i := strings.LastIndex(msg, ErrLimit.Error()+": "); i >= 0 {
		return msg[i:]
	}
	return msg
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 3000 {
		s = s[:300] + "…"
	}
	return s
}

// parse parses a task template the way Rally's jinja2.Environment does:
// non-strict undefined (Rally checks for missing arguments itself, before
// rendering), no trailing newline kept, a loader beside the task.
func parse(dir string, src []byte, b *budget) (*exec.Template, error) {
	root := "root-task-template"
	loader, err := newTaskLoader(dir, root, src)
	if err != nil {
		return nil, err
	}
	cfg := config.New()
	cfg.StrictUndefined = false
	cfg.KeepTrailingNewline = false
	base := exec.NewContext(map[string]any{}).Update(builtins.GlobalFunctions).Update(builtins.GlobalVariables).Update(rallyGlobals)
	base.Set(baseKey, base)
	if b != nil {
		base.Set(budgetKey, b)
	}
	env := &exec.Environment{
		Context:           base,
		Filters:           boundedFilters(),
		Tests:             builtins.Tests,
		ControlStructures: ctlStructures,
		Methods:           boundedMethods(),
	}
	tpl, err := exec.NewTemplate(root, cfg, loader, env)
	if err != nil {
		return nil, err
	}
	if e := unknownFilter(tpl.Root(), env.Filters); e != nil {
		return nil, e
	}
	pythonize(tpl.Root())
	return tpl, nil
}

var ctlStructures = controlStructures()

// The filters and methods with the render limits (limits.go); the wrappers
// find each render's budget through their evaluator.
var (
	boundedFilters = sync.OnceValue(func() *exec.FilterSet { return boundFilters(pyFilters()) })
	boundedMethods = sync.OnceValue(func() exec.Methods { return boundMethods(pyMethods()) })
)

// rallyGlobals are create_template_functions() of rally/api.py: min and
// max of two numbers (ints stay ints), round and ceil to an int.
var rallyGlobals = exec.NewContext(map[string]any{
	"none":   nil, // gonja knows None but not Jinja2's lowercase literal
	"range":  boundedRange,
	"lipsum": boundedLipsum,
	"min":    func(a, b *exec.Value) any { return pick(a, b, !pyLess(b, a)) },
	"max":    func(a, b *exec.Value) any { return pick(a, b, !pyLess(a, b)) },
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
	if v.IsString() {
		return v.String()
	}
	if v.IsInteger() {
		return v.Integer()
	}
	return v.Float()
}

// pyLess is Python's a < b for the numbers and strings min and max see.
func pyLess(a, b *exec.Value) bool {
	if a.IsString() && b.IsString() {
		return a.String() < b.String()
	}
	return a.Float() < b.Float()
}
