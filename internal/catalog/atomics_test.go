package catalog

import (
	"slices"
	"testing"
)

// TestConditionalAtomics: an action timed only under a condition run()'s
// code decides at run time (an if on an argument, a context or what the
// cloud returns) is marked conditional in the tree and is not among the
// actions every run records; those the scenario times whatever its
// arguments are. The cases are the ones a real run of the generated
// network task showed: its smoke arguments never trigger them.
func TestConditionalAtomics(t *testing.T) {
	c := MustLoad()
	for _, tc := range []struct {
		scenario    string
		always      []string
		conditional []string
	}{
		// create_subnet adds a router interface only when given a router.
		{"NeutronNetworks.create_and_list_subnets",
			[]string{"neutron.create_network", "neutron.create_subnet", "neutron.list_subnets"},
			[]string{"neutron.add_interface_router"}},
		// ... and its network comes from the network context when a task
		// sets one (_get_or_create_network).
		{"NeutronNetworks.create_and_delete_subnets",
			[]string{"neutron.create_subnet", "neutron.delete_subnet"},
			[]string{"neutron.add_interface_router", "neutron.create_network"}},
		// create_router lists external networks only with discover_external_gw.
		{"NeutronNetworks.create_and_list_routers",
			[]string{"neutron.create_network", "neutron.create_router", "neutron.create_subnet", "neutron.list_routers"},
			[]string{"neutron.list_networks"}},
		{"NeutronNetworks.create_and_delete_routers",
			[]string{"neutron.create_router", "neutron.delete_router"},
			[]string{"neutron.list_networks"}},
		// delete_port detaches a router's own port instead of deleting it.
		{"NeutronNetworks.create_and_delete_ports",
			[]string{"neutron.create_port", "neutron.delete_port"},
			[]string{"neutron.remove_gateway_router", "neutron.remove_interface_router", "neutron.create_network"}},
	} {
		s, ok := c.Scenario(tc.scenario)
		if !ok {
			t.Errorf("%s not in the catalog", tc.scenario)
			continue
		}
		always := s.AlwaysAtomics()
		for _, a := range tc.always {
			if !slices.Contains(always, a) {
				t.Errorf("%s: %s is recorded on every run, AlwaysAtomics %q lacks it", tc.scenario, a, always)
			}
		}
		for _, a := range tc.conditional {
			if slices.Contains(always, a) {
				t.Errorf("%s: %s is recorded only under a condition, AlwaysAtomics %q has it", tc.scenario, a, always)
			}
			if !slices.Contains(s.Atomics, a) {
				t.Errorf("%s: %s is still one the scenario may record, Atomics %q lacks it", tc.scenario, a, s.Atomics)
			}
			if n := findNode(s.AtomicTree, a); n == nil || !n.Conditional {
				t.Errorf("%s: %s not marked conditional in the tree %s", tc.scenario, a, treeString(s.AtomicTree))
			}
		}
	}
	// A scenario without a branch records all it may record.
	s, _ := c.Scenario("KeystoneBasic.create_delete_user")
	if got := s.AlwaysAtomics(); !slices.Equal(got, s.Atomics) || len(got) == 0 {
		t.Errorf("KeystoneBasic.create_delete_user: AlwaysAtomics %q, Atomics %q", got, s.Atomics)
	}
}

// TestMissingAlways: the chains of unconditional actions a recorded tree
// lacks, patterns matched.
func TestMissingAlways(t *testing.T) {
	tree := []AtomicNode{
		{Name: "a.create", Children: []AtomicNode{{Name: "a.get"}, {Name: "a.attach", Conditional: true}}},
		{Name: "a.post_1_msgs", Pattern: "a.post_*_msgs"},
		{Name: "a.cleanup", Conditional: true, Children: []AtomicNode{{Name: "a.delete"}}},
	}
	got := MissingAlways(tree, [][]string{{"a.create"}, {"a.post_7_msgs"}})
	if len(got) != 1 || !slices.Equal(got[0], []string{"a.create", "a.get"}) {
		t.Errorf("MissingAlways %q, want [[a.create a.get]]", got)
	}
	if got := MissingAlways(tree, [][]string{{"a.create"}, {"a.create", "a.get"}, {"a.post_1_msgs"}}); len(got) != 0 {
		t.Errorf("MissingAlways %q, want none", got)
	}
}

func findNode(tree []AtomicNode, name string) *AtomicNode {
	for i := range tree {
		if tree[i].Name == name {
			return &tree[i]
		}
		if n := findNode(tree[i].Children, name); n != nil {
			return n
		}
	}
	return nil
}
