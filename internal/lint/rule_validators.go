package lint

import (
	"fmt"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/py"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
)

// ruleValidators runs the scenario validators Rally checks at syntax level
// that need no cloud: number, enum, restricted_parameters,
// required_contexts (rule "scenario-validator").
func ruleValidators(f *file) bool {
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			sc, ok := f.cat.Scenario(w.Scenario.Name)
			if !ok {
				continue
			}
			for _, v := range sc.Validators {
				if msg := runValidator(v, w); msg != "" {
					f.report(w.Scenario.NamePos, Error, "scenario-validator", "scenario %s: %s (%s)", sc.Name, msg, v.Name)
				}
			}
		}
	}
	return true
}

func argValue(w *task.Workload, name string) (any, bool) {
	_, v := task.Get(w.Scenario.Config, name)
	if v == nil {
		return nil, false
	}
	return pyyaml.Value(v), true
}

func runValidator(v catalog.Validator, w *task.Workload) string {
	str := func(k string) string { s, _ := v.Args.Get(k).(string); return s }
	switch v.Name {
	case "number":
		// NumberValidator: float(value) (int(value) with integer_only,
		// which refuses a float first); whatever raises is a failure.
		name := str("param_name")
		val, _ := argValue(w, name)
		intOnly, _ := v.Args.Get("integer_only").(bool)
		if _, isFloat := val.(float64); intOnly && isFloat {
			return fmt.Sprintf("%s is %v which hasn't int type", name, py.Str(val))
		}
		if nullable, _ := v.Args.Get("nullable").(bool); nullable && val == nil {
			return ""
		}
		n, ok := py.Number(val, intOnly)
		if !ok {
			typ := "float"
			if intOnly {
				typ = "int"
			}
			return fmt.Sprintf("%s is %v which is not a valid %s", name, py.Str(val), typ)
		}
		if mn, ok := v.Args.Get("minval").(float64); ok && n < mn {
			return fmt.Sprintf("%s is %v which is less than the minimum (%v)", name, n, mn)
		}
		if mx, ok := v.Args.Get("maxval").(float64); ok && n > mx {
			return fmt.Sprintf("%s is %v which is greater than the maximum (%v)", name, n, mx)
		}
	case "enum":
		name := str("param_name")
		val, _ := argValue(w, name)
		if py.Truthy(val) {
			ci, _ := v.Args.Get("case_insensitive").(bool)
			vals, _ := v.Args.Get("values").([]any)
			for _, a := range vals {
				as, aok := a.(string)
				vs, vok := val.(string)
				if py.Equal(a, val) || (ci && aok && vok && strings.EqualFold(as, vs)) {
					return ""
				}
			}
			return fmt.Sprintf("%s is %s which is not a valid value from %s", name, py.Str(val), py.Repr(vals))
		}
		if missed, _ := v.Args.Get("missed").(bool); !missed {
			return name + " parameter is not defined in the task config file"
		}
	case "restricted_parameters":
		var names []string
		switch p := v.Args.Get("param_names").(type) {
		case string:
			names = []string{p}
		case []any:
			for _, x := range p {
				if s, ok := x.(string); ok {
					names = append(names, s)
				}
			}
		}
		// source = args.get(subdict) or {}; `name in source` is a key, an
		// item or a substring test, and a TypeError for a number.
		var src any = map[string]any{}
		where := "args"
		if sub := str("subdict"); sub != "" {
			where = sub
			if val, _ := argValue(w, sub); py.Truthy(val) {
				src = val
			}
		} else if w.Scenario.Config != nil {
			src = pyyaml.Value(w.Scenario.Config)
		}
		var bad []string
		for _, n := range names {
			in, err := py.In(n, src)
			if err != nil {
				return fmt.Sprintf("%s in '%s': %v", n, where, err)
			}
			if in {
				bad = append(bad, n)
			}
		}
		if len(bad) > 0 {
			return fmt.Sprintf("you can't specify parameters '%s' in '%s'", strings.Join(bad, ", "), where)
		}
	case "required_params":
		// RequiredParameterValidator: each name (or one of a group) is in
		// args (or args[subdict], which may be anything `in` works on).
		var args any = map[string]any{}
		if w.Scenario.Config != nil {
			args = pyyaml.Value(w.Scenario.Config)
		}
		if sub := str("subdict"); sub != "" {
			a, _ := args.(map[string]any)
			if x, ok := a[sub]; ok {
				args = x
			} else {
				args = map[string]any{}
			}
		}
		params, _ := v.Args.Get("params").([]any)
		var missing []string
		for _, p := range params {
			switch x := p.(type) {
			case string:
				in, err := py.In(x, args)
				if err != nil {
					return err.Error()
				}
				if !in {
					missing = append(missing, "'"+x+"'")
				}
			case []any:
				found := false
				var alts []string
				for _, c := range x {
					cs, _ := c.(string)
					alts = append(alts, cs)
					in, err := py.In(cs, args)
					if err != nil {
						return err.Error()
					}
					if in {
						found = true
						break
					}
				}
				if !found {
					missing = append(missing, "'"+strings.Join(alts, "'/'")+"' (at least one parameter should be specified)")
				}
			}
		}
		if len(missing) > 0 {
			return strings.Join(missing, ", ") + " parameter(s) are not defined in the input task file"
		}
	case "required_param_or_context":
		ctx := str("ctx_name")
		for _, c := range w.Contexts {
			if c.Name == ctx {
				return ""
			}
		}
		if k, _ := task.Get(w.Scenario.Config, str("param_name")); k != nil {
			return ""
		}
		return fmt.Sprintf("you should specify either scenario argument %s or use context %s", str("param_name"), ctx)
	case "required_context_config":
		// The context, when given, must be a dict holding each required
		// key with an equal value.
		name := str("context_name")
		want, _ := v.Args.Get("context_config").(catalog.Object)
		for _, c := range w.Contexts {
			if c.Name != name {
				continue
			}
			got, _ := pyyaml.Value(c.Config).(map[string]any)
			for _, m := range want {
				if x, ok := got[m.Key]; !ok || !py.Equal(x, catalog.Plain(m.Value)) {
					return fmt.Sprintf("the '%s' context expects '%s'", name, py.Str(want.Map()))
				}
			}
		}
	case "required_contexts":
		have := map[string]bool{}
		for _, c := range w.Contexts {
			have[c.Name] = true
		}
		var need []any
		switch c := v.Args.Get("contexts").(type) {
		case string:
			need = []any{c}
		case []any:
			need = c
		}
		var missing []string
		for _, n := range need {
			switch x := n.(type) {
			case string:
				if !have[x] {
					missing = append(missing, x)
				}
			case []any: // a tuple: at least one of
				any1 := false
				var alts []string
				for _, a := range x {
					s, _ := a.(string)
					alts = append(alts, s)
					any1 = any1 || have[s]
				}
				if !any1 {
					missing = append(missing, "'"+strings.Join(alts, " or ")+"'")
				}
			}
		}
		if len(missing) > 0 {
			return "the following context(s) are required but missing from the input task file: " + strings.Join(missing, ", ")
		}
	}
	return ""
}
