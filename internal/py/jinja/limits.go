package jinja

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/nikolalohinski/gonja/v2/builtins"
	cs "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Limits of one render. A task template is a program: a linter must answer
// for any of them, in bounded time and memory, and with a finding rather
// than a Go stack overflow. Real tasks are far below every limit (the
// corpus loops over at most a few hundred items and writes well under
// 1 MB); Python's Jinja2 raises RecursionError around the depths.
const (
	// MaxDepth bounds macro call depth and block or bracket nesting.
	MaxDepth = 100
	// MaxIncludes bounds the templates one render includes or imports
	// (a template including itself).
	MaxIncludes = 100
	// MaxString bounds every string a render builds and its output, in
	// bytes; a task file may not be larger than 8 MiB anyway.
	MaxString = 16 << 20
	// MaxItems bounds a range() and every list a render builds: gonja
	// takes about 10 µs per loop iteration (Python's Jinja2 0.5 µs), so a
	// loop of 100,000 is a second.
	MaxItems = 100_000
)

// ErrLimit marks a render stopped by one of the limits.
var ErrLimit = errors.New("render limit")

func limitErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrLimit}, a...)...)
}

// budget is one render's account: the stop flag the timeout sets (every
// hook below checks it, so an abandoned render really ends), the macro
// depth, the includes and the output written.
type budget struct {
	stop     atomic.Bool
	depth    int
	includes int
	out      int
}

const budgetKey = "__rallyforge_budget__"

// budgetOf finds the render's budget in a context (every render's base
// context holds one; a nil budget checks nothing).
func budgetOf(ctx *exec.Context) *budget {
	if ctx == nil {
		return nil
	}
	v, _ := ctx.Get(budgetKey)
	b, _ := v.(*budget)
	return b
}

func (b *budget) stopped() error {
	if b != nil && b.stop.Load() {
		return limitErr("stopped at the render's time limit")
	}
	return nil
}

// guard wraps a macro with the depth limit and the stop flag.
func guard(b *budget, name string, fn exec.Macro) exec.Macro {
	if b == nil {
		return fn
	}
	return func(params *exec.VarArgs) *exec.Value {
		if err := b.stopped(); err != nil {
			return exec.AsValue(err)
		}
		if b.depth >= MaxDepth {
			return exec.AsValue(limitErr("RecursionError: macro %s calls nest deeper than %d", name, MaxDepth))
		}
		b.depth++
		defer func() { b.depth-- }()
		return fn(params)
	}
}

// boundedMacro is gonja's macro definition with the macro guarded.
type boundedMacro struct{ *cs.MacroControlStructure }

func (m *boundedMacro) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	fn, err := exec.MacroNodeToFunc(m.Macro, r)
	if err != nil {
		return fmt.Errorf("unable to parse macro '%s': %w", m.Name, err)
	}
	r.Environment.Context.Set(m.Name, guard(budgetOf(r.Environment.Context), m.Name, fn))
	return nil
}

// boundedFor is gonja's for loop, checking the stop flag each time a loop
// starts (range() checks it on every iteration).
type boundedFor struct{ *cs.ForControlStructure }

func (f *boundedFor) Execute(r *exec.Renderer, tag *nodes.ControlStructureBlock) error {
	if err := budgetOf(r.Environment.Context).stopped(); err != nil {
		return err
	}
	return f.ForControlStructure.Execute(r, tag)
}

// loopDepth heads the body of a recursive for loop. There gonja's `loop`
// is a plain function that renders the body again, on the Go stack and
// past every Execute; the guard puts a counted one in its place, so that
// loop(items) nesting past MaxDepth ends as Python's RecursionError would,
// not in a Go stack overflow.
type loopDepth struct{}

func (loopDepth) Position() *tokens.Token { return nil }
func (loopDepth) String() string          { return "loopDepth" }

func (loopDepth) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	b := budgetOf(r.Environment.Context)
	if err := b.stopped(); err != nil {
		return err
	}
	v, _ := r.Environment.Context.Get("loop")
	if fn, ok := v.(func(*exec.VarArgs) *exec.Value); ok && b != nil {
		r.Environment.Context.Set("loop", func(va *exec.VarArgs) *exec.Value {
			if b.depth >= MaxDepth {
				return exec.AsValue(limitErr("RecursionError: recursive loop calls nest deeper than %d", MaxDepth))
			}
			b.depth++
			defer func() { b.depth-- }()
			return fn(va)
		})
	}
	return nil
}

