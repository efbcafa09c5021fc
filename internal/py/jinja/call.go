package jinja

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
		if b := budgetOf(r.Environment.Context); b != nil {
			sub.Output = &limitedWriter{buf, b}
		}
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
	// Rally's jinja2.Environment loads no extension: do, break, continue
	// and trans are unknown tags there.
	for _, name := range []string{"autoescape", "block", "extends", "filter", "for", "from", "if", "import", "include",
		"macro", "raw", "set", "with"} {
		if f, ok := builtins.ControlStructures.Get(name); ok {
			m[name] = f
		}
	}
	m["call"] = callParser
	m["from"] = fromParser
	m["include"] = includeParser
	boundedParsers(m)
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

func (f *fromImport) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	target := r
	if !f.WithContext {
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
		target = exec.NewRenderer(env, r.Output, r.Config, r.Loader, r.Template)
	}
	name := r.Eval(f.FilenameExpression)
	if name.IsError() {
		return fmt.Errorf("unable to evaluate filename: %v", name)
	}
	if err := budgetOf(r.Environment.Context).countInclude(); err != nil {
		return err
	}
	filename, err := r.Loader.Resolve(name.String())
	if err != nil {
		return fmt.Errorf("failed to resolve filename: %s", err)
	}
	loader, err := r.Loader.Inherit(filename)
	if err != nil {
		return fmt.Errorf("failed to inherit loader from '%s': %s", filename, err)
	}
	tpl, err := exec.NewTemplate(filename, r.Config, loader, r.Environment)
	if err != nil {
		return fmt.Errorf("unable to load template '%s': %s", filename, err)
	}
	pythonize(tpl.Root())
	macros := tpl.Macros()
	for alias, name := range f.As {
		node, ok := macros[name]
		if !ok {
			return fmt.Errorf("ImportError: the template %q does not export the requested name %q", filename, name)
		}
		fn, err := exec.MacroNodeToFunc(node, target)
		if err != nil {
			return fmt.Errorf("unable to import macro '%s': %v", name, err)
		}
		r.Environment.Context.Set(alias, guard(budgetOf(r.Environment.Context), name, fn))
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

// include is gonja's include, parsed the same way, so that the included
// template goes through the same Python-semantics rewrite as the task and
// a list of names includes the first that exists, as Jinja2 does.
type include struct {
	location      *tokens.Token
	filename      nodes.Expression
	ignoreMissing bool
}

func (i *include) Position() *tokens.Token { return i.location }
func (i *include) String() string          { return fmt.Sprintf("include(%s)", i.filename) }

func (i *include) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	v := r.Eval(i.filename)
	if v.IsError() {
		return fmt.Errorf("unable to evaluate include filename: %v", v)
	}
	var names []string
	if v.IsList() {
		for k := 0; k < v.Len(); k++ {
			names = append(names, v.Index(k).String())
		}
	} else {
		names = []string{v.String()}
	}
	if err := budgetOf(r.Environment.Context).countInclude(); err != nil {
		return err
	}
	var lastErr error
	for _, n := range names {
		filename, err := r.Loader.Resolve(n)
		if err != nil {
			lastErr = err
			continue
		}
		loader, err := r.Loader.Inherit(filename)
		if err != nil {
			lastErr = err
			continue
		}
		tpl, err := exec.NewTemplate(filename, r.Config, loader, r.Environment)
		if err != nil {
			if _, statErr := loader.Read(filename); statErr != nil {
				lastErr = err
				continue
			}
			return fmt.Errorf("unable to load template '%s': %s", filename, err)
		}
		pythonize(tpl.Root())
		return exec.NewRenderer(r.Environment, r.Output, r.Config.Inherit(), loader, tpl).Execute()
	}
	if i.ignoreMissing {
		return nil
	}
	return fmt.Errorf("TemplateNotFound: %v (%v)", names, lastErr)
}

func includeParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	i := &include{location: p.Current()}
	e, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	i.filename = e
	if args.MatchName("ignore") != nil {
		if args.MatchName("missing") == nil {
			return nil, args.Error("Expected 'missing' after 'ignore'.", nil)
		}
		i.ignoreMissing = true
	}
	if tok := args.MatchName("with", "without"); tok != nil {
		if args.MatchName("context") == nil {
			return nil, args.Error("Expected 'context'.", nil)
		}
	}
	if !args.End() {
		return nil, args.Error("Malformed 'include'-tag args.", nil)
	}
	return i, nil
}
