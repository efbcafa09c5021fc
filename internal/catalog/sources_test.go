package catalog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

// knownDiffs are the genuine differences between rally-openstack master and
// the installed 2.2.0 on scenarios both have, per "scenario field"; a
// difference not listed here, or a listed one that vanished, fails the test.
var knownDiffs = map[string]string{
	"CinderVolumes.create_and_attach_volume params":               "master added force_delete",
	"NovaServers.boot_server_from_volume params":                  "master added create_volume_kwargs",
	"NovaServers.boot_server_from_volume_and_delete params":       "master added create_volume_kwargs",
	"NovaServers.boot_server_from_volume_and_live_migrate params": "master added create_volume_kwargs",
	"NovaServers.boot_server_from_volume_snapshot params":         "master added create_volume_kwargs",
	"NovaServers.resize_server params":                            "master added confirm",
	"Dummy.openstack params":                                      "run() is inherited from rally core's Dummy, which is not in rally-openstack's tree (analysis limit)",
}

// knownDiffGroups covers whole families with one reason.
var knownDiffGroups = map[string]string{
	"GlanceImages. validators":  "master dropped the disk_format enum validator",
	"NeutronBGPVPN. validators": "master dropped the bgpvpn_type enum validator",
	"ManilaShares. validators":  "master builds the share_proto enum with list(utils.ShareProto), not statically evaluable",
}

func TestSourcesAgree(t *testing.T) {
	c := MustLoad()
	shared, seen := 0, map[string]bool{}
	for _, s := range c.Scenarios {
		if !s.HasSource(SourceInstalled) || !s.HasSource(SourceMaster) {
			continue
		}
		shared++
		for _, m := range s.MasterDiffers {
			f := m.Key
			key := s.Name + " " + f
			seen[key] = true
			if knownDiffs[key] != "" || knownDiffGroups[s.Group+". "+f] != "" {
				continue
			}
			t.Errorf("%s: master and installed disagree: installed %s, master %s", key, field(t, s, f), m.Value)
		}
	}
	for k := range knownDiffs {
		if !seen[k] {
			t.Errorf("listed difference %q no longer exists", k)
		}
	}
	if shared < 290 {
		t.Errorf("only %d scenarios shared by master and installed", shared)
	}
}

func field(t *testing.T, s Scenario, f string) string {
	b, _ := json.Marshal(s)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return string(m[f])
}

func TestCounts(t *testing.T) {
	c := MustLoad()
	dir := testcorpus.SharedDir(t)
	var labels struct {
		Meta map[string]any `yaml:"meta"`
	}
	readYAML(t, filepath.Join(dir, "corpus", "labels.yaml"), &labels)
	onlyMaster := strs(labels.Meta["rally_openstack_scenarios_only_at_head"])
	onlyInstalled := strs(labels.Meta["rally_openstack_scenarios_only_installed"])
	if len(onlyMaster) != 12 || len(onlyInstalled) != 18 {
		t.Fatalf("labels.yaml meta: %d only at master, %d only installed", len(onlyMaster), len(onlyInstalled))
	}
	var gotMaster, gotInstalled []string
	master := 0
	for _, s := range c.Scenarios {
		m, i := s.HasSource(SourceMaster), s.HasSource(SourceInstalled)
		if m {
			master++
		}
		if m && !i {
			gotMaster = append(gotMaster, s.Name)
		}
		if i && !m && strings.HasPrefix(s.Module, "rally_openstack.") {
			gotInstalled = append(gotInstalled, s.Name)
		}
	}
	if master != 310 {
		t.Errorf("master has %d scenarios, want 310", master)
	}
	eq(t, "only at master", gotMaster, onlyMaster)
	eq(t, "only installed", gotInstalled, onlyInstalled)
	if _, ok := c.ZuulJob("rally-task-at-devstack"); !ok {
		t.Error("zuul job rally-task-at-devstack missing")
	}
}

func eq(t *testing.T, what string, got, want []string) {
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s: catalog %v, labels.yaml %v", what, got, want)
	}
}

func strs(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestSampleAtomicTree: every atomic action real Rally 3.3.0 /
// rally-openstack 2.2.0 recorded, with the chain of actions open around it,
// is a path of the scenario's catalog tree — a top-level action at the top
// level, a nested one under its parent — and every action the run recorded
// at the top level is one TopLevelAtomics or a pattern names; a successful
// iteration recorded every action the tree has on no conditional path.
func TestSampleAtomicTree(t *testing.T) {
	c := MustLoad()
	dir := testcorpus.SharedDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "samples", "rally-results", "*.report.json"))
	if len(files) == 0 {
		t.Fatal("no sample reports")
	}
	checked, nested := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Tasks []struct {
				Subtasks []struct {
					Workloads []struct {
						Scenario map[string]any `json:"scenario"`
						Data     []struct {
							AtomicActions []atomicAction `json:"atomic_actions"`
							Error         []any          `json:"error"`
						} `json:"data"`
					} `json:"workloads"`
				} `json:"subtasks"`
			} `json:"tasks"`
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tk := range rep.Tasks {
			for _, st := range tk.Subtasks {
				for _, w := range st.Workloads {
					for name := range w.Scenario {
						s, ok := c.Scenario(name)
						if !ok {
							continue // a project's own plugin (PlacementCustom)
						}
						tree := s.AtomicTree
						if !s.HasSource(SourceInstalled) {
							tree = s.AtomicTreeMaster
						}
						for _, it := range w.Data {
							var chains [][]string
							chainsOf(it.AtomicActions, nil, &chains)
							for _, ch := range chains {
								if !HasPath(tree, ch) {
									t.Errorf("%s %s: recorded %s, not a path of the catalog tree %s",
										filepath.Base(f), name, strings.Join(ch, " > "), treeString(tree))
								}
								if len(ch) > 1 {
									nested++
								}
								if place, _ := s.AtomicPlace(ch[len(ch)-1]); len(ch) == 1 && place != AtomicTop {
									t.Errorf("%s %s: %s recorded at the top level, catalog says %s", filepath.Base(f), name, ch[0], place)
								}
							}
							// A successful iteration records every action
							// the catalog says each run records.
							if miss := MissingAlways(tree, chains); len(it.Error) == 0 && len(miss) > 0 {
								t.Errorf("%s %s: the catalog says every run records %q, this iteration did not (recorded %q)",
									filepath.Base(f), name, miss, chains)
							}
							checked++
						}
					}
				}
			}
		}
	}
	if checked == 0 || nested == 0 {
		t.Fatalf("checked %d iterations, %d nested actions: the samples no longer exercise the tree", checked, nested)
	}
}

