package lint

import (
	"fmt"
	"math/rand/v2"
	"testing"

	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

// The fast checks of the task format (schema_fast.go) must never call valid
// what the schema itself refuses: on every corpus task and on seeded
// random mutants of them (the differential test's structural faults plus
// values of every type put anywhere). They must also be worth having:
// most tasks the schema accepts are accepted without it.
func TestSchemaFastPathSound(t *testing.T) {
	testcorpus.Long(t)
	rng := rand.New(rand.NewPCG(20261203, 7))
	gen := newMutator(View(true))
	checked, fast, schemaOK := 0, 0, 0
	// check judges one part both ways; it reports whether it is valid.
	check := func(name, what string, n *yaml.Node, fastOK bool, sch func() []problem) {
		checked++
		ps := sch()
		if len(ps) == 0 {
			schemaOK++
		}
		if fastOK {
			fast++
			if len(ps) > 0 {
				b, _ := yaml.Marshal(n)
				t.Errorf("%s: %s: fast path says valid, schema says %q\n%s", name, what, ps[0].msg, b)
			}
		}
	}
	judge := func(name string, root *yaml.Node) {
		switch task.Version(root) {
		case "1":
			check(name, "v1", root, v1Valid(root), func() []problem { return validate(v1Schema(), root, task.PosOf(root)) })
		case "2":
			_, subs := task.Get(root, "subtasks")
			if subs == nil || subs.Kind != yaml.SequenceNode {
				return
			}
			for _, s := range subs.Content {
				k, _ := task.Get(s, "workloads")
				sch := v2SimpleSch()
				if k != nil {
					sch = v2ComplexSch()
				}
				check(name, "subtask", s, v2SubtaskValid(s, k != nil), func() []problem { return validate(sch, s, task.PosOf(s)) })
			}
		}
	}
	parse := func(text string) *yaml.Node {
		root, err := pyyaml.Load([]byte(text))
		if err != nil || root == nil || root.Kind != yaml.MappingNode {
			return nil
		}
		return root
	}
	bases := 0
	for _, r := range renderedCorpus(t) {
		c, root := r.c, r.root
		bases++
		judge(c.name, root)
		for range 8 {
			m := clone(root)
			desc := gen.mutate(rng, m)
			if rng.IntN(2) == 0 {
				// A value of another type anywhere (keys' values and items).
				var all []site
				sites(m, "", &all)
				if len(all) > 0 {
					s := all[rng.IntN(len(all))]
					s.parent.Content[s.idx] = randomValue(rng, s.node())
					desc += "; random value at " + s.path
				}
			}
			// Through text again, as lint sees a task: tags as PyYAML
			// resolves them.
			b, err := yaml.Marshal(m)
			if err != nil {
				continue
			}
			if r := parse(string(b)); r != nil {
				judge(c.name+" ("+desc+")", r)
			}
		}
	}
	// Edges random faults rarely reach.
	long := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = 'é'
		}
		return string(b)
	}
	for i, text := range []string{
		"A.b: [{runner: {type: 1}}]",
		"A.b: [{runner: {times: 1}}]",
		"A.b: [{runner: {type: constant}, description: 1}]",
		"A.b: [{args: [], runner: {type: constant}}]",
		"A.b: [{sla: null}]",
		"A.b: [{hooks: []}]",
		"A.b: {runner: {type: constant}}",
		"A.b: [[]]",
		"version: 2\ntitle: t\nsubtasks: [{title: " + long(128) + ", scenario: {A.b: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: " + long(129) + ", scenario: {A.b: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, tags: [a, 1], scenario: {A.b: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, tags: [" + long(256) + "], scenario: {A.b: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, scenario: {A.b: {}, C.d: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, scenario: {A.b: null}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, scenario: {}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, runner: {constant: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: 2, scenario: {A.b: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, workloads: []}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, run_in_parallel: 'yes', workloads: [{scenario: {A.b: {}}}]}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, run_in_parallel: yes, workloads: [{scenario: {A.b: {}}}]}]",
		"version: 2\ntitle: t\nsubtasks: [{title: " + long(300) + ", workloads: [{scenario: {A.b: {}}}]}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, workloads: [{runner: {constant: {}}}]}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, workloads: [{scenario: {A.b: {}}, args: {}}]}]",
		"version: 2\ntitle: t\nsubtasks: [{title: t, workloads: [{scenario: {A.b: {}}, contexts: []}]}]",
		"version: 2\ntitle: t\nsubtasks: [{title: !!binary aGk=, scenario: {A.b: {}}}]",
		"version: 2\ntitle: t\nsubtasks: [{title: 2020-01-01, scenario: {A.b: {}}}]",
	} {
		if r := parse(text); r != nil {
			judge(fmt.Sprintf("edge %d", i), r)
		} else {
			t.Errorf("edge %d does not parse", i)
		}
	}
	if bases < 700 {
		t.Fatalf("only %d corpus tasks parsed", bases)
	}
	t.Logf("%d parts judged: schema accepts %d, fast path %d", checked, schemaOK, fast)
	// On the unmutated corpus nearly every part is plain; a fast path that
	// rarely fires would be dead weight.
	if fast < schemaOK*9/10 {
		t.Errorf("fast path accepted %d of the %d parts the schema accepts", fast, schemaOK)
	}
}
