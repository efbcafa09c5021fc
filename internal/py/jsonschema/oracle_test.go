package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/py"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

const python = "/usr/bin/python3"

// requirePython fails (never skips) when Debian's python3 cannot import
// jsonschema: the differential test has no meaning without its oracle.
func requirePython(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", "import jsonschema").CombinedOutput()
	if err != nil {
		t.Fatalf("%s cannot import jsonschema (%v: %s); install it with: apt-get install -y python3-jsonschema (or bash scripts/install-deps.sh)", python, err, bytes.TrimSpace(out))
	}
}

type diffSchema struct {
	name    string
	raw     json.RawMessage
	s       *Schema
	err     error // Compile's
	refuse  string
	catalog bool
}

type diffCase struct {
	schema   int
	instance string // JSON text, ints and floats as Python reads them
	origin   string
}

type pyErr struct {
	P []string `json:"p"`
	K *string  `json:"k"`
	M string   `json:"m"`
	C []pyErr  `json:"c"`
}

type pyResult struct {
	Errors    []pyErr `json:"errors"`
	Exception string  `json:"exception"`
}

type pySchemaResult struct {
	Draft         string  `json:"draft"`
	Exception     string  `json:"exception"`
	Meta          []pyErr `json:"meta"`
	MetaException string  `json:"meta_exception"`
	SchemaError   *pyErr  `json:"schema_error"`
}

type pyResults struct {
	Schemas []pySchemaResult `json:"schemas"`
	Cases   []pyResult       `json:"cases"`
}

type caseSet struct {
	schemas []diffSchema
	cases   []diffCase
	seen    map[string]bool
}

// addSchema compiles a schema; refuse is the refusal expected where
// Python accepts it (Compile refuses what Python would crash on or what
// this package does not emulate), "" for none.
func (cs *caseSet) addSchema(name string, raw []byte, refuse string) int {
	s, err := Compile(raw)
	cs.schemas = append(cs.schemas, diffSchema{name: name, raw: raw, s: s, err: err, refuse: refuse})
	return len(cs.schemas) - 1
}

func (cs *caseSet) add(schema int, v any, origin string) {
	if !jsonable(v) || cs.schemas[schema].s == nil {
		return
	}
	text := encode(v)
	key := fmt.Sprint(schema, "\x00", text)
	if cs.seen[key] {
		return
	}
	cs.seen[key] = true
	cs.cases = append(cs.cases, diffCase{schema: schema, instance: text, origin: origin})
}

// addGenerated adds the instance built from the schema and its mutations.
func (cs *caseSet) addGenerated(t *testing.T, schema int) {
	t.Helper()
	root, err := parseJSON(cs.schemas[schema].raw)
	if err != nil {
		t.Fatal(err)
	}
	v := genValid(root, root, 0)
	cs.add(schema, v, "generated")
	for _, m := range mutations(v) {
		cs.add(schema, m, "mutation")
	}
}

