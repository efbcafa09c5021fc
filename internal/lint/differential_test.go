package lint

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/catalog"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

// The differential test's fixed seed and size: a failure reproduces with
// the same seed; RALLYFORGE_DIFF_MUTANTS and RALLYFORGE_DIFF_SEED explore
// further (thousands of mutants, other seeds) without editing the test.
const (
	diffSeed    = 20250917
	diffMutants = 1500
	// diffBases: the mutants come from this many real tasks (a seeded
	// sample), so that the bases' own verdicts cost little in the batch.
	diffBases = 250
)

// diffAllowed lists the mutations (by their description's kind, the part
// before " at ") lint and Rally may judge differently, with the reason.
// Keyed on the fault, never on a corpus file.
var diffAllowed = map[string]string{}

// TestRandomMutationsAgreeWithRally applies random structural faults to
// real tasks Rally accepts (rendered, as lint sees them) and asserts that
// lint reports an error exactly when the real Rally rejects the mutant.
func TestRandomMutationsAgreeWithRally(t *testing.T) {
	testcorpus.Long(t)
	seed, count := uint64(diffSeed), diffMutants
	if s := os.Getenv("RALLYFORGE_DIFF_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	if s := os.Getenv("RALLYFORGE_DIFF_MUTANTS"); s != "" {
		count, _ = strconv.Atoi(s)
	}
	nBases := max(diffBases, count/6)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	inst := New(Options{Catalog: View(true)})
	start := time.Now()

	// Bases: corpus tasks that render and that lint accepts (the corpus
	// test holds lint to Rally's verdict on every one; Rally's own verdict
	// on the sample is asked again below, in the same batch).
	type base struct {
		c      corpusTask
		root   string // repository root Rally runs in
		lroot  string // the root lint resolves relative paths against
		doc    string // rendered text
		mirror string // folder standing for lroot, where mutants are written
	}
	var bases []*base
	for _, r := range renderedCorpus(t) {
		c, src, root := r.c, r.src, r.root
		var out string
		// Mutants are written in block style whatever the original was
		// (JSON tasks too), so that a failure's diff shows lines.
		blockStyle(root)
		if b, err := yaml.Marshal(root); err == nil {
			out = string(b)
		} else {
			continue
		}
		if v := task.Version(root); v != "1" && v != "2" {
			continue
		}
		if HasErrors(inst.Source(c.path, src)) {
			continue
		}
		bases = append(bases, &base{c: c, root: testcorpus.Repo(t, c.repo), lroot: repoRoot(c.path), doc: out})
	}
	if len(bases) < 300 {
		t.Fatalf("only %d corpus tasks render and pass lint", len(bases))
	}
	rng.Shuffle(len(bases), func(i, j int) { bases[i], bases[j] = bases[j], bases[i] })
	if len(bases) > nBases {
		bases = bases[:nBases]
	}

	dir := t.TempDir()
	gen := newMutator(View(true))
	type mutant struct {
		name, path, desc string
		b                *base
		orig, text       string
	}
	var mutants []mutant
	var items []rallyoracle.Item
	item := func(name, path string, b *base) rallyoracle.Item {
		it := rallyoracle.Item{Name: name, Task: path, Cwd: b.root, Extra: filepath.Join(b.root, "rally-jobs", "extra")}
		if fi, err := os.Stat(filepath.Join(b.root, "rally-jobs", "plugins")); err == nil && fi.IsDir() {
			it.Plugins = []string{filepath.Join(b.root, "rally-jobs", "plugins")}
		}
		return it
	}
	for i, b := range bases {
		// The mirror holds links to every entry of lint's root (plus a
		// .git marker when it has no rally-jobs/), so lint finds the same
		// root, files and plugins for a mutant written there as for the
		// original task.
		b.mirror = filepath.Join(dir, fmt.Sprintf("r%03d", i))
		if err := os.Mkdir(b.mirror, 0o755); err != nil {
			t.Fatal(err)
		}
		ents, err := os.ReadDir(b.lroot)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if err := os.Symlink(filepath.Join(b.lroot, e.Name()), filepath.Join(b.mirror, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := os.Stat(filepath.Join(b.mirror, "rally-jobs")); err != nil {
			if _, err := os.Lstat(filepath.Join(b.mirror, ".git")); err != nil {
				if err := os.WriteFile(filepath.Join(b.mirror, ".git"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		items = append(items, item("base:"+b.c.name, b.c.path, b))
	}
	seen := map[string]bool{}
	for tries := 0; len(mutants) < count && tries < count*20; tries++ {
		b := bases[rng.IntN(len(bases))]
		root, _ := pyyaml.Load([]byte(b.doc))
		orig, err := yaml.Marshal(root)
		if err != nil {
			t.Fatal(err)
		}
		n := 1
		if rng.IntN(5) == 0 {
			n = 2
		}
		var descs []string
		// The corpus has few v1 tasks: a quarter of the v2 bases are
		// rewritten in the v1 shape first.
		if task.Version(root) == "2" && rng.IntN(4) == 0 && toV1(root) {
			descs = append(descs, "convert to v1 at .: ")
		}
		for range n {
			d := gen.mutate(rng, root)
			if d == "" {
				break
			}
			descs = append(descs, d)
		}
		if len(descs) == 0 {
			continue
		}
		out, err := yaml.Marshal(root)
		if err != nil {
			continue // a tree yaml.v3 cannot write is no task file
		}
		if string(out) == string(orig) || seen[string(out)] {
			continue
		}
		seen[string(out)] = true
		name := fmt.Sprintf("m%05d.yaml", len(mutants))
		p := filepath.Join(b.mirror, name)
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		mutants = append(mutants, mutant{name: name, path: p, desc: strings.Join(descs, "; then "), b: b, orig: string(orig), text: string(out)})
		items = append(items, item(name, p, b))
	}
	if len(mutants) < count {
		t.Fatalf("generated only %d of %d mutants", len(mutants), count)
	}
	genDone := time.Now()
	rally, err := rallyoracle.Validate(items)
	if err != nil {
		t.Fatal(err)
	}
	rallyDone := time.Now()

	rejectedBases := map[*base]bool{}
	for _, b := range bases {
		if v, ok := rally["base:"+b.c.name]; !ok || v != nil {
			t.Errorf("%s: lint accepts it but Rally %s", b.c.name, str(v))
			rejectedBases[b] = true
		}
	}
	agree, rejects, allowed := 0, 0, 0
	kinds := map[string][2]int{} // kind -> {mutants, disagreements}
	for _, m := range mutants {
		if rejectedBases[m.b] {
			continue
		}
		v, ok := rally[m.name]
		if !ok {
			t.Errorf("%s: no verdict from Rally", m.name)
			continue
		}
		fs, err := inst.File(m.path)
		if err != nil {
			t.Fatal(err)
		}
		if v != nil {
			rejects++
		}
		// The kind is the last fault's (the v1 rewrite often comes first).
		parts := strings.Split(m.desc, "; then ")
		kind, _, _ := strings.Cut(parts[len(parts)-1], " at ")
		k := kinds[kind]
		k[0]++
		if HasErrors(fs) == (v != nil) {
			agree++
			kinds[kind] = k
			continue
		}
		k[1]++
		kinds[kind] = k
		if why, ok := diffAllowed[kind]; ok {
			allowed++
			t.Logf("allowed (%s): %s on %s", why, m.desc, m.b.c.name)
			continue
		}
		t.Errorf("mutant %s of %s (seed %d)\n  mutation: %s\n  diff:\n%s\n  rally: %s\n  lint: %s",
			m.name, m.b.c.name, seed, m.desc, lineDiff(m.orig, m.text), rallyReason(v), findingsText(fs))
	}
	var ks []string
	for k, n := range kinds {
		ks = append(ks, fmt.Sprintf("%s=%d/%d", k, n[1], n[0]))
	}
	sort.Strings(ks)
	t.Logf("seed %d: %d mutants of %d real tasks; Rally rejects %d; lint agrees on %d (%d allowed differences)", seed, len(mutants), len(bases), rejects, agree, allowed)
	t.Logf("disagreements/mutants by kind: %s", strings.Join(ks, ", "))
	t.Logf("time: generate %v, rally %v, lint %v", genDone.Sub(start).Round(time.Millisecond), rallyDone.Sub(genDone).Round(time.Millisecond), time.Since(rallyDone).Round(time.Millisecond))
}

// rallyReason is Rally's message without the subtask configuration it
// repeats (the reason comes after it).
func rallyReason(v *string) string {
	if v == nil {
		return "accepted"
	}
	var keep []string
	for _, l := range strings.Split(*v, "\n") {
		if strings.HasPrefix(l, "{") || l == "Subtask configuration:" || strings.TrimSpace(l) == "" {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, " | ")
}

// blockStyle clears the nodes' styles so that yaml.v3 writes block YAML
// (quoting what needs it).
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// lineDiff shows what a mutation changed: the lines between the common
// prefix and suffix of the two texts (enough for one or two local edits).
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	p := 0
	for p < len(al) && p < len(bl) && al[p] == bl[p] {
		p++
	}
	s := 0
	for s < len(al)-p && s < len(bl)-p && al[len(al)-1-s] == bl[len(bl)-1-s] {
		s++
	}
	var out strings.Builder
	show := func(prefix string, l []string) {
		for i, x := range l {
			if i == 12 {
				fmt.Fprintf(&out, "    %s… (%d more lines)\n", prefix, len(l)-12)
				break
			}
			fmt.Fprintf(&out, "    %s %s\n", prefix, x)
		}
	}
	fmt.Fprintf(&out, "    @@ line %d\n", p+1)
	show("-", al[p:len(al)-s])
	show("+", bl[p:len(bl)-s])
	return strings.TrimRight(out.String(), "\n")
}

// mutator applies random structural faults to a task's node tree.
type mutator struct {
	cat                                             *catalog.Catalog
	scenarios                                       []string
	runners, contexts, slas, hookActions, hookTrigs []catalog.Plugin
}

func newMutator(cat *catalog.Catalog) *mutator {
	m := &mutator{cat: cat, runners: cat.Runners, contexts: cat.Contexts, slas: cat.SLAs, hookActions: cat.HookActions, hookTrigs: cat.HookTriggers}
	for _, s := range cat.Scenarios {
		m.scenarios = append(m.scenarios, s.Name)
	}
	return m
}

// site is one value in the tree: parent.Content[idx], reached by path.
type site struct {
	parent *yaml.Node
	idx    int
	path   string
}

func (s site) node() *yaml.Node { return s.parent.Content[s.idx] }
func (s site) isEntry() bool    { return s.parent.Kind == yaml.MappingNode }
func (s site) key() *yaml.Node  { return s.parent.Content[s.idx-1] }

// sites lists every value below n (mapping values, sequence items).
func sites(n *yaml.Node, path string, out *[]site) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			p := path + "." + n.Content[i-1].Value
			*out = append(*out, site{n, i, p})
			sites(n.Content[i], p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			*out = append(*out, site{n, i, p})
			sites(c, p, out)
		}
	}
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = nil
	for _, x := range n.Content {
		c.Content = append(c.Content, clone(x))
	}
	return &c
}

func str2(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }
func tagged(tag, v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v}
}
func seqOf(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}
func mapOf(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
}

// short renders a node on one line for descriptions.
func short(n *yaml.Node) string {
	b, err := json.Marshal(pyyaml.Value(n))
	if err != nil {
		return "?"
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

// randomValue is a value of some type, with the edge cases faults hit:
// zero, negatives, huge numbers, empty containers.
func randomValue(rng *rand.Rand, old *yaml.Node) *yaml.Node {
	vals := []func() *yaml.Node{
		func() *yaml.Node { return tagged("!!int", "0") },
		func() *yaml.Node { return tagged("!!int", "-1") },
		func() *yaml.Node { return tagged("!!int", strconv.Itoa(rng.IntN(200)-50)) },
		func() *yaml.Node { return tagged("!!int", "100000000000000000000") },
		func() *yaml.Node { return tagged("!!int", "2147483648") },
		func() *yaml.Node { return tagged("!!float", "0.5") },
		func() *yaml.Node { return tagged("!!float", "-2.5") },
		func() *yaml.Node { return tagged("!!float", "1.0") },
		func() *yaml.Node { return tagged("!!float", "1e+30") },
		func() *yaml.Node { return str2("") },
		func() *yaml.Node { return str2("abc") },
		func() *yaml.Node { return str2("10") },
		func() *yaml.Node { return str2("true") },
		func() *yaml.Node { return tagged("!!bool", "true") },
		func() *yaml.Node { return tagged("!!bool", "false") },
		func() *yaml.Node { return tagged("!!null", "null") },
		func() *yaml.Node { return seqOf() },
		func() *yaml.Node { return seqOf(tagged("!!int", "1")) },
		func() *yaml.Node { return seqOf(str2("a"), str2("b")) },
		func() *yaml.Node { return mapOf() },
		func() *yaml.Node { return mapOf(str2("a"), tagged("!!int", "1")) },
	}
	if old != nil && old.Kind == yaml.ScalarNode {
		switch old.Tag {
		case "!!int":
			if n, err := strconv.ParseInt(old.Value, 10, 64); err == nil {
				vals = append(vals,
					func() *yaml.Node { return tagged("!!int", strconv.FormatInt(-n, 10)) },
					func() *yaml.Node { return tagged("!!int", strconv.FormatInt(n*1000, 10)) },
					func() *yaml.Node { return str2(old.Value) },
					func() *yaml.Node { return tagged("!!float", strconv.FormatInt(n, 10)+".0") },
					func() *yaml.Node { return tagged("!!float", strconv.FormatInt(n, 10)+".5") })
			}
		case "!!float":
			vals = append(vals,
				func() *yaml.Node { return str2(old.Value) },
				func() *yaml.Node { return tagged("!!float", "-"+strings.TrimPrefix(old.Value, "-")) })
			if f, err := strconv.ParseFloat(old.Value, 64); err == nil {
				vals = append(vals, func() *yaml.Node { return tagged("!!int", strconv.FormatInt(int64(f), 10)) })
			}
		case "!!str":
			if _, err := strconv.ParseFloat(old.Value, 64); err == nil {
				vals = append(vals, func() *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: old.Value} })
			}
			vals = append(vals,
				func() *yaml.Node { return str2(strings.ToUpper(old.Value)) },
				func() *yaml.Node { return str2(old.Value + "x") })
		case "!!bool":
			vals = append(vals,
				func() *yaml.Node { return str2(old.Value) },
				func() *yaml.Node { return tagged("!!int", "1") })
		}
	}
	return vals[rng.IntN(len(vals))]()
}

// typo misspells a key the ways people do.
func typo(rng *rand.Rand, k string) string {
	r := []rune(k)
	switch rng.IntN(9) {
	case 0:
		if len(r) > 1 {
			i := rng.IntN(len(r))
			return string(append(r[:i:i], r[i+1:]...))
		}
	case 1:
		if len(r) > 1 {
			i := rng.IntN(len(r) - 1)
			r[i], r[i+1] = r[i+1], r[i]
			return string(r)
		}
	case 2:
		i := rng.IntN(len(r) + 1)
		return string(r[:i]) + string("aesx"[rng.IntN(4)]) + string(r[i:])
	case 3:
		return strings.ToUpper(k)
	case 4:
		if len(r) > 0 {
			return strings.ToUpper(string(r[0])) + string(r[1:])
		}
	case 5:
		if strings.HasSuffix(k, "s") {
			return strings.TrimSuffix(k, "s")
		}
		return k + "s"
	case 6:
		if strings.Contains(k, "_") {
			return strings.ReplaceAll(k, "_", "-")
		}
		return strings.ReplaceAll(k, "-", "_")
	case 7:
		return k + " "
	case 8:
		return strings.ToLower(k)
	}
	return k + "_"
}

// workloads lists the task's workload mappings (v2: items of workloads or
// the simple subtask itself; v1: the items of each scenario's list) and
// their paths.
func workloadsOf(root *yaml.Node) []site {
	var out []site
	if task.Version(root) == "2" {
		_, subs := task.Get(root, "subtasks")
		for i, s := range seqItems(subs) {
			if _, wls := task.Get(s, "workloads"); wls != nil {
				for j := range seqItems(wls) {
					out = append(out, site{wls, j, fmt.Sprintf(".subtasks[%d].workloads[%d]", i, j)})
				}
			} else {
				out = append(out, site{subs, i, fmt.Sprintf(".subtasks[%d]", i)})
			}
		}
		return out
	}
	for i := 1; i < len(root.Content); i += 2 {
		l := root.Content[i]
		for j := range seqItems(l) {
			out = append(out, site{l, j, fmt.Sprintf(".%s[%d]", root.Content[i-1].Value, j)})
		}
	}
	return out
}

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// mutate applies one random fault to root and describes it as "<kind> at
// <path>: detail" ("" when the chosen fault does not apply).
func (m *mutator) mutate(rng *rand.Rand, root *yaml.Node) string {
	for range 10 {
		if d := m.try(rng, root); d != "" {
			return d
		}
	}
	return ""
}

func (m *mutator) try(rng *rand.Rand, root *yaml.Node) string {
	var all []site
	sites(root, "", &all)
	var entries, seqs []site
	for _, s := range all {
		if s.isEntry() {
			entries = append(entries, s)
		}
		if s.node().Kind == yaml.SequenceNode {
			seqs = append(seqs, s)
		}
	}
	v2 := task.Version(root) == "2"
	wls := workloadsOf(root)
	pickWl := func() (*yaml.Node, string) {
		if len(wls) == 0 {
			return nil, ""
		}
		s := wls[rng.IntN(len(wls))]
		return s.node(), s.path
	}
	switch rng.IntN(18) {
	case 0, 1: // delete a key anywhere
		if len(entries) == 0 {
			return ""
		}
		s := entries[rng.IntN(len(entries))]
		s.parent.Content = append(s.parent.Content[:s.idx-1:s.idx-1], s.parent.Content[s.idx+1:]...)
		return "delete key at " + s.path
	case 2: // rename a key
		if len(entries) == 0 {
			return ""
		}
		s := entries[rng.IntN(len(entries))]
		old := s.key().Value
		s.key().Value = typo(rng, old)
		return fmt.Sprintf("rename key at %s: to %q", s.path, s.key().Value)
	case 3, 4, 5: // replace a value by one of another type or an edge case
		if len(all) == 0 {
			return ""
		}
		s := all[rng.IntN(len(all))]
		old := s.node()
		nv := randomValue(rng, old)
		s.parent.Content[s.idx] = nv
		return fmt.Sprintf("replace value at %s: %s -> %s", s.path, short(old), short(nv))
	case 6: // wrap in a list
		if len(all) == 0 {
			return ""
		}
		s := all[rng.IntN(len(all))]
		s.parent.Content[s.idx] = seqOf(s.node())
		return "wrap in list at " + s.path
	case 7: // unwrap a list: its first item instead
		if len(seqs) == 0 {
			return ""
		}
		s := seqs[rng.IntN(len(seqs))]
		if len(s.node().Content) == 0 {
			return ""
		}
		s.parent.Content[s.idx] = s.node().Content[0]
		return "unwrap list at " + s.path
	case 8: // duplicate a workload
		if len(wls) == 0 {
			return ""
		}
		s := wls[rng.IntN(len(wls))]
		s.parent.Content = append(s.parent.Content, clone(s.node()))
		return "duplicate workload at " + s.path
	case 9: // move a key one level up or down
		if len(entries) == 0 {
			return ""
		}
		s := entries[rng.IntN(len(entries))]
		k, v := s.key(), s.node()
		if rng.IntN(2) == 0 {
			// down: into a sibling mapping
			var sib []int
			for i := 1; i < len(s.parent.Content); i += 2 {
				if i != s.idx && s.parent.Content[i].Kind == yaml.MappingNode {
					sib = append(sib, i)
				}
			}
			if len(sib) == 0 {
				return ""
			}
			to := s.parent.Content[sib[rng.IntN(len(sib))]]
			if kk, _ := task.Get(to, k.Value); kk != nil {
				return ""
			}
			s.parent.Content = append(s.parent.Content[:s.idx-1:s.idx-1], s.parent.Content[s.idx+1:]...)
			to.Content = append(to.Content, k, v)
			return fmt.Sprintf("move key down at %s: into %s", s.path, short(to))
		}
		// up: into the mapping that holds this one
		var up *yaml.Node
		for _, p := range all {
			if p.node() == s.parent && p.parent.Kind == yaml.MappingNode {
				up = p.parent
			}
		}
		if s.parent == root || up == nil {
			return ""
		}
		if kk, _ := task.Get(up, k.Value); kk != nil {
			return ""
		}
		s.parent.Content = append(s.parent.Content[:s.idx-1:s.idx-1], s.parent.Content[s.idx+1:]...)
		up.Content = append(up.Content, k, v)
		return "move key up at " + s.path
	case 10: // swap scenario names between workloads
		var names []*yaml.Node
		if v2 {
			for _, w := range wls {
				if _, sc := task.Get(w.node(), "scenario"); sc != nil && sc.Kind == yaml.MappingNode && len(sc.Content) > 0 {
					names = append(names, sc.Content[0])
				}
			}
		} else {
			names = task.Keys(root)
		}
		if len(names) < 2 {
			return ""
		}
		i, j := rng.IntN(len(names)), rng.IntN(len(names))
		if names[i].Value == names[j].Value {
			return ""
		}
		names[i].Value, names[j].Value = names[j].Value, names[i].Value
		return fmt.Sprintf("swap scenarios at %s: with %s", names[j].Value, names[i].Value)
	case 11: // another real scenario, same arguments
		var names []*yaml.Node
		if v2 {
			for _, w := range wls {
				if _, sc := task.Get(w.node(), "scenario"); sc != nil && sc.Kind == yaml.MappingNode && len(sc.Content) > 0 {
					names = append(names, sc.Content[0])
				}
			}
		} else {
			names = task.Keys(root)
		}
		if len(names) == 0 {
			return ""
		}
		n := names[rng.IntN(len(names))]
		old := n.Value
		n.Value = m.scenarios[rng.IntN(len(m.scenarios))]
		return fmt.Sprintf("change scenario at %s: to %s", old, n.Value)
	case 12: // another runner type, current or empty config
		w, p := pickWl()
		if w == nil {
			return ""
		}
		r := m.runners[rng.IntN(len(m.runners))].Name
		keep := rng.IntN(2) == 0
		_, rn := task.Get(w, "runner")
		if v2 {
			if rn == nil || rn.Kind != yaml.MappingNode || len(rn.Content) < 2 {
				setKey(w, "runner", mapOf(str2(r), mapOf()))
				return fmt.Sprintf("change runner at %s.runner: add %s", p, r)
			}
			rn.Content[0].Value = r
			if !keep {
				rn.Content[1] = mapOf()
			}
		} else {
			if rn == nil || rn.Kind != yaml.MappingNode {
				setKey(w, "runner", mapOf(str2("type"), str2(r)))
				return fmt.Sprintf("change runner at %s.runner: add %s", p, r)
			}
			if !keep {
				rn.Content = nil
			}
			setKey(rn, "type", str2(r))
		}
		return fmt.Sprintf("change runner at %s.runner: to %s (keep config %v)", p, r, keep)
	case 13: // add a context, SLA or hook from the catalog
		w, p := pickWl()
		if w == nil {
			return ""
		}
		var pl catalog.Plugin
		kind := rng.IntN(3)
		switch kind {
		case 0:
			pl = m.contexts[rng.IntN(len(m.contexts))]
		case 1:
			pl = m.slas[rng.IntN(len(m.slas))]
		default:
			pl = m.hookActions[rng.IntN(len(m.hookActions))]
		}
		cfg := randomConfig(rng, pl.Schema)
		if kind == 2 {
			tr := m.hookTrigs[rng.IntN(len(m.hookTrigs))]
			tcfg := randomConfig(rng, tr.Schema)
			var h *yaml.Node
			if v2 {
				h = mapOf(str2("action"), mapOf(str2(pl.Name), cfg), str2("trigger"), mapOf(str2(tr.Name), tcfg))
			} else {
				h = mapOf(str2("name"), str2(pl.Name), str2("args"), cfg, str2("trigger"), mapOf(str2("name"), str2(tr.Name), str2("args"), tcfg))
			}
			_, hs := task.Get(w, "hooks")
			if hs == nil || hs.Kind != yaml.SequenceNode {
				hs = seqOf()
				setKey(w, "hooks", hs)
			}
			hs.Content = append(hs.Content, h)
			return fmt.Sprintf("add hook at %s.hooks: %s %s / %s %s", p, pl.Name, short(cfg), tr.Name, short(tcfg))
		}
		key := "sla"
		if kind == 0 {
			key = "contexts"
			if !v2 {
				key = "context"
			}
		}
		_, c := task.Get(w, key)
		if c == nil || c.Kind != yaml.MappingNode {
			c = mapOf()
			setKey(w, key, c)
		}
		setKey(c, pl.Name, cfg)
		return fmt.Sprintf("add %s at %s.%s: %s %s", strings.TrimSuffix(key, "s"), p, key, pl.Name, short(cfg))
	case 14: // convert the format (v2 -> v1 or v1 -> v2)
		if v2 {
			if !toV1(root) {
				return ""
			}
			return "convert to v1 at .: "
		}
		toV2(root)
		return "convert to v2 at .: "
	case 16: // a plain scalar YAML 1.1 (PyYAML) and 1.2 read differently
		var scalars []site
		for _, s := range all {
			if s.node().Kind == yaml.ScalarNode {
				scalars = append(scalars, s)
			}
		}
		if len(scalars) == 0 {
			return ""
		}
		s := scalars[rng.IntN(len(scalars))]
		forms := []string{"yes", "No", "on", "OFF", "y", "1e3", "1.5e3", "012", "0o12", "0x1F", "0b11", "1_000", "1:30", "2020-01-01", "~", "Null", ".inf", ".NaN", "=", "+5", "1."}
		v := forms[rng.IntN(len(forms))]
		s.parent.Content[s.idx] = &yaml.Node{Kind: yaml.ScalarNode, Value: v} // no tag: written plain
		return fmt.Sprintf("yaml 1.1 scalar at %s: %s", s.path, v)
	case 17: // merge another mapping in with "<<: *anchor"
		var maps []site
		for _, s := range all {
			if s.node().Kind == yaml.MappingNode {
				maps = append(maps, s)
			}
		}
		if len(maps) < 2 {
			return ""
		}
		src, dst := maps[rng.IntN(len(maps))], maps[rng.IntN(len(maps))]
		if src.node() == dst.node() || strings.HasPrefix(dst.path, src.path) || strings.HasPrefix(src.path, dst.path) {
			return "" // an ancestor would make the tree recursive
		}
		if src.node().Anchor == "" {
			src.node().Anchor = fmt.Sprintf("a%d", rng.IntN(1000))
		}
		dst.node().Content = append(dst.node().Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "<<"},
			&yaml.Node{Kind: yaml.AliasNode, Value: src.node().Anchor, Alias: src.node()})
		return fmt.Sprintf("merge key at %s: <<: %s", dst.path, src.path)
	case 15: // duplicate a key with another value (PyYAML keeps the last)
		if len(entries) == 0 {
			return ""
		}
		s := entries[rng.IntN(len(entries))]
		k := clone(s.key())
		nv := randomValue(rng, s.node())
		s.parent.Content = append(s.parent.Content, k, nv)
		return fmt.Sprintf("duplicate key at %s: second value %s", s.path, short(nv))
	}
	return ""
}

// randomConfig is a plugin configuration: empty, a scalar, or one or two
// of the schema's properties with random (sometimes well-typed) values.
func randomConfig(rng *rand.Rand, schema json.RawMessage) *yaml.Node {
	var s struct {
		Properties map[string]struct {
			Type any `json:"type"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	_ = json.Unmarshal(schema, &s)
	switch rng.IntN(6) {
	case 0:
		return mapOf()
	case 1:
		return randomValue(rng, nil)
	}
	var names []string
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	cfg := mapOf()
	if rng.IntN(2) == 0 {
		names = append(names[:0:0], s.Required...)
	} else if len(names) > 0 {
		names = []string{names[rng.IntN(len(names))]}
	}
	for _, n := range names {
		var v *yaml.Node
		switch s.Properties[n].Type {
		case "integer":
			v = tagged("!!int", strconv.Itoa(rng.IntN(5)))
		case "number":
			v = tagged("!!float", "1.5")
		case "string":
			v = str2("x")
		case "boolean":
			v = tagged("!!bool", "true")
		default:
			v = randomValue(rng, nil)
		}
		if rng.IntN(4) == 0 {
			v = randomValue(rng, v)
		}
		setKey(cfg, n, v)
	}
	return cfg
}

// toV1 rewrites a v2 task in the v1 shape (false when a workload is not a
// mapping with a one-key scenario).
func toV1(root *yaml.Node) bool {
	out := mapOf()
	for _, s := range workloadsOf(root) {
		w := s.node()
		_, sc := task.Get(w, "scenario")
		if sc == nil || sc.Kind != yaml.MappingNode || len(sc.Content) != 2 {
			return false
		}
		e := mapOf()
		if sc.Content[1].Kind == yaml.MappingNode && len(sc.Content[1].Content) > 0 {
			setKey(e, "args", sc.Content[1])
		}
		if _, r := task.Get(w, "runner"); r != nil && r.Kind == yaml.MappingNode && len(r.Content) == 2 {
			rn := mapOf(str2("type"), str2(r.Content[0].Value))
			if r.Content[1].Kind == yaml.MappingNode {
				rn.Content = append(rn.Content, r.Content[1].Content...)
			}
			setKey(e, "runner", rn)
		}
		if _, c := task.Get(w, "contexts"); c != nil {
			setKey(e, "context", c)
		}
		if _, c := task.Get(w, "sla"); c != nil {
			setKey(e, "sla", c)
		}
		if _, hs := task.Get(w, "hooks"); hs != nil {
			l := seqOf()
			for _, h := range seqItems(hs) {
				_, a := task.Get(h, "action")
				_, tr := task.Get(h, "trigger")
				if a == nil || tr == nil || len(a.Content) != 2 || len(tr.Content) != 2 {
					return false
				}
				hv1 := mapOf(str2("name"), a.Content[0], str2("args"), a.Content[1],
					str2("trigger"), mapOf(str2("name"), tr.Content[0], str2("args"), tr.Content[1]))
				if _, d := task.Get(h, "description"); d != nil {
					setKey(hv1, "description", d)
				}
				l.Content = append(l.Content, hv1)
			}
			setKey(e, "hooks", l)
		}
		name := sc.Content[0].Value
		_, l := task.Get(out, name)
		if l == nil {
			l = seqOf()
			setKey(out, name, l)
		}
		l.Content = append(l.Content, e)
	}
	if len(out.Content) == 0 {
		return false
	}
	root.Content = out.Content
	return true
}

// toV2 rewrites a v1 task in the v2 shape.
func toV2(root *yaml.Node) {
	subs := seqOf()
	for i := 1; i < len(root.Content); i += 2 {
		name := root.Content[i-1].Value
		wls := seqOf()
		for _, w := range seqItems(root.Content[i]) {
			e := mapOf()
			args := mapOf()
			if _, a := task.Get(w, "args"); a != nil {
				args = a
			}
			setKey(e, "scenario", mapOf(str2(name), args))
			if _, r := task.Get(w, "runner"); r != nil && r.Kind == yaml.MappingNode {
				_, typ := task.Get(r, "type")
				cfg := mapOf()
				for j := 1; j < len(r.Content); j += 2 {
					if r.Content[j-1].Value != "type" {
						cfg.Content = append(cfg.Content, r.Content[j-1], r.Content[j])
					}
				}
				tn := "serial"
				if typ != nil {
					tn = typ.Value
				}
				setKey(e, "runner", mapOf(str2(tn), cfg))
			}
			if _, c := task.Get(w, "context"); c != nil {
				setKey(e, "contexts", c)
			}
			if _, c := task.Get(w, "sla"); c != nil {
				setKey(e, "sla", c)
			}
			if _, hs := task.Get(w, "hooks"); hs != nil {
				l := seqOf()
				for _, h := range seqItems(hs) {
					_, n := task.Get(h, "name")
					_, a := task.Get(h, "args")
					_, tr := task.Get(h, "trigger")
					_, tn := task.Get(tr, "name")
					_, ta := task.Get(tr, "args")
					if n == nil || tn == nil {
						continue
					}
					if a == nil {
						a = mapOf()
					}
					if ta == nil {
						ta = mapOf()
					}
					l.Content = append(l.Content, mapOf(str2("action"), mapOf(n, a), str2("trigger"), mapOf(tn, ta)))
				}
				setKey(e, "hooks", l)
			}
			wls.Content = append(wls.Content, e)
		}
		subs.Content = append(subs.Content, mapOf(str2("title"), str2(name), str2("workloads"), wls))
	}
	root.Content = []*yaml.Node{str2("version"), tagged("!!int", "2"), str2("title"), str2("converted from v1"), str2("subtasks"), subs}
}
