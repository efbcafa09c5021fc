package lint

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/pyschema"
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
		// NumberValidator: float(value) (int(value) with integer_only,
		// which refuses a float first); whatever raises is a failure.
		name := str("param_name")
		val, _ := argValue(w, name)
		intOnly, _ := v.Args.Get("integer_only").(bool)
		if _, isFloat := val.(float64); intOnly && isFloat {
			return fmt.Sprintf("%s is %v which hasn't int type", name, pyRepr(val))
		}
		if nullable, _ := v.Args.Get("nullable").(bool); nullable && val == nil {
			return ""
		}
		n, ok := pyNumber(val, intOnly)
		if !ok {
			typ := "float"
			if intOnly {
				typ = "int"
			}
			return fmt.Sprintf("%s is %v which is not a valid %s", name, pyRepr(val), typ)
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
				if pyschema.Equal(a, val) || (ci && aok && vok && strings.EqualFold(as, vs)) {
					return ""
				}
			}
			return fmt.Sprintf("%s is %s which is not a valid value from %s", name, pyRepr(val), pyschema.Repr(vals))
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
			if val, _ := argValue(w, sub); truthy(val) {
				src = val
			}
		} else if w.Scenario.Config != nil {
			src = task.Value(w.Scenario.Config)
		}
		var bad []string
		for _, n := range names {
			in, err := pyIn(n, src)
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
			args = task.Value(w.Scenario.Config)
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
				in, err := pyIn(x, args)
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
					in, err := pyIn(cs, args)
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
			got, _ := task.Value(c.Config).(map[string]any)
			for _, m := range want {
				if x, ok := got[m.Key]; !ok || !pyschema.Equal(x, catalog.Plain(m.Value)) {
					return fmt.Sprintf("the '%s' context expects '%s'", name, pyRepr(want.Map()))
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

// pyNumber is float(v), or int(v) with intOnly, as Python converts: bools
// and numeric strings too; false where Python raises.
func pyNumber(v any, intOnly bool) (float64, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int64:
		return float64(x), true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, intOnly || !math.IsInf(f, 0) // float() of a huge int overflows
	case float64:
		return x, true
	case string:
		return pyParseNumber(x, intOnly)
	}
	return 0, false
}

// pyParseNumber is float(s) / int(s) of a string: surrounding white space,
// a sign, "_" between digits; float also takes inf, infinity and nan in
// any case; int only decimal digits.
func pyParseNumber(s string, intOnly bool) (float64, bool) {
	s = strings.TrimSpace(s)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" {
		return 0, false
	}
	if !intOnly {
		switch strings.ToLower(body) {
		case "inf", "infinity":
			if s[0] == '-' {
				return math.Inf(-1), true
			}
			return math.Inf(1), true
		case "nan":
			return math.NaN(), true
		}
	}
	prev := byte(0)
	for i := 0; i < len(body); i++ {
		c := body[i]
		isDigit := c >= '0' && c <= '9'
		switch {
		case isDigit:
		case c == '_':
			if !(prev >= '0' && prev <= '9') || i+1 >= len(body) || body[i+1] < '0' || body[i+1] > '9' {
				return 0, false
			}
		case intOnly:
			return 0, false
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
		default:
			return 0, false
		}
		prev = c
	}
	clean := strings.ReplaceAll(s, "_", "")
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// pyIn is Python's `needle in container` for decoded values: a key of a
// dict, an item of a list, a substring of a string; the error is the
// TypeError Python raises for anything else.
func pyIn(needle string, container any) (bool, error) {
	switch c := container.(type) {
	case map[string]any:
		_, ok := c[needle]
		return ok, nil
	case []any:
		for _, x := range c {
			if pyschema.Equal(x, needle) {
				return true, nil
			}
		}
		return false, nil
	case string:
		return strings.Contains(c, needle), nil
	}
	return false, fmt.Errorf("argument of type '%s' is not iterable", pyType(container))
}

// pyType is the Python type name of a decoded value.
func pyType(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	case task.Timestamp:
		return "datetime.date"
	}
	return fmt.Sprintf("%T", v)
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

// pyRepr is Python's str() of a decoded value, as Rally's messages
// format values with %s: a string as is, anything else by its repr.
func pyRepr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case task.Timestamp:
		return string(x)
	case *big.Int:
		return x.String()
	}
	return pyschema.Repr(v)
}
