package jinja

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
)

// syntaxError turns gonja's parse error into what Jinja2 (and so Rally)
// says, at the template line and column: Jinja2's reason where gonja's
// message has a Jinja2 counterpart, gonja's own reason otherwise — never
// the whole template, which gonja's message quotes flattened on one line.
func syntaxError(err error) *RenderError {
	var se *parser.SyntaxError
	if !errors.As(err, &se) {
		msg := err.Error()
		// "failed to parse template '<whole template>': reason"
		if i := strings.LastIndex(msg, "': "); strings.HasPrefix(msg, "failed to parse template '") && i > 0 {
			msg = msg[i+3:]
		}
		return &RenderError{Msg: "cannot render template: " + oneLine(msg)}
	}
	got := se.Raw
	reason := se.Message
	switch {
	case strings.HasSuffix(reason, "' expected here") && strings.HasPrefix(reason, "'}}'"):
		reason = fmt.Sprintf("expected token 'end of print statement', got '%s'", got)
	case strings.HasPrefix(reason, "Expected end of block"):
		reason = fmt.Sprintf("expected token 'end of statement block', got '%s'", got)
	case strings.HasPrefix(reason, "ControlStructure '"):
		name, _, _ := strings.Cut(strings.TrimPrefix(reason, "ControlStructure '"), "'")
		reason = fmt.Sprintf("Encountered unknown tag '%s'.", name)
	case strings.HasPrefix(reason, "Unexpected EOF, expected tag "):
		tags := strings.TrimSuffix(strings.TrimPrefix(reason, "Unexpected EOF, expected tag "), ".")
		var q []string
		for _, t := range strings.Split(tags, " or ") {
			q = append(q, "'"+t+"'")
		}
		reason = "Unexpected end of template. Jinja was looking for the following tags: " + strings.Join(q, " or ") + "."
	}
	return &RenderError{Msg: "cannot render template: " + reason, Line: se.Line, Col: se.Column}
}

// unknownFilter finds the first filter the template uses that Jinja2 does
// not have. Jinja2 refuses such a template when it compiles it, before any
// argument is looked at ("No filter named 'defualt'."); gonja would only
// fail where the filter runs, quoting its syntax tree.
func unknownFilter(root *nodes.Template, filters *exec.FilterSet) *RenderError {
	var bad *nodes.FilterCall
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		if bad != nil {
			return
		}
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Pointer:
			if v.IsNil() || v.Type() == tokenType || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			if v.Type() == filterCallType {
				fc := (*nodes.FilterCall)(v.UnsafePointer())
				if !filters.Exists(fc.Name) || strings.HasPrefix(fc.Name, internalPrefix) {
					bad = fc
					return
				}
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(root))
	if bad == nil {
		return nil
	}
	e := &RenderError{Msg: fmt.Sprintf("cannot render template: No filter named '%s'.", bad.Name), Filter: bad.Name}
	if bad.Token != nil {
		e.Line, e.Col = bad.Token.Line, bad.Token.Col
	}
	return e
}

// internalPrefix starts the names of the filters this package adds for
// Python semantics; templates cannot use them (Jinja2 has none such).
const internalPrefix = "__rallyforge"

var filterCallType = reflect.TypeOf(&nodes.FilterCall{})
