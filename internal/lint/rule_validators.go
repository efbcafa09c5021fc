package lint

import (
	"fmt"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/py"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
)

// Rally's scenario validators that need no cloud: a new one is a function
// here and a line in validators.
var (
	ruleScenarioValidator = &Rule{
		ID: "scenario-validator", Severity: Error,
		Description: "A validator of the scenario that Rally runs before anything starts fails: number, enum, restricted_parameters, required_params, required_param_or_context, required_context_config, required_contexts.",
		Example:     v2("    scenario:\n      Authenticate.validate_cinder: {repetitions: 0}\n"),
		Check:       workloads(checkValidators),
	}
	ruleFileExists = &Rule{
		ID: "file-exists", Severity: Error,
		Description: "A file Rally opens while validating is missing or unusable (validators file_exists, valid_command, workbook_contains_workflow). ~/.rally/extra/… is the repository's rally-jobs/extra/…, a relative path is relative to the repository root, as at the gate.",
		Example:     v2("    scenario:\n      MistralWorkbooks.create_workbook: {definition: rally-jobs/extra/missing.yaml}\n"),
		Check:       workloads(checkValidators),
	}
)

// validator is one Rally validator: the rule its failures are findings of,
// and its check, which returns what fails (nothing when the workload
// passes).
type validator struct {
	rule  string // ID of the reporting rule
	named bool   // the message ends with the validator's name
	check func(f *file, v catalog.Validator, w *task.Workload) []string
}

// one adapts a validator with at most one failure.
func one(check func(f *file, v catalog.Validator, w *task.Workload) string) func(*file, catalog.Validator, *task.Workload) []string {
	return func(f *file, v catalog.Validator, w *task.Workload) []string {
		if msg := check(f, v, w); msg != "" {
			return []string{msg}
		}
		return nil
	}
}

// validators are Rally's validators lint runs, by name.
var validators = map[string]validator{
	"number":                     {rule: "scenario-validator", named: true, check: one(validateNumber)},
	"enum":                       {rule: "scenario-validator", named: true, check: one(validateEnum)},
	"restricted_parameters":      {rule: "scenario-validator", named: true, check: one(validateRestrictedParameters)},
	"required_params":            {rule: "scenario-validator", named: true, check: one(validateRequiredParams)},
	"required_param_or_context":  {rule: "scenario-validator", named: true, check: one(validateRequiredParamOrContext)},
	"required_context_config":    {rule: "scenario-validator", named: true, check: one(validateRequiredContextConfig)},
	"required_contexts":          {rule: "scenario-validator", named: true, check: one(validateRequiredContexts)},
	"file_exists":                {rule: "file-exists", check: one(validateFileExists)},
	"workbook_contains_workflow": {rule: "file-exists", check: one(validateWorkbookContainsWorkflow)},
	"valid_command":              {rule: "file-exists", check: validateValidCommand},
}

// checkValidators runs the scenario's validators that report under r, in
// the scenario's order.
func checkValidators(f *file, r *Rule, w *task.Workload) {
	sc, ok := f.cat.Scenario(w.Scenario.Name)
	if !ok {
		return
	}
	for _, v := range sc.Validators {
		val, ok := validators[v.Name]
		if !ok || val.rule != r.ID {
			continue
		}
		for _, msg := range val.check(f, v, w) {
			if val.named {
				f.report(w.Scenario.NamePos, r, "scenario %s: %s (%s)", sc.Name, msg, v.Name)
			} else {
				f.report(w.Scenario.NamePos, r, "scenario %s: %s", sc.Name, msg)
			}
		}
	}
}

// argStr is a validator's string argument ("" when absent).
func argStr(v catalog.Validator, k string) string {
	s, _ := v.Args.Get(k).(string)
	return s
}

func argValue(w *task.Workload, name string) (any, bool) {
	_, v := task.Get(w.Scenario.Config, name)
	if v == nil {
		return nil, false
	}
	return pyyaml.Value(v), true
}

func validateNumber(_ *file, v catalog.Validator, w *task.Workload) string {
	// NumberValidator: float(value) (int(value) with integer_only,
	// which refuses a float first); whatever raises is a failure.
	name := argStr(v, "param_name")
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
	return ""
}

func validateEnum(_ *file, v catalog.Validator, w *task.Workload) string {
	name := argStr(v, "param_name")
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
	return ""
}

func validateRestrictedParameters(_ *file, v catalog.Validator, w *task.Workload) string {
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
	if sub := argStr(v, "subdict"); sub != "" {
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
	return ""
}

func validateRequiredParams(_ *file, v catalog.Validator, w *task.Workload) string {
	// RequiredParameterValidator: each name (or one of a group) is in
	// args (or args[subdict], which may be anything `in` works on).
	var args any = map[string]any{}
	if w.Scenario.Config != nil {
		args = pyyaml.Value(w.Scenario.Config)
	}
	if sub := argStr(v, "subdict"); sub != "" {
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
	return ""
}

func validateRequiredParamOrContext(_ *file, v catalog.Validator, w *task.Workload) string {
	ctx := argStr(v, "ctx_name")
	for _, c := range w.Contexts {
		if c.Name == ctx {
			return ""
		}
	}
	if k, _ := task.Get(w.Scenario.Config, argStr(v, "param_name")); k != nil {
		return ""
	}
	return fmt.Sprintf("you should specify either scenario argument %s or use context %s", argStr(v, "param_name"), ctx)
}

func validateRequiredContextConfig(_ *file, v catalog.Validator, w *task.Workload) string {
	// The context, when given, must be a dict holding each required
	// key with an equal value.
	name := argStr(v, "context_name")
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
	return ""
}

func validateRequiredContexts(_ *file, v catalog.Validator, w *task.Workload) string {
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
	return ""
}