// boundedImport is gonja's {% import 'x' as m %} with the imported macros
// guarded and the import counted.
type boundedImport struct{ *cs.ImportControlStructure }

func (i *boundedImport) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	b := budgetOf(r.Environment.Context)
	if err := b.countInclude(); err != nil {
		return err
	}
	expr, _ := hidden(i.ImportControlStructure, "filenameExpression").(nodes.Expression)
	as, _ := hidden(i.ImportControlStructure, "as").(string)
	name := r.Eval(expr)
	if name.IsError() {
		return fmt.Errorf("unable to evaluate filename: %v", name)
	}
	filename, err := r.Loader.Resolve(name.String())
	if err != nil {
		return fmt.Errorf("failed to resolve filename: %s", err)
	}
	loader, err := r.Loader.Inherit(filename)
	if err != nil {
		return err
	}
	tpl, err := exec.NewTemplate(filename, r.Config, loader, r.Environment)
	if err != nil {
		return fmt.Errorf("unable to load template '%s': %s", filename, err)
	}
	pythonize(tpl.Root())
	macros := map[string]exec.Macro{}
	for n, node := range tpl.Macros() {
		fn, err := exec.MacroNodeToFunc(node, r)
		if err != nil {
			return fmt.Errorf("unable to import macro '%s': %w", n, err)
		}
		macros[n] = guard(b, n, fn)
	}
	r.Environment.Context.Set(as, macros)
	return nil
}

func (b *budget) countInclude() error {
	if b == nil {
		return nil
	}
	if err := b.stopped(); err != nil {
		return err
	}
	b.includes++
	if b.includes > MaxIncludes {
		return limitErr("RecursionError: more than %d templates included or imported", MaxIncludes)
	}
	return nil
}

// wrapParser turns gonja's parsed node into its bounded version.
func wrapParser(name string, wrap func(nodes.ControlStructure) nodes.ControlStructure) parser.ControlStructureParser {
	orig, _ := builtins.ControlStructures.Get(name)
	return func(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
		n, err := orig(p, args)
		if err != nil {
			return nil, err
		}
		return wrap(n), nil
	}
}

func boundedParsers(m map[string]parser.ControlStructureParser) {
	m["macro"] = wrapParser("macro", func(n nodes.ControlStructure) nodes.ControlStructure {
		if c, ok := n.(*cs.MacroControlStructure); ok {
			return &boundedMacro{c}
		}
		return n
	})
	m["for"] = wrapParser("for", func(n nodes.ControlStructure) nodes.ControlStructure {
		if c, ok := n.(*cs.ForControlStructure); ok {
			if c.Recursive && c.BodyWrapper != nil {
				// loop(items) renders the body again without passing
				// through Execute: the body itself checks the depth.
				guard := &nodes.ControlStructureBlock{Location: c.BodyWrapper.Location, Name: "for", ControlStructure: loopDepth{}}
				c.BodyWrapper.Nodes = append([]nodes.Node{guard}, c.BodyWrapper.Nodes...)
			}
			return &boundedFor{c}
		}
		return n
	})
	m["import"] = wrapParser("import", func(n nodes.ControlStructure) nodes.ControlStructure {
		if c, ok := n.(*cs.ImportControlStructure); ok {
			return &boundedImport{c}
		}
		return n
	})
}

// boundedRange is Python's range, lazy as gonja's, that stops at the
// render's stop flag and refuses more than MaxItems values.
func boundedRange(e *exec.Evaluator, params *exec.VarArgs) (<-chan int, error) {
	start, stop, step := 0, 0, 1
	ints := true
	for _, a := range params.Args {
		ints = ints && a.IsInteger()
	}
	switch n := len(params.Args); {
	case !ints || n == 0 || n > 3:
		return nil, exec.ErrInvalidCall(errors.New("expected signature is [start, ]stop[, step] where all arguments are integers"))
	case n == 1:
		stop = params.Args[0].Integer()
	default:
		start, stop = params.Args[0].Integer(), params.Args[1].Integer()
		if n == 3 {
			step = params.Args[2].Integer()
		}
	}
	if step == 0 {
		return nil, exec.ErrInvalidCall(errors.New("step cannot be 0"))
	}
	count := 0
	if step > 0 && stop > start {
		count = (stop - start + step - 1) / step
	} else if step < 0 && stop < start {
		count = (start - stop - step - 1) / -step
	}
	if count > MaxItems || count < 0 {
		return nil, limitErr("range of %d values (limit %d)", count, MaxItems)
	}
	var b *budget
	if e != nil && e.Environment != nil {
		b = budgetOf(e.Environment.Context)
	}
	ch := make(chan int)
	go func() {
		defer close(ch)
		for k, i := 0, start; k < count; k, i = k+1, i+step {
			if b != nil && b.stop.Load() {
				return
			}
			ch <- i
		}
	}()
	return ch, nil
}