func jsonable(v any) bool {
	switch x := v.(type) {
	case nil, bool, string, int, int64:
		return true
	case float64:
		return !math.IsInf(x, 0) && !math.IsNaN(x) // not JSON

	case []any:
		for _, e := range x {
			if !jsonable(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !jsonable(e) {
				return false
			}
		}
		return true
	}
	return false
}

func buildCases(t *testing.T) *caseSet {
	cs := &caseSet{seen: map[string]bool{}}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{} // "context users" → schema index
	for _, kind := range []struct {
		name    string
		plugins []catalog.Plugin
	}{{"context", cat.Contexts}, {"runner", cat.Runners}, {"sla", cat.SLAs}, {"hook_action", cat.HookActions}, {"hook_trigger", cat.HookTriggers}} {
		for _, p := range kind.plugins {
			if len(p.Schema) == 0 {
				continue
			}
			name := kind.name + " " + p.Name
			i := cs.addSchema(name, p.Schema, "")
			cs.schemas[i].catalog = true
			index[name] = i
			cs.addGenerated(t, i)
		}
	}
	if len(index) < 50 {
		t.Fatalf("only %d plugin schemas in the catalog", len(index))
	}

	data, err := os.ReadFile(filepath.Join("testdata", "schemas.json"))
	if err != nil {
		t.Fatal(err)
	}
	var hand []struct {
		Name      string            `json:"name"`
		Schema    json.RawMessage   `json:"schema"`
		Instances []json.RawMessage `json:"instances"`
		// Refuse is the refusal expected where Python accepts the schema:
		// a string for every variant, or an object by draft name.
		Refuse json.RawMessage `json:"refuse"`
	}
	if err := json.Unmarshal(data, &hand); err != nil {
		t.Fatal(err)
	}
	for _, h := range hand {
		for _, variant := range draftVariants(h.Schema) {
			i := cs.addSchema("testdata "+h.Name+variant.label, variant.raw, refusalFor(t, h.Refuse, variant.raw))
			for _, raw := range h.Instances {
				v, err := decodeInstance(string(raw), false)
				if err != nil {
					t.Fatalf("%s: %v", h.Name, err)
				}
				cs.add(i, v, "testdata")
			}
			cs.addGenerated(t, i)
		}
	}

	addCorpus(t, cs, index)
	addTaskFormat(t, cs)
	return cs
}

// rallyTaskSchemas prints the installed Rally's task format schemas
// (rally/task/task_cfg.py): v1 and the simple subtask are draft-04, the
// complex subtask has no "$schema", so jsonschema.validate checks it as
// 2020-12.
const rallyTaskSchemas = `
import json
from rally.task.task_cfg import TaskConfig as T
print(json.dumps({n: getattr(T, n) for n in ("CONFIG_SCHEMA_V1", "CONFIG_SCHEMA_V2_SUBTASK_SIMPLE", "CONFIG_SCHEMA_V2_SUBTASK_COMPLEX")}))
`

// addTaskFormat adds Rally's own task format schemas with the corpus's
// task files that need no Jinja2 rendering as instances: whole v1 files,
// v2 subtasks (simple or complex, as Rally picks).
func addTaskFormat(t *testing.T, cs *caseSet) {
	out, err := exec.Command(python, "-c", rallyTaskSchemas).Output()
	if err != nil {
		t.Fatalf("%s cannot import rally.task.task_cfg (%v); install Rally with: bash scripts/install-deps.sh", python, err)
	}
	var schemas map[string]json.RawMessage
	if err := json.Unmarshal(out, &schemas); err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for _, n := range []string{"CONFIG_SCHEMA_V1", "CONFIG_SCHEMA_V2_SUBTASK_SIMPLE", "CONFIG_SCHEMA_V2_SUBTASK_COMPLEX"} {
		idx[n] = cs.addSchema("rally task "+n, schemas[n], "")
		cs.schemas[idx[n]].catalog = true // Rally's own: must compile
		cs.addGenerated(t, idx[n])
	}
	files, err := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "corpus", "rally-tasks", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("{{")) || bytes.Contains(data, []byte("{%")) {
			continue
		}
		var doc any
		if yaml.Unmarshal(data, &doc) != nil {
			continue
		}
		top, ok := doc.(map[string]any)
		if !ok {
			continue
		}
		origin := "corpus " + filepath.Base(f)
		subtasks, v2 := top["subtasks"].([]any)
		if !v2 {
			cs.add(idx["CONFIG_SCHEMA_V1"], normalizeYAML(top), origin)
			n++
			continue
		}
		for _, st := range subtasks {
			stm, ok := st.(map[string]any)
			if !ok {
				continue
			}
			if _, complex := stm["workloads"]; complex {
				cs.add(idx["CONFIG_SCHEMA_V2_SUBTASK_COMPLEX"], normalizeYAML(stm), origin)
			} else {
				cs.add(idx["CONFIG_SCHEMA_V2_SUBTASK_SIMPLE"], normalizeYAML(stm), origin)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d task documents found in the corpus", n)
	}
}

// addCorpus feeds the runner, context and SLA sections of the corpus's
// task files that need no Jinja2 rendering.
func addCorpus(t *testing.T, cs *caseSet, index map[string]int) {
	files, err := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "corpus", "rally-tasks", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("{{")) || bytes.Contains(data, []byte("{%")) {
			continue
		}
		var doc any
		if yaml.Unmarshal(data, &doc) != nil {
			continue
		}
		top, ok := doc.(map[string]any)
		if !ok {
			continue
		}
		origin := "corpus " + filepath.Base(f)
		section := func(kind string, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			for name, cfg := range m {
				name, _, _ = strings.Cut(name, "@")
				if i, ok := index[kind+" "+name]; ok {
					cs.add(i, normalizeYAML(cfg), origin)
					n++
				}
			}
		}
		workload := func(w map[string]any, v2 bool) {
			if r, ok := w["runner"].(map[string]any); ok {
				if v2 {
					section("runner", r)
				} else if typ, ok := r["type"].(string); ok {
					cfg := copyMap(r)
					delete(cfg, "type") // Rally pops it before validating
					section("runner", map[string]any{typ: cfg})
				}
			}
			section("context", w["context"])
			section("context", w["contexts"])
			section("sla", w["sla"])
		}
		if subtasks, ok := top["subtasks"].([]any); ok {
			for _, st := range subtasks {
				stm, ok := st.(map[string]any)
				if !ok {
					continue
				}
				workload(stm, true)
				if ws, ok := stm["workloads"].([]any); ok {
					for _, w := range ws {
						if wm, ok := w.(map[string]any); ok {
							workload(wm, true)
						}
					}
				}
			}
			continue
		}
		for _, ws := range top {
			l, ok := ws.([]any)
			if !ok {
				continue
			}
			for _, w := range l {
				if wm, ok := w.(map[string]any); ok {
					workload(wm, false)
				}
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d plugin configs found in the corpus task files", n)
	}
}

// normalizeYAML turns yaml.v3's ints into int64.
func normalizeYAML(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = normalizeYAML(x[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalizeYAML(e)
		}
		return out
	}
	return v
}

// refusalFor reads a hand-written schema's "refuse" for one variant.
func refusalFor(t *testing.T, spec json.RawMessage, raw []byte) string {
	if len(spec) == 0 {
		return ""
	}
	var all string
	if json.Unmarshal(spec, &all) == nil {
		return all
	}
	var byDraft map[string]string
	if err := json.Unmarshal(spec, &byDraft); err != nil {
		t.Fatalf("refuse: %v", err)
	}
	d := draft2020
	if doc, err := parseJSON(raw); err == nil && doc.kind == py.DictKind {
		d, _ = draftOf(doc, draft2020)
	}
	return byDraft[d.String()]
}

// schemaVariant is a hand-written schema as written or with "$schema"
// set to another draft.
type schemaVariant struct {
	label string
	raw   []byte
}

// draftVariants: a hand-written object schema without "$schema" is run
// as written (validator_for's default, 2020-12) and under draft-04, -06,
// -07 and 2019-09, so that every keyword is seen by every class (and a
// schema one draft's metaschema rejects must be refused for that draft).
func draftVariants(raw []byte) []schemaVariant {
	out := []schemaVariant{{"", raw}}
	doc, err := parseJSON(raw)
	if err != nil || doc.kind != py.DictKind {
		return out
	}
	if _, ok := doc.get("$schema"); ok {
		return out
	}
	body := bytes.TrimSpace(raw)[1:]
	sep := []byte(",")
	if len(doc.keys) == 0 {
		sep = nil
	}
	for _, d := range []draft{draft4, draft6, draft7, draft2019} {
		url := metaschemaURLs[d]
		if d <= draft7 {
			url += "#"
		}
		v := append([]byte(`{"$schema": "`+url+`"`), sep...)
		out = append(out, schemaVariant{" [" + d.String() + "]", append(v, body...)})
	}
	return out
}

// runOracle runs testdata/oracle.py, the cases split among one process
// per CPU (Python's validation is most of this test's time).
func runOracle(t *testing.T, cs *caseSet) pyResults {
	t.Helper()
	dir := t.TempDir()
	procs := min(max(runtime.NumCPU(), 1), 4)
	chunk := (len(cs.cases) + procs - 1) / procs
	type run struct {
		out string
		cmd *exec.Cmd
		msg bytes.Buffer
	}
	runs := make([]*run, procs)
	for p := range runs {
		var b bytes.Buffer
		fmt.Fprintf(&b, `{"schema_results":%t,"schemas":[`, p == 0)
		for i, s := range cs.schemas {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(s.raw)
		}
		b.WriteString(`],"cases":[`)
		for i, c := range cs.cases[min(p*chunk, len(cs.cases)):min((p+1)*chunk, len(cs.cases))] {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "[%d,%s]", c.schema, c.instance)
		}
		b.WriteString("]}")
		in := filepath.Join(dir, fmt.Sprintf("cases%d.json", p))
		if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		r := &run{out: filepath.Join(dir, fmt.Sprintf("results%d.json", p))}
		r.cmd = exec.Command(python, filepath.Join("testdata", "oracle.py"), in, r.out)
		r.cmd.Stdout, r.cmd.Stderr = &r.msg, &r.msg
		if err := r.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		runs[p] = r
	}
	var res pyResults
	for p, r := range runs {
		if err := r.cmd.Wait(); err != nil {
			t.Fatalf("oracle.py: %v\n%s", err, r.msg.String())
		}
		data, err := os.ReadFile(r.out)
		if err != nil {
			t.Fatal(err)
		}
		var part pyResults
		if err := json.Unmarshal(data, &part); err != nil {
			t.Fatal(err)
		}
		if p == 0 {
			res.Schemas = part.Schemas
		}
		res.Cases = append(res.Cases, part.Cases...)
	}
	if len(res.Cases) != len(cs.cases) || len(res.Schemas) != len(cs.schemas) {
		t.Fatalf("oracle answered %d cases of %d, %d schemas of %d", len(res.Cases), len(cs.cases), len(res.Schemas), len(cs.schemas))
	}
	return res
}