// chainsOf lists, for every recorded action, the names from the top level
// down to it.
func chainsOf(l []atomicAction, above []string, out *[][]string) {
	for _, a := range l {
		ch := append(slices.Clone(above), a.Name)
		*out = append(*out, ch)
		chainsOf(a.Children, ch, out)
	}
}

func treeString(t []AtomicNode) string {
	var b strings.Builder
	b.WriteString("[")
	for i, n := range t {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(n.Name)
		if len(n.Children) > 0 {
			b.WriteString(treeString(n.Children))
		}
	}
	b.WriteString("]")
	return b.String()
}

// TestAtomicPlace: the glance image lifecycle's nested actions are nested,
// its top-level ones top, a made-up one never recorded, and a name built
// from task arguments matches its pattern.
func TestAtomicPlace(t *testing.T) {
	c := MustLoad()
	s, ok := c.Scenario("GlanceImages.create_and_list_image")
	if !ok {
		t.Fatal("GlanceImages.create_and_list_image not in the catalog")
	}
	for name, want := range map[string]string{
		"glance_v2.create_image": AtomicTop, "glance_v2.list_images": AtomicTop,
		"glance_v2.upload_data": AtomicNested, "glance_v2.get_image": AtomicNested,
		"glance_v1.create_image": AtomicTop, // image v1 cloud
		"glance_v2.delete_image": AtomicNever,
	} {
		if got, _ := s.AtomicPlace(name); got != want {
			t.Errorf("%s: place %s, want %s", name, got, want)
		}
	}
	if _, parent := s.AtomicPlace("glance_v2.upload_data"); parent != "glance_v2.create_image" {
		t.Errorf("upload_data: parent %q, want glance_v2.create_image", parent)
	}
	if got := s.TopLevelAtomics(); !slices.Equal(got, []string{"glance_v2.create_image", "glance_v2.list_images"}) {
		t.Errorf("TopLevelAtomics %v", got)
	}
	z, _ := c.Scenario("ZaqarBasic.producer_consumer")
	if got, _ := z.AtomicPlace("zaqar.post_between_5_and_10_messages"); got != AtomicTop {
		t.Errorf("zaqar.post_between_5_and_10_messages: %s, want top (pattern)", got)
	}
}

type atomicAction struct {
	Name     string         `json:"name"`
	Children []atomicAction `json:"children"`
}

// scenarioKey matches a scenario name used as a mapping key in a task file,
// v1 ("NovaServers.boot_server": [...]) or v2 (scenario: {Name: {...}}).
var scenarioKey = regexp.MustCompile(`(?m)^[\s{\[,-]*"?([A-Z][A-Za-z0-9]*\.[A-Za-z_][A-Za-z0-9_]*)"?\s*:`)

// TestCorpusScenariosKnown: every scenario the corpus' real task files use
// is in the catalog, except those labels.yaml says no Rally release has.
func TestCorpusScenariosKnown(t *testing.T) {
	c := MustLoad()
	dir := testcorpus.SharedDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "corpus", "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		t.Fatal(err)
	}
	foreign := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for i := 0; i+1 < len(n.Content); i++ {
			if n.Kind == yaml.MappingNode && i%2 == 0 && n.Content[i].Value == "scenarios_not_in_rally_or_rally_openstack" {
				for _, s := range n.Content[i+1].Content {
					foreign[s.Value] = true
				}
			}
		}
		for _, ch := range n.Content {
			walk(ch)
		}
	}
	walk(&root)
	files, _ := filepath.Glob(filepath.Join(dir, "corpus", "rally-tasks", "*"))
	used := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range scenarioKey.FindAllSubmatch(data, -1) {
			name := string(m[1])
			if foreign[name] {
				continue
			}
			used++
			if _, ok := c.Scenario(name); !ok {
				t.Errorf("%s: scenario %s is not in the catalog", filepath.Base(f), name)
			}
		}
	}
	if used < 500 || len(foreign) == 0 {
		t.Fatalf("only %d scenario uses found in %d files (%d foreign)", used, len(files), len(foreign))
	}
	t.Logf("%d scenario uses in %d task files, %d foreign names", used, len(files), len(foreign))
}