// boundedLipsum is Jinja2's lipsum(n, html, min, max) with n and max
// bounded: each paragraph holds up to max words, so lipsum(10**5) alone
// took 5 s and 220 MB.
var boundedLipsum = func() func(*exec.Evaluator, *exec.VarArgs) *exec.Value {
	v, _ := builtins.GlobalFunctions.Get("lipsum")
	orig, _ := v.(func(*exec.Evaluator, *exec.VarArgs) *exec.Value)
	return func(e *exec.Evaluator, params *exec.VarArgs) *exec.Value {
		vals := append([]*exec.Value{}, params.Args...)
		for _, k := range []string{"n", "max"} {
			if v, ok := params.KwArgs[k]; ok {
				vals = append(vals, v)
			}
		}
		for _, v := range vals {
			if v.IsInteger() && v.Integer() > 1000 {
				return exec.AsValue(limitErr("lipsum argument %d over 1000", v.Integer()))
			}
		}
		if orig == nil {
			return exec.AsValue(errors.New("lipsum is not available"))
		}
		return orig(e, params)
	}
}()

// limitedWriter is the render's output: at most MaxString bytes, and
// nothing more once the render is stopped.
type limitedWriter struct {
	w io.Writer
	b *budget
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if err := l.b.stopped(); err != nil {
		return 0, err
	}
	l.b.out += len(p)
	if l.b.out > MaxString {
		return 0, limitErr("output over %d bytes", MaxString)
	}
	return l.w.Write(p)
}

// sizeErr checks a value a filter, method or operator produced or received.
func sizeErr(v *exec.Value) error {
	switch {
	case v == nil:
		return nil
	case v.IsString():
		if n := len(v.String()); n > MaxString {
			return limitErr("string of %d bytes (limit %d)", n, MaxString)
		}
	case v.IsList():
		if n := v.Len(); n > MaxItems {
			return limitErr("list of %d items (limit %d)", n, MaxItems)
		}
	}
	return nil
}

// argsErr refuses a numeric argument large enough to build a huge string
// or list ('x'|center(10**9), 'x'.zfill(10**9)).
func argsErr(params *exec.VarArgs) error {
	if params == nil {
		return nil
	}
	check := func(v *exec.Value) error {
		if v != nil && v.IsInteger() && v.Integer() > MaxItems {
			return limitErr("argument %d too large (limit %d)", v.Integer(), MaxItems)
		}
		return nil
	}
	for _, a := range params.Args {
		if err := check(a); err != nil {
			return err
		}
	}
	for _, a := range params.KwArgs {
		if err := check(a); err != nil {
			return err
		}
	}
	return nil
}

// sizing are the filters and str methods whose numeric arguments are the
// size of what they build.
var sizing = map[string]bool{"center": true, "indent": true, "wordwrap": true, "batch": true, "slice": true,
	"ljust": true, "rjust": true, "zfill": true, "expandtabs": true}

// boundFilters wraps every filter with the stop flag and the size limits.
func boundFilters(fs *exec.FilterSet) *exec.FilterSet {
	m, _ := hidden(fs, "filters").(map[string]exec.FilterFunction)
	out := map[string]exec.FilterFunction{}
	for name, f := range m {
		out[name] = func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
			if e != nil && e.Environment != nil {
				if err := budgetOf(e.Environment.Context).stopped(); err != nil {
					return exec.AsValue(err)
				}
			}
			if sizing[name] {
				if err := argsErr(params); err != nil {
					return exec.AsValue(err)
				}
			}
			if name == "join" && in != nil && in.IsList() {
				if err := joinErr(in, params); err != nil {
					return exec.AsValue(err)
				}
			}
			v := f(e, in, params)
			if err := sizeErr(v); err != nil {
				return exec.AsValue(err)
			}
			return v
		}
	}
	return exec.NewFilterSet(out)
}