func errKey(path []string, kw, msg string) string {
	k, _ := json.Marshal([]any{path, kw, msg})
	return string(k)
}

func pyKeys(errs []pyErr) []string {
	var out []string
	for _, e := range errs {
		kw := "false" // validator None: a false subschema
		if e.K != nil {
			kw = *e.K
		}
		var ctx []string
		for _, c := range e.C {
			ctx = append(ctx, pyKeys([]pyErr{{P: c.P, K: c.K, M: c.M}})...)
		}
		sort.Strings(ctx)
		out = append(out, errKey(e.P, kw, e.M)+" ctx="+strings.Join(ctx, "|"))
	}
	sort.Strings(out)
	return out
}

// flattenCauses undoes the per-alternative grouping: Python's context
// is the plain list of the alternatives' errors.
func flattenCauses(errs []*Error) []*Error {
	var out []*Error
	for _, e := range errs {
		if e.group {
			out = append(out, flattenCauses(e.Causes)...)
		} else {
			out = append(out, e)
		}
	}
	return out
}

func goKeys(errs []*Error) []string {
	var out []string
	for _, e := range errs {
		var ctx []string
		for _, c := range flattenCauses(e.Causes) {
			ctx = append(ctx, errKey(nonNil(c.Path), c.Keyword, c.Message)+" ctx=")
		}
		sort.Strings(ctx)
		out = append(out, errKey(nonNil(e.Path), e.Keyword, e.Message)+" ctx="+strings.Join(ctx, "|"))
	}
	sort.Strings(out)
	return out
}

