package task

import (
	"bytes"
	"fmt"

	"github.com/nikolalohinski/gonja/v2/builtins"
	cs "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// gonja binds caller() through the renderer that *defined* the macro, so a
// {% call %} of a macro imported with {% from … import %} in another
// template (rally-openstack's tasks/openstack/task.yaml does this) never
// sees its caller. This call block instead publishes caller on the
// render's base context, which every scope falls back to, for the time of
// the call.

const baseKey = "__rallyforge_base__"

type callBlock struct {
	*cs.CallControlStructure
}

func (c *callBlock) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	v, _ := r.Environment.Context.Get(baseKey)
	base, ok := v.(*exec.Context)
	if !ok {
		return fmt.Errorf("call block outside a rallyforge render")
	}
	callerFn := func(va *exec.VarArgs) *exec.Value {
		buf := new(bytes.Buffer)
		sub := r.Inherit()
		sub.Output = buf
		if err := sub.ExecuteWrapper(c.Body); err != nil {
			return exec.AsValue(err)
		}
		return exec.AsSafeValue(buf.String())
	}
	prev, had := base.Get("caller")
	base.Set("caller", callerFn)
	result := r.Eval(c.Call)
	if had {
		base.Set("caller", prev)
	} else {
		base.Set("caller", nil) // nil is "not defined" to Jinja tests
	}
	if result.IsError() {
		return fmt.Errorf("unable to execute {%% call %%}: %v", result)
	}
	_, err := r.Output.Write([]byte(result.String()))
	return err
}

func callParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	orig, _ := builtins.ControlStructures.Get("call")
	n, err := orig(p, args)
	if err != nil {
		return nil, err
	}
	c, ok := n.(*cs.CallControlStructure)
	if !ok {
		return n, nil
	}
	return &callBlock{c}, nil
}

func (c *callBlock) Position() *tokens.Token { return c.Location }

// controlStructures is gonja's set with the call block replaced; a fresh
// set so the library's globals stay untouched.
func controlStructures() *exec.ControlStructureSet {
	m := map[string]parser.ControlStructureParser{}
	for _, name := range []string{"autoescape", "block", "extends", "filter", "for", "from", "if", "import", "include",
		"macro", "raw", "set", "with", "do", "break", "continue", "trans"} {
		if f, ok := builtins.ControlStructures.Get(name); ok {
			m[name] = f
		}
	}
	m["call"] = callParser
	m["from"] = fromParser
	return exec.NewControlStructureSet(m)
}

// fromImport makes {% from "x" import m %} import without context, as
// Jinja2 does by default: the imported macros see only the globals, not the
// importing template's variables (rally-openstack's
// tasks/openstack/macro/macro.yaml depends on it: service_list is
// undefined inside its macros). gonja binds them to the importer.
type fromImport struct {
	*cs.FromImportControlStructure
}

func (f *fromImport) Execute(r *exec.Renderer, tag *nodes.ControlStructureBlock) error {
	if f.WithContext {
		return f.FromImportControlStructure.Execute(r, tag)
	}
	v, _ := r.Environment.Context.Get(baseKey)
	base, ok := v.(*exec.Context)
	if !ok {
		return fmt.Errorf("import outside a rallyforge render")
	}
	env := &exec.Environment{
		Context:           base.Inherit(),
		Filters:           r.Environment.Filters,
		Tests:             r.Environment.Tests,
		ControlStructures: r.Environment.ControlStructures,
		Methods:           r.Environment.Methods,
	}
	clean := exec.NewRenderer(env, r.Output, r.Config, r.Loader, r.Template)
	if err := f.FromImportControlStructure.Execute(clean, tag); err != nil {
		return err
	}
	for alias := range f.As {
		m, _ := env.Context.Get(alias)
		r.Environment.Context.Set(alias, m)
	}
	return nil
}

func fromParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	orig, _ := builtins.ControlStructures.Get("from")
	n, err := orig(p, args)
	if err != nil {
		return nil, err
	}
	if c, ok := n.(*cs.FromImportControlStructure); ok {
		return &fromImport{c}, nil
	}
	return n, nil
}