// joinErr foresees the size of a join before building it.
func joinErr(list *exec.Value, params *exec.VarArgs) error {
	sep := 0
	if params != nil && len(params.Args) > 0 {
		sep = len(params.Args[0].String())
	}
	total := 0
	for i := 0; i < list.Len(); i++ {
		total += len(list.Index(i).String()) + sep
		if total > MaxString {
			return limitErr("join of more than %d bytes", MaxString)
		}
	}
	return nil
}

// boundMethods wraps the str and list methods the same way.
func boundMethods(m exec.Methods) exec.Methods {
	str, _ := hidden(m.Str, "methods").(map[string]exec.Method[string])
	s := map[string]exec.Method[string]{}
	for name, f := range str {
		s[name] = func(self string, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if sizing[name] {
				if err := argsErr(args); err != nil {
					return nil, err
				}
			}
			switch name {
			case "join":
				if args != nil && len(args.Args) == 1 && args.Args[0].IsList() {
					if err := joinErr(args.Args[0], exec.NewVarArgs()); err != nil {
						return nil, err
					}
					if n := args.Args[0].Len() * len(self); n > MaxString {
						return nil, limitErr("join of more than %d bytes", MaxString)
					}
				}
			case "replace":
				if args != nil && len(args.Args) >= 2 {
					old, nw := args.Args[0].String(), args.Args[1].String()
					if grow := len(nw) - len(old); grow > 0 && replaceTooLarge(self, old, grow) {
						return nil, limitErr("replace would build more than %d bytes", MaxString)
					}
				}
			}
			v, err := f(self, sv, args)
			if err == nil {
				err = sizeErr(exec.AsValue(v))
			}
			return v, err
		}
	}
	m.Str = exec.NewMethodSet(s)
	return m
}

// replaceTooLarge tells whether replacing every old in s, each growing
// the string by grow bytes, passes MaxString (counting stops there).
func replaceTooLarge(s, old string, grow int) bool {
	if old == "" { // Python inserts new between every character
		return len(s)+(len(s)+1)*grow > MaxString
	}
	size := len(s)
	for rest := s; ; {
		i := strings.Index(rest, old)
		if i < 0 {
			return false
		}
		if size += grow; size > MaxString {
			return true
		}
		rest = rest[i+len(old):]
	}
}

// nestingErr refuses a template nested deeper than MaxDepth, before gonja's
// recursive parser sees it (20,000 parentheses took 465 MB): blocks
// ({% if %} … {% endif %}) and brackets inside tags and expressions.
func nestingErr(src []byte) error {
	blocks, depth := 0, 0
	inTag := byte(0) // '{' for {{ }}, '%' for {% %}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inTag == 0 {
			if c == '{' && i+1 < len(src) && (src[i+1] == '{' || src[i+1] == '%') {
				inTag = src[i+1]
				i++
				if inTag == '%' {
					j := i + 1
					for j < len(src) && (src[j] == ' ' || src[j] == '-' || src[j] == '+' || src[j] == '\t' || src[j] == '\n') {
						j++
					}
					k := j
					for k < len(src) && (src[k] >= 'a' && src[k] <= 'z') {
						k++
					}
					switch w := string(src[j:k]); {
					case w == "if" || w == "for" || w == "macro" || w == "call" || w == "filter" || w == "with" || w == "block" || w == "autoescape":
						blocks++
					case len(w) > 3 && w[:3] == "end":
						blocks--
					}
					if blocks > MaxDepth {
						return limitErr("RecursionError: blocks nested deeper than %d", MaxDepth)
					}
				}
			}
			continue
		}
		switch c {
		case '(', '[', '{':
			depth++
			if depth > MaxDepth {
				return limitErr("RecursionError: brackets nested deeper than %d", MaxDepth)
			}
		case ')', ']':
			depth--
		case '}':
			if inTag == '{' && i+1 < len(src) && src[i+1] == '}' && depth <= 0 {
				inTag, depth = 0, 0
				i++
			} else {
				depth--
			}
		case '%':
			if inTag == '%' && i+1 < len(src) && src[i+1] == '}' {
				inTag, depth = 0, 0
				i++
			}
		}
	}
	return nil
}
