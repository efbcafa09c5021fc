package jinja

import (
	"reflect"
	"sort"
	"unsafe"

	cs "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Rally decides which task arguments are missing before it renders, from
// the template's syntax alone: jinja2.meta.find_undeclared_variables of
// the task file (not of what it includes), minus the given arguments,
// Python's builtins and the environment's globals, minus what
// is_really_missing forgives. A name in a branch that never runs is still
// missing; a name only an included file uses never is. undeclared ports
// Jinja2's symbol tracking (jinja2/idtracking.py) onto gonja's syntax tree.

// scope is one of Jinja2's frames: refs are the names it knows, resolve
// the ones it must look up in the render context (the undeclared ones).
type scope struct {
	parent  *scope
	refs    map[string]bool
	resolve map[string]bool
	stores  map[string]bool
}

func newScope(parent *scope) *scope {
	return &scope{parent: parent, refs: map[string]bool{}, resolve: map[string]bool{}, stores: map[string]bool{}}
}

func (s *scope) findRef(name string) bool {
	for f := s; f != nil; f = f.parent {
		if f.refs[name] {
			return true
		}
	}
	return false
}

func (s *scope) load(name string) {
	if !s.findRef(name) {
		s.refs[name] = true
		s.resolve[name] = true
	}
}

func (s *scope) store(name string) {
	s.stores[name] = true
	s.refs[name] = true
}

func (s *scope) param(name string) {
	s.stores[name] = true
	s.refs[name] = true
	delete(s.resolve, name)
}

func (s *scope) copy() *scope {
	c := newScope(s.parent)
	for k := range s.refs {
		c.refs[k] = true
	}
	for k := range s.resolve {
		c.resolve[k] = true
	}
	for k := range s.stores {
		c.stores[k] = true
	}
	return c
}

// branchUpdate is Symbols.branch_update: a name some branches of an if
// set and others do not must be looked up in the context.
func (s *scope) branchUpdate(branches []*scope) {
	count := map[string]int{}
	for _, b := range branches {
		for t := range b.stores {
			if !s.stores[t] {
				count[t]++
			}
		}
	}
	for _, b := range branches {
		for k := range b.refs {
			s.refs[k] = true
		}
		for k := range b.resolve {
			s.resolve[k] = true
		}
		for k := range b.stores {
			s.stores[k] = true
		}
	}
	for name, n := range count {
		if n == len(branches) {
			continue
		}
		if s.parent != nil && s.parent.findRef(name) {
			continue // an alias of the outer name
		}
		s.resolve[name] = true
	}
}

type symbolTracker struct {
	frames []*scope
	// inner frames are analysed after their parent is complete, as
	// Jinja2's code generator does (a for body sees a set that comes
	// after the loop).
	pending []func()
}

// undeclared is jinja2.meta.find_undeclared_variables of a parsed
// template, sorted.
func undeclared(root *nodes.Template) []string {
	t := &symbolTracker{}
	top := t.frame(nil)
	t.body(top, root.Nodes)
	for len(t.pending) > 0 {
		f := t.pending[0]
		t.pending = t.pending[1:]
		f()
	}
	set := map[string]bool{}
	for _, f := range t.frames {
		for k := range f.resolve {
			set[k] = true
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (t *symbolTracker) frame(parent *scope) *scope {
	s := newScope(parent)
	t.frames = append(t.frames, s)
	return s
}

func (t *symbolTracker) later(f func()) { t.pending = append(t.pending, f) }

func (t *symbolTracker) body(s *scope, ns []nodes.Node) {
	for _, n := range ns {
		t.node(s, n)
	}
}

func (t *symbolTracker) wrapper(s *scope, w *nodes.Wrapper) {
	if w != nil {
		t.body(s, w.Nodes)
	}
}

func (t *symbolTracker) node(s *scope, n nodes.Node) {
	switch n := n.(type) {
	case *nodes.Output:
		t.expr(s, n.Condition)
		t.expr(s, n.Expression)
		t.expr(s, n.Alternative)
	case *nodes.ControlStructureBlock:
		t.control(s, n.ControlStructure)
	case *nodes.Wrapper:
		t.wrapper(s, n)
	}
}

func (t *symbolTracker) control(s *scope, c nodes.ControlStructure) {
	// The bounded versions (limits.go) are gonja's nodes underneath.
	switch b := c.(type) {
	case *boundedFor:
		c = b.ForControlStructure
	case *boundedMacro:
		c = b.MacroControlStructure
	case *boundedImport:
		c = b.ImportControlStructure
	}
	switch c := c.(type) {
	case *cs.IfControlStructure:
		t.ifChain(s, c.Conditions, c.Wrappers)
	case *cs.ForControlStructure:
		t.expr(s, c.ObjectEvaluator)
		targets := []string{c.Key}
		if c.Value != "" {
			targets = append(targets, c.Value)
		}
		t.later(func() {
			b := t.frame(s)
			for _, n := range targets {
				b.param(n)
			}
			b.param("loop")
			t.wrapper(b, c.BodyWrapper)
		})
		if c.EmptyWrapper != nil {
			t.later(func() { t.wrapper(t.frame(s), c.EmptyWrapper) })
		}
		if c.IfCondition != nil {
			t.later(func() {
				f := t.frame(s)
				for _, n := range targets {
					f.param(n)
				}
				t.expr(f, c.IfCondition)
			})
		}
	case *cs.SetControlStructure:
		target, _ := hidden(c, "target").(nodes.Expression)
		if body, _ := hidden(c, "body").(*nodes.Wrapper); body != nil {
			t.later(func() { t.wrapper(t.frame(s), body) })
		} else {
			t.expr(s, hidden(c, "condition"))
			t.expr(s, hidden(c, "expression"))
			t.expr(s, hidden(c, "alternative"))
		}
		t.storeTarget(s, target)
	case *cs.MacroControlStructure:
		s.store(c.Name)
		t.macro(s, c.Macro)
	case *callBlock:
		t.expr(s, c.Call)
		t.later(func() {
			f := t.frame(s)
			for _, p := range []string{"caller", "varargs", "kwargs"} {
				f.param(p)
			}
			t.wrapper(f, c.Body)
		})
	case *cs.WithControlStructure:
		pairs, _ := hidden(c, "pairs").(map[string]nodes.Expression)
		for _, e := range pairs {
			t.expr(s, e)
		}
		w, _ := hidden(c, "wrapper").(*nodes.Wrapper)
		t.later(func() {
			f := t.frame(s)
			for k := range pairs {
				f.store(k)
			}
			t.wrapper(f, w)
		})
	case *cs.FilterControlStructure:
		chain, _ := hidden(c, "filterChain").([]*nodes.FilterCall)
		w, _ := hidden(c, "bodyWrapper").(*nodes.Wrapper)
		t.later(func() {
			f := t.frame(s)
			for _, fc := range chain {
				t.expr(f, fc)
			}
			t.wrapper(f, w)
		})
	case *cs.ImportControlStructure:
		t.expr(s, hidden(c, "filenameExpression"))
		if as, ok := hidden(c, "as").(string); ok {
			s.store(as)
		}
	case *fromImport:
		t.expr(s, c.FilenameExpression)
		for alias := range c.As {
			s.store(alias)
		}
	case *cs.IncludeControlStructure:
		t.expr(s, hidden(c, "filenameExpression"))
	case *include:
		t.expr(s, c.filename)
	case *cs.DoControlStructure:
		t.expr(s, c.Expression)
	case *cs.AutoescapeControlStructure:
		t.wrapper(s, c.Wrapper)
	}
}

// ifChain is visit_If: each of the body, the elif chain (one branch, in
// which every elif is an if of its own) and the else is a copy of the
// scope; branchUpdate merges them.
func (t *symbolTracker) ifChain(s *scope, conds []nodes.Expression, ws []*nodes.Wrapper) {
	if len(conds) == 0 {
		return
	}
	t.expr(s, conds[0])
	body := s.copy()
	t.wrapper(body, ws[0])
	elifs := s.copy()
	if len(conds) > 1 {
		rest := ws[1:]
		if len(ws) > len(conds) {
			rest = ws[1:len(conds)]
		}
		for i, c := range conds[1:] {
			t.ifChain(elifs, []nodes.Expression{c}, rest[i:i+1])
		}
	}
	els := s.copy()
	if len(ws) > len(conds) {
		t.wrapper(els, ws[len(ws)-1])
	}
	s.branchUpdate([]*scope{body, elifs, els})
}

func (t *symbolTracker) macro(s *scope, m *nodes.Macro) {
	t.later(func() {
		f := t.frame(s)
		for _, kw := range m.Kwargs {
			if k, ok := kw.Key.(*nodes.String); ok {
				f.param(k.Val)
			}
		}
		for _, kw := range m.Kwargs {
			if _, isNone := kw.Value.(*nodes.None); !isNone {
				t.expr(f, kw.Value)
			}
		}
		for _, p := range []string{"caller", "varargs", "kwargs", m.VarArgsName, m.KwArgsName} {
			if p != "" {
				f.param(p)
			}
		}
		t.wrapper(f, m.Wrapper)
	})
}

func (t *symbolTracker) storeTarget(s *scope, target nodes.Expression) {
	switch n := target.(type) {
	case *nodes.Name:
		s.store(n.Name.Val)
	case *nodes.GetAttribute: // {% set ns.x = … %} loads ns
		t.expr(s, n.Node)
	default:
		t.expr(s, n)
	}
}

var (
	nameType  = reflect.TypeOf(&nodes.Name{})
	tokenType = reflect.TypeOf(&tokens.Token{})
)

// expr loads every name an expression reads; attribute names, filter and
// test names and keyword argument names are not variables.
func (t *symbolTracker) expr(s *scope, e any) {
	if e == nil {
		return
	}
	walkValue(reflect.ValueOf(e), func(n *nodes.Name) { s.load(n.Name.Val) })
}

func walkValue(v reflect.Value, f func(*nodes.Name)) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			walkValue(v.Elem(), f)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Type() == tokenType {
			return
		}
		if v.Type() == nameType {
			f((*nodes.Name)(v.UnsafePointer()))
			return
		}
		walkValue(v.Elem(), f)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			walkValue(v.Field(i), f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkValue(v.Index(i), f)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walkValue(v.MapIndex(k), f)
		}
	}
}

// hidden reads an unexported field of one of gonja's control structures
// (gonja keeps most of their parts private; the analysis only reads them).
func hidden(c any, field string) any {
	v := reflect.ValueOf(c)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	v = v.Elem()
	fv := v.FieldByName(field)
	if !fv.IsValid() {
		return nil
	}
	return reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem().Interface()
}
