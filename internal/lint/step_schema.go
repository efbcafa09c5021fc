package lint

import (
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/py/jsonschema"
	"github.com/rallyforge/rallyforge/internal/task"
	"go.yaml.in/yaml/v3"
)

// Rally's task format schemas, from rally/task/task_cfg.py (TaskConfig).
// V1 and the simple subtask carry consts.JSON_SCHEMA (draft 4); the complex
// subtask has no "$schema", so jsonschema.validate judges it by 2020-12.
const (
	hookV1 = `{"type":"object","properties":{"name":{"type":"string"},"description":{"type":"string"},"args":{},
 "trigger":{"type":"object","properties":{"name":{"type":"string"},"args":{}},"required":["name","args"],"additionalProperties":false}},
 "required":["name","args","trigger"],"additionalProperties":false}`
	schemaV1 = `{"$schema":"http://json-schema.org/draft-04/schema","type":"object","patternProperties":{".*":{"type":"array","items":{"type":"object","properties":{
 "args":{"type":"object"},"description":{"type":"string"},
 "runner":{"type":"object","properties":{"type":{"type":"string"}},"required":["type"]},
 "context":{"type":"object"},"sla":{"type":"object"},"hooks":{"type":"array","items":` + hookV1 + `}},
 "additionalProperties":false}}}}`
	single = `{"type":"object","minProperties":1,"maxProperties":1,"patternProperties":{".*":{"type":"object"}}}`
	hookV2 = `{"type":"object","properties":{"action":{"type":"object","minProperties":1,"maxProperties":1,"patternProperties":{".*":{}}},
 "trigger":` + single + `,"description":{"type":"string"}},"required":["action","trigger"],"additionalProperties":false}`
	tags            = `{"type":"array","items":{"type":"string","maxLength":255}}`
	subtaskV2Simple = `{"$schema":"http://json-schema.org/draft-04/schema","type":"object","properties":{"title":{"type":"string","maxLength":128},"group":{"type":"string"},
 "description":{"type":"string"},"tags":` + tags + `,"scenario":` + single + `,"runner":` + single + `,"sla":{"type":"object"},
 "hooks":{"type":"array","items":` + hookV2 + `},"contexts":{"type":"object"}},"additionalProperties":false,"required":["title","scenario"]}`
	subtaskV2Complex = `{"type":"object","properties":{"title":{"type":"string"},"group":{"type":"string"},"description":{"type":"string"},
 "tags":` + tags + `,"run_in_parallel":{"type":"boolean"},"workloads":{"type":"array","minItems":1,"items":{"type":"object","properties":{
 "scenario":` + single + `,"description":{"type":"string"},"runner":` + single + `,"sla":{"type":"object"},
 "hooks":{"type":"array","items":` + hookV2 + `},"contexts":{"type":"object"}},"additionalProperties":false,"required":["scenario"]}}},
 "additionalProperties":false,"required":["title","workloads"]}`
)

// Compiled on first use: start-up time counts for a linter run per file.
var (
	v1Schema      = sync.OnceValue(func() *jsonschema.Schema { return mustSchema(schemaV1) })
	v2SimpleSch   = sync.OnceValue(func() *jsonschema.Schema { return mustSchema(subtaskV2Simple) })
	v2ComplexSch  = sync.OnceValue(func() *jsonschema.Schema { return mustSchema(subtaskV2Complex) })
	v2TopRequired = []string{"subtasks", "title", "version"}
	v2TopAllowed  = map[string]bool{"title": true, "version": true, "description": true, "tags": true, "subtasks": true}
)

// parseTask is the second step: Rally's task schema (TaskConfig): version,
// required and allowed keys, single-key scenario/runner, titles and tags
// (finding "task-schema"), then the task model the rules read. Rally stops
// at the first invalid part; so does lint, but it reports every problem of
// that part. False: the rules cannot run.
func (f *file) parseTask() bool {
	bad := func(n *yaml.Node, format string, a ...any) bool {
		f.report(task.PosOf(n), ruleTaskSchema, format, a...)
		return false
	}
	root := f.doc
	if root.Kind != yaml.MappingNode {
		return bad(root, "Task config is invalid: It is not a dict")
	}
	switch v := task.Version(root); v {
	case "1":
		if v1Valid(root) {
			break
		}
		for _, p := range validate(v1Schema(), root, task.PosOf(root)) {
			f.report(p.pos, ruleTaskSchema, "%s", p.msg)
		}
		if len(f.out) > 0 {
			return false
		}
	case "2":
		var missed []string
		for _, k := range v2TopRequired {
			if kn, _ := task.Get(root, k); kn == nil {
				missed = append(missed, k)
			}
		}
		if len(missed) > 0 {
			return bad(root, "missing required top-level key(s): %s", strings.Join(missed, ", "))
		}
		var extra []string
		for _, k := range task.Keys(root) {
			if !v2TopAllowed[k.Value] {
				f.report(task.PosOf(k), ruleTaskSchema, "unexpected top-level key %q (allowed: title, version, description, tags, subtasks)", k.Value)
				extra = append(extra, k.Value)
			}
		}
		if len(extra) > 0 {
			return false
		}
		_, title := task.Get(root, "title")
		if title.Kind != yaml.ScalarNode || title.Tag != "!!str" {
			return bad(title, "title should be a string")
		}
		if len([]rune(title.Value)) > 255 {
			return bad(title, "title should not be longer than 254 characters; use description")
		}
		if _, tg := task.Get(root, "tags"); tg != nil {
			if tg.Kind != yaml.SequenceNode {
				return bad(tg, "tags should be a list of strings")
			}
			for _, t := range tg.Content {
				if t.Kind != yaml.ScalarNode || t.Tag != "!!str" {
					return bad(t, "tag should be a string")
				}
				if len([]rune(t.Value)) > 255 {
					return bad(t, "tag should not be longer than 254 characters")
				}
			}
		}
		_, subs := task.Get(root, "subtasks")
		if subs.Kind != yaml.SequenceNode {
			return bad(subs, "subtasks should be a list")
		}
		for i, s := range subs.Content {
			k, _ := task.Get(s, "workloads")
			if v2SubtaskValid(s, k != nil) {
				continue
			}
			sch := v2ComplexSch()
			if k == nil {
				sch = v2SimpleSch()
			}
			ps := validate(sch, s, task.PosOf(s))
			for _, p := range ps {
				f.report(p.pos, ruleTaskSchema, "subtask #%d: %s", i+1, p.msg)
			}
			if len(ps) > 0 {
				return false
			}
		}
	default:
		kn, _ := task.Get(root, "version")
		return bad(kn, "task format version %s is not supported (supported: 1, 2)", v)
	}
	t, err := task.Build(root)
	if err != nil {
		return bad(root, "%s", err.Error())
	}
	f.task = t
	return true
}
