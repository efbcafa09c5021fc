package lint

import (
	"fmt"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
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
	return task.Value(v), true
}

func runValidator(v catalog.Validator, w *task.Workload) string {
	str := func(k string) string { s, _ := v.Args.Get(k).(string); return s }
	switch v.Name {
	case "number":
		name := str("param_name")
		val, _ := argValue(w, name)
		if nullable, _ := v.Args.Get("nullable").(bool); nullable && val == nil {
			return ""
		}
		intOnly, _ := v.Args.Get("integer_only").(bool)
		var n float64
		switch x := val.(type) {
		case int64:
			n = float64(x)
		case float64:
			if intOnly {
				return fmt.Sprintf("%s is %v which hasn't int type", name, x)
			}
			n = x
		default:
			return fmt.Sprintf("%s is %v which is not a valid number", name, pyRepr(val))
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
		if truthy(val) {
			ci, _ := v.Args.Get("case_insensitive").(bool)
			vals, _ := v.Args.Get("values").([]any)
			for _, a := range vals {
				as, aok := a.(string)
				vs, vok := val.(string)
				if a == val || (ci && aok && vok && strings.EqualFold(as, vs)) {
					return ""
				}
			}
			return fmt.Sprintf("%s is %v which is not a valid value from %v", name, val, vals)
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
		src := w.Scenario.Config
		where := "args"
		if sub := str("subdict"); sub != "" {
			_, src = task.Get(src, sub)
			where = sub
		}
		var bad []string
		for _, n := range names {
			if k, _ := task.Get(src, n); k != nil {
				bad = append(bad, n)
			}
		}
		if len(bad) > 0 {
			return fmt.Sprintf("you can't specify parameters '%s' in '%s'", strings.Join(bad, ", "), where)
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

func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func pyRepr(v any) string {
	if v == nil {
		return "None"
	}
	return fmt.Sprint(v)
}