func nonNil(p []string) []string {
	if p == nil {
		return []string{}
	}
	return p
}

// pyClass maps jsonschema's validator class names onto drafts.
var pyClass = map[string]draft{
	"Draft3Validator": draft3, "Draft4Validator": draft4, "Draft6Validator": draft6,
	"Draft7Validator": draft7, "Draft201909Validator": draft2019, "Draft202012Validator": draft2020,
}

// checkSchemas compares, schema by schema, what jsonschema.validate does
// before validating with what Compile does: the class validator_for
// picks, the metaschema's errors (all of them, as for any instance), and
// the verdict: Python's SchemaError or exception must be a refusal, and a
// schema Python accepts must compile unless the test declares the
// refusal (what Python would crash on, or what is not emulated).
func checkSchemas(t *testing.T, cs *caseSet, res []pySchemaResult) (summary string) {
	byDraft := map[string]int{}
	var metaSame, metaPairs, schemaErrors, pyRaised, declared int
	var problems []string
	report := func(format string, args ...any) {
		if len(problems) < 25 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	for i, sc := range cs.schemas {
		r := res[i]
		if sc.catalog && sc.err != nil {
			t.Errorf("catalog schema %s is refused: %v", sc.name, sc.err)
		}
		if sc.err != nil && strings.Contains(sc.err.Error(), "\n") {
			t.Errorf("%s: Compile's error is not one line: %q", sc.name, sc.err)
		}
		doc, _ := parseJSON(sc.raw)
		if r.Draft != "" && doc != nil {
			want := pyClass[r.Draft]
			byDraft[want.String()]++
			got := draft2020
			if doc.kind == py.DictKind {
				got, _ = draftOf(doc, draft2020)
			}
			if got != want {
				report("%s: validator_for picks %s, Go %s", sc.name, want, got)
			}
			if r.Meta != nil || r.MetaException == "" && want != draft3 {
				metaPairs++
				meta, err := metaschema(want)
				if err != nil {
					t.Fatal(err)
				}
				pw, gw := pyKeys(r.Meta), goKeys(meta.Validate(doc.value()))
				if strings.Join(pw, "\n") == strings.Join(gw, "\n") {
					metaSame++
				} else {
					report("%s: the %s metaschema's errors differ:\n  python: %s\n  go:     %s", sc.name, want, strings.Join(pw, "\n          "), strings.Join(gw, "\n          "))
				}
			}
		}
		switch {
		case r.Exception != "":
			pyRaised++
			if sc.err == nil {
				report("%s: Python raised %s before validating; Compile accepted the schema", sc.name, r.Exception)
			}
		case r.SchemaError != nil:
			schemaErrors++
			if sc.err == nil || !strings.Contains(sc.err.Error(), "SchemaError") {
				report("%s: Python raised SchemaError (%s at %v); Compile: %v", sc.name, r.SchemaError.M, r.SchemaError.P, sc.err)
			}
		case sc.err != nil:
			if sc.refuse == "" || !strings.Contains(sc.err.Error(), sc.refuse) {
				report("%s: Python accepts the schema; Compile: %v (declared refusal: %q)", sc.name, sc.err, sc.refuse)
			} else {
				declared++
			}
		case sc.refuse != "":
			report("%s: Compile accepted the schema; the test declares the refusal %q", sc.name, sc.refuse)
		}
	}
	if len(problems) > 0 {
		t.Errorf("schemas: %d problems; first ones:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	return fmt.Sprintf("%d schemas by class %v: %d rejected by check_schema (SchemaError), %d where validator_for/check_schema raised, %d refused by Compile as declared; metaschema errors identical for %d of %d",
		len(cs.schemas), byDraft, schemaErrors, pyRaised, declared, metaSame, metaPairs)
}

// TestAgainstPythonJsonschema is the differential test: every plugin
// schema of the catalog and the hand-written schemas of
// testdata/schemas.json (those without "$schema" also under draft-04,
// -06, -07 and 2019-09), over generated instances, mutations and the
// corpus's own configs, validated by this package and by Python
// jsonschema as jsonschema.validate does it (validator_for, check_schema,
// then the class's iter_errors) in one batch; the errors must be the same
// (path, keyword, message, and the context of anyOf/oneOf), and so must
// the schemas' verdicts and metaschema errors.
func TestAgainstPythonJsonschema(t *testing.T) {
	testcorpus.Long(t)
	requirePython(t)
	cs := buildCases(t)
	res := runOracle(t, cs)
	t.Log(checkSchemas(t, cs, res.Schemas))

	var same, invalid, raised int
	exceptions := map[string]int{}
	byDraft := map[string]int{}
	var diffs []string
	for i, c := range cs.cases {
		sc := cs.schemas[c.schema]
		v, err := decodeInstance(c.instance, false)
		if err != nil {
			t.Fatal(err)
		}
		got := sc.s.Validate(v)
		// The same value as json.Number must give the same errors.
		vn, _ := decodeInstance(c.instance, true)
		if a, b := goKeys(got), goKeys(sc.s.Validate(vn)); strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("%s %s: int64/float64 and json.Number give different errors:\n%s\nvs\n%s", sc.name, c.instance, a, b)
		}
		r := res.Cases[i]
		if r.Exception != "" {
			raised++
			kind, _, _ := strings.Cut(r.Exception, ":")
			exceptions[kind]++
			switch kind {
			case "RecursionError":
				found := false
				for _, e := range got {
					found = found || strings.Contains(e.Message, "RecursionError")
				}
				if !found {
					t.Errorf("%s %s: Python raised %s; Go reported %v", sc.name, c.instance, r.Exception, goKeys(got))
				}
			case "no validator":
				// The schema's verdicts differ: reported by checkSchemas.
			default:
				// Where Python raises, Validate returns that one error.
				if len(got) != 1 || !strings.Contains(got[0].Message, "Python raises") {
					t.Errorf("%s %s: Python raised %s; Go reported %v", sc.name, c.instance, r.Exception, goKeys(got))
				}
			}
			continue
		}
		byDraft[sc.s.draft.String()]++
		want := pyKeys(r.Errors)
		have := goKeys(got)
		if len(want) > 0 {
			invalid++
		}
		if strings.Join(want, "\n") == strings.Join(have, "\n") {
			same++
			continue
		}
		if len(diffs) < 25 {
			diffs = append(diffs, fmt.Sprintf("%s (%s)\n  instance: %s\n  python:   %s\n  go:       %s",
				sc.name, c.origin, c.instance, strings.Join(want, "\n            "), strings.Join(have, "\n            ")))
		}
	}
	origins := map[string]int{}
	for _, c := range cs.cases {
		o, _, _ := strings.Cut(c.origin, " ")
		origins[o]++
	}
	t.Logf("pairs by origin: %v; compared pairs by class: %v", origins, byDraft)
	compared := len(cs.cases) - raised
	t.Logf("%d schema×instance pairs: %d compared (%d invalid), %d identical; %d where Python raised %v",
		len(cs.cases), compared, invalid, same, raised, exceptions)
	if same != compared {
		t.Errorf("%d of %d pairs differ from Python jsonschema; first ones:\n%s", compared-same, compared, strings.Join(diffs, "\n"))
	}
	if compared < 5000 || invalid < compared/2 || compared-invalid < 300 {
		t.Errorf("the case set is too thin: %d compared, %d invalid", compared, invalid)
	}
	for _, d := range []draft{draft4, draft6, draft7, draft2019, draft2020} {
		if byDraft[d.String()] < 500 {
			t.Errorf("only %d pairs compared under %s", byDraft[d.String()], d)
		}
	}
}
