package catalog

import "path"

// Where a scenario records an atomic action, as Scenario.AtomicPlace says.
const (
	// AtomicNever: no tree of the scenario has the name.
	AtomicNever = "never"
	// AtomicNested: recorded only while another action is open; Rally's
	// max_avg_duration_per_atomic reports it as 0.00 s and never fails.
	AtomicNested = "nested"
	// AtomicTop: recorded at the top level, where Rally's SLA sees it.
	AtomicTop = "top"
)

// trees are every tree the catalog knows for the scenario: current API
// versions (installed, then master), then the other versions.
func (s *Scenario) trees() [][]AtomicNode {
	out := [][]AtomicNode{s.AtomicTree}
	if s.AtomicTreeMaster != nil {
		out = append(out, s.AtomicTreeMaster)
	}
	for _, v := range s.AtomicTreeByVersion {
		out = append(out, v.Tree)
	}
	return out
}

// TopLevelAtomics are the names of the actions the scenario records at
// the top level on the current API versions, in call order: the only ones
// a max_avg_duration_per_atomic budget can check. Names shaped by task
// arguments are given as recorded with run()'s defaults.
func (s *Scenario) TopLevelAtomics() []string {
	out := make([]string, 0, len(s.AtomicTree))
	for _, n := range s.AtomicTree {
		out = append(out, n.Name)
	}
	return out
}

// AtomicPlace says where the scenario records the atomic action name, over
// every API version and both sources: AtomicTop when some tree has it at
// the top level, else AtomicNested with the parent it is recorded in,
// else AtomicNever. A scenario without any tree (its run() could not be
// analysed) answers AtomicTop: nothing is known against the name.
func (s *Scenario) AtomicPlace(name string) (place, parent string) {
	known := false
	for _, t := range s.trees() {
		if len(t) > 0 {
			known = true
		}
		for _, n := range t {
			if n.matches(name) {
				return AtomicTop, ""
			}
		}
	}
	if !known {
		return AtomicTop, ""
	}
	for _, t := range s.trees() {
		for _, n := range t {
			if p := n.parentOf(name); p != "" {
				return AtomicNested, p
			}
		}
	}
	return AtomicNever, ""
}

func (n *AtomicNode) matches(name string) bool {
	if n.Name == name {
		return true
	}
	if n.Pattern == "" {
		return false
	}
	ok, err := path.Match(n.Pattern, name)
	return err == nil && ok
}

// parentOf is the name of the action under n (n included) that directly
// contains name, or "".
func (n *AtomicNode) parentOf(name string) string {
	for i := range n.Children {
		if n.Children[i].matches(name) {
			return n.Name
		}
		if p := n.Children[i].parentOf(name); p != "" {
			return p
		}
	}
	return ""
}

// HasPath reports whether the tree has the chain of names from the top
// level down (each matching a node's name or pattern).
func HasPath(tree []AtomicNode, chain []string) bool {
	if len(chain) == 0 {
		return true
	}
	for i := range tree {
		if tree[i].matches(chain[0]) && HasPath(tree[i].Children, chain[1:]) {
			return true
		}
	}
	return false
}

// PollTimeout is the timeout, in seconds, of the poll inside the top-level
// action name on the current API versions (0 when it polls nothing): the
// longest the action takes without failing the iteration.
func (s *Scenario) PollTimeout(name string) float64 {
	for _, n := range s.AtomicTree {
		if n.Name == name {
			return n.Timeout
		}
	}
	return 0
}
