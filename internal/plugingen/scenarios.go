package plugingen

import (
	"fmt"
	"slices"
	"strings"
)

// gen writes the body of one scenario's run(), recording the atomic
// actions in the order they run.
type gen struct {
	p     *Suite
	lines []string
	at    []string
	vars  map[string]string // Resource.Name -> variable holding its id
	admin bool
	users bool
	clean map[bool][]string // admin? -> cleanup names
	found map[string]bool   // Existing.Param values already found
	// services: clients of other services listed; serial: why the
	// workload runs one iteration at a time ("" when it need not).
	services []string
	serial   string
}

func (g *gen) line(ind, f string, a ...any) { g.lines = append(g.lines, ind+fmt.Sprintf(f, a...)) }

func (g *gen) atomic(name string) {
	if !slices.Contains(g.at, name) {
		g.at = append(g.at, name)
	}
}

func (p *Suite) resource(name string) *Resource {
	for _, r := range p.Resources {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func (g *gen) uses(r *Resource) {
	if r.Admin {
		g.admin = true
	} else {
		g.users = true
	}
	if r.Cleanup {
		n := g.p.AtomicPrefix + "." + r.Plural
		if !slices.Contains(g.clean[r.Admin], n) {
			g.clean[r.Admin] = append(g.clean[r.Admin], n)
		}
	}
}

// args are the keyword arguments of a call on r: its parents' ids (path
// ones only unless all), then its own id.
func (g *gen) args(r *Resource, all, own bool) string {
	var out []string
	for _, d := range r.Parents {
		if all || d.InPath {
			out = append(out, d.Param+"="+g.vars[d.Resource])
		}
	}
	if all {
		for _, e := range r.Existing {
			out = append(out, e.Param+"="+e.Param)
		}
	}
	if own {
		out = append(out, r.IDParam+"="+g.vars[r.Name])
	}
	return strings.Join(out, ", ")
}

// within creates r (its parents first), runs inner (nil: delete right
// away) and deletes what it created, innermost first, even on failure.
func (g *gen) within(r *Resource, ind string, inner func(ind string)) {
	for _, e := range r.Existing {
		if g.found[e.Param] {
			continue
		}
		g.found[e.Param] = true
		// Listed with the admin's client (a service list is an
		// admin API), untimed: it measures the other service.
		g.line(ind, "%s = self.%s()", e.Param, e.Method())
		g.admin = true
		if e.Validated && !slices.Contains(g.services, e.Client) {
			g.services = append(g.services, e.Client)
		}
		// The cloud may have a single such object, and two live
		// resources cannot both be named after it.
		g.serial = fmt.Sprintf("one iteration at a time: each %s is named after a %s of %s's %s list, and a cloud may have only one",
			r.Human, e.Attr, e.Client, strings.TrimSuffix(e.Collection, "s"))
	}
	g.withParents(r, 0, ind, func(ind string) {
		g.uses(r)
		v := r.Name + "_id"
		g.vars[r.Name] = v
		g.line(ind, "%s = self._create_%s(%s)", v, r.Name, g.args(r, true, false))
		g.atomic(g.p.AtomicPrefix + ".create_" + r.Name)
		if inner == nil {
			g.line(ind, "self._delete_%s(%s)", r.Name, g.args(r, false, true))
			g.atomic(g.p.AtomicPrefix + ".delete_" + r.Name)
			return
		}
		g.line(ind, "try:")
		inner(ind + "    ")
		g.line(ind, "finally:")
		g.line(ind+"    ", "self._delete_%s(%s)", r.Name, g.args(r, false, true))
		g.atomic(g.p.AtomicPrefix + ".delete_" + r.Name)
	})
}

func (g *gen) withParents(r *Resource, i int, ind string, inner func(ind string)) {
	if i == len(r.Parents) {
		inner(ind)
		return
	}
	d := r.Parents[i]
	if _, done := g.vars[d.Resource]; done {
		g.withParents(r, i+1, ind, inner)
		return
	}
	parent := g.p.resource(d.Resource)
	g.within(parent, ind, func(ind string) { g.withParents(r, i+1, ind, inner) })
}

func (p *Suite) newGen() *gen {
	return &gen{p: p, vars: map[string]string{}, clean: map[bool][]string{}, found: map[string]bool{}}
}

func (p *Suite) add(g *gen, kind, method, res, doc string) {
	for _, s := range p.Scenarios {
		if s.Name == p.Group+"."+method {
			p.Skipped = append(p.Skipped, Skip{Resource: res, Reason: "scenario " + method + " already generated from another operation"})
			return
		}
	}
	p.Scenarios = append(p.Scenarios, Scenario{
		Name: p.Group + "." + method, Class: camel(method), Kind: kind, Resource: res,
		Atomics: g.at, Doc: doc, Admin: g.admin, Users: g.users || !g.admin,
		UserCleanup: g.clean[false], AdminCleanup: g.clean[true], Lines: g.lines,
		Services: g.services, Why: g.serial, Concurrency: map[bool]int{true: 1}[g.serial != ""],
	})
}

// scenarios adds the scenarios of every resource and action.
func (b *builder) scenarios() {
	p := b.p
	const ind = "        "
	for _, r := range p.Resources {
		if r.List != nil && !slices.ContainsFunc(r.Parents, func(d Dep) bool { return d.InPath }) {
			g := p.newGen()
			g.uses(r)
			g.clean = map[bool][]string{}
			g.line(ind, "self._list_%s()", r.Plural)
			g.atomic(p.AtomicPrefix + ".list_" + r.Plural)
			p.add(g, "list", "list_"+r.Plural, r.Name, fmt.Sprintf("List %s.", human(r.Plural)))
		}
		if !r.Creatable() {
			continue
		}
		needs := ""
		if len(r.Parents) > 0 {
			var ps []string
			for _, d := range r.Parents {
				ps = append(ps, "a "+human(d.Resource))
			}
			needs = fmt.Sprintf("\n\n        It needs %s, created first and deleted last.", strings.Join(ps, " and "))
		}
		g := p.newGen()
		g.within(r, ind, nil)
		p.add(g, "create_and_delete", "create_and_delete_"+r.Name, r.Name,
			fmt.Sprintf("Create a %s and delete it.%s", r.Human, needs))
		if r.List != nil {
			g := p.newGen()
			g.within(r, ind, func(ind string) {
				g.line(ind, "self._list_%s(%s)", r.Plural, g.args(r, false, false))
				g.atomic(p.AtomicPrefix + ".list_" + r.Plural)
			})
			p.add(g, "create_and_list", "create_and_list_"+r.Plural, r.Name,
				fmt.Sprintf("Create a %s, list %s, delete it.%s", r.Human, human(r.Plural), needs))
		}
		if r.Show != nil {
			g := p.newGen()
			g.within(r, ind, func(ind string) {
				g.line(ind, "self._show_%s(%s)", r.Name, g.args(r, false, true))
				g.atomic(p.AtomicPrefix + ".show_" + r.Name)
			})
			p.add(g, "create_and_show", "create_and_show_"+r.Name, r.Name,
				fmt.Sprintf("Create a %s, show it, delete it.%s", r.Human, needs))
		}
	}
	for _, a := range p.Actions {
		g := p.newGen()
		if a.Call.Admin {
			g.admin = true
		} else {
			g.users = true
		}
		if a.On == "" {
			g.line(ind, "self._%s()", a.Name)
			g.atomic(a.Atomic)
			p.add(g, "action", a.Name, "", fmt.Sprintf("%s.\n\n%s %s", sentence(a.Human), a.Call.Verb, a.Call.Path))
			continue
		}
		r := p.resource(a.On)
		g.within(r, ind, func(ind string) {
			g.line(ind, "self._%s(%s)", a.Name, g.args(r, false, true))
			g.atomic(a.Atomic)
		})
		method := "create_" + r.Name + "_and_" + a.Name
		if strings.Contains(a.Name, r.Name) {
			method = "create_and_" + a.Name
		}
		p.add(g, "action", method, r.Name,
			fmt.Sprintf("Create a %s, %s, delete it.\n\n%s %s", r.Human, a.Human, a.Call.Verb, a.Call.Path))
	}
}

func human(s string) string { return strings.ReplaceAll(s, "_", " ") }

func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
