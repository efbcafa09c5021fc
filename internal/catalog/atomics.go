package catalog

import (
	"path"
	"slices"
)

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

// AlwaysAtomics are the names of Atomics that every run of the scenario
// records, whatever its arguments, on the current API versions: those the
// tree has on a path without a conditional action. The others may or may
// not be recorded, as the arguments, the contexts and the cloud decide.
func (s *Scenario) AlwaysAtomics() []string {
	always := map[string]bool{}
	var walk func(l []AtomicNode)
	walk = func(l []AtomicNode) {
		for _, n := range l {
			if n.Conditional {
				continue
			}
			always[n.Name] = true
			walk(n.Children)
		}
	}
	walk(s.AtomicTree)
	out := []string{}
	for _, a := range s.Atomics {
		if always[a] {
			out = append(out, a)
		}
	}
	return out
}

// MissingAlways lists, as chains of names from the top level down, the
// actions of tree that every run records (no conditional action on their
// way up) and that are not among the recorded chains (each recorded name
// matched against a node's name or pattern).
func MissingAlways(tree []AtomicNode, recorded [][]string) [][]string {
	var out [][]string
	var walk func(l []AtomicNode, path []*AtomicNode)
	walk = func(l []AtomicNode, path []*AtomicNode) {
		for i := range l {
			if l[i].Conditional {
				continue
			}
			p := append(slices.Clone(path), &l[i])
			if !slices.ContainsFunc(recorded, func(r []string) bool { return chainMatches(p, r) }) {
				ch := make([]string, len(p))
				for j, n := range p {
					ch[j] = n.Name
				}
				out = append(out, ch)
			}
			walk(l[i].Children, p)
		}
	}
	walk(tree, nil)
	return out
}

// chainMatches: the recorded chain names the nodes of path, in order.
func chainMatches(path []*AtomicNode, chain []string) bool {
	if len(path) != len(chain) {
		return false
	}
	for i, n := range path {
		if !n.matches(chain[i]) {
			return false
		}
	}
	return true
}
