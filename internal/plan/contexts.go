package plan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
)

// perTenantCount is how many resources a pre-creating context makes per
// tenant (or per admin) for a listing workload to find.
const perTenantCount = 2

// addResourceContexts gives a workload that only lists (its top-level
// actions include a list_<resource> and no create_) the context that
// pre-creates those resources, as the services' own tasks do; without it
// the workload times an empty list. The context is found in the catalog:
// an openstack context named after the listed resource (optionally with
// the service prefix: manila.list_shares → manila_shares) whose schema has
// a <thing>_per_tenant (or _per_admin) count. Its required properties are
// filled the way required scenario arguments are.
func addResourceContexts(w *Workload, sc *catalog.Scenario, cat *catalog.Catalog) error {
	top := sc.TopLevelAtomics()
	var listed [][2]string // service, resource
	for _, a := range top {
		svc, action, ok := strings.Cut(a, ".")
		if !ok {
			continue
		}
		if strings.HasPrefix(action, "create_") || strings.HasPrefix(action, "boot_") {
			return nil // the workload makes what it lists
		}
		if res, ok := strings.CutPrefix(action, "list_"); ok {
			listed = append(listed, [2]string{apiSuffix().ReplaceAllString(svc, ""), res})
		}
	}
	for _, l := range listed {
		ctx, count := resourceContext(cat, l[0], l[1])
		if ctx == nil {
			continue
		}
		if _, ok := w.Contexts[ctx.Name]; ok {
			continue
		}
		cfg, err := contextConfig(ctx, count)
		if err != nil {
			return fmt.Errorf("%s: context %s: %v", sc.Name, ctx.Name, err)
		}
		w.Contexts[ctx.Name] = cfg
	}
	return nil
}

// contextSchema is the part of a context's CONFIG_SCHEMA the plan reads.
type contextSchema struct {
	Properties map[string]json.RawMessage `json:"properties"`
	Required   []string                   `json:"required"`
	OneOf      []struct {
		Required []string `json:"required"`
	} `json:"oneOf"`
}

// resourceContext finds the context that pre-creates resource res of
// service svc, and its per-tenant count property.
func resourceContext(cat *catalog.Catalog, svc, res string) (*catalog.Plugin, string) {
	want := map[string]bool{norm(res): true, norm(svc + res): true}
	for i := range cat.Contexts {
		c := &cat.Contexts[i]
		if c.Platform != "openstack" || c.Hidden || !want[norm(c.Name)] ||
			!c.HasSource(catalog.SourceInstalled) || !c.HasSource(catalog.SourceMaster) {
			continue
		}
		var s contextSchema
		if json.Unmarshal(c.Schema, &s) != nil {
			continue
		}
		for k := range s.Properties {
			if strings.HasSuffix(k, "_per_tenant") || strings.HasSuffix(k, "_per_admin") {
				return c, k
			}
		}
	}
	return nil, ""
}

// contextConfig configures a pre-creating context: count resources, every
// required property (of the first oneOf alternative too) filled.
func contextConfig(c *catalog.Plugin, count string) (map[string]any, error) {
	if def, ok := contextDefaults()[c.Name].(map[string]any); ok {
		out := map[string]any{}
		for k, v := range def {
			out[k] = v
		}
		if _, ok := out[count]; !ok {
			out[count] = perTenantCount
		}
		return out, nil
	}
	var s contextSchema
	if err := json.Unmarshal(c.Schema, &s); err != nil {
		return nil, err
	}
	req := append([]string{}, s.Required...)
	if len(s.OneOf) > 0 {
		req = append(req, s.OneOf[0].Required...)
	}
	out := map[string]any{count: perTenantCount}
	for _, k := range req {
		if _, ok := out[k]; ok {
			continue
		}
		v, ok := fillRequired(k)
		if !ok {
			return nil, fmt.Errorf("no value for required property %q", k)
		}
		out[k] = v
	}
	return out, nil
}

// resourceNeeds gives a workload the type or network its resource needs.
// What a resource needs is catalog knowledge: the properties of the context
// that pre-creates it whose names say type or network (manila_shares:
// share_type). The value is the one the parent job's own task passes the
// same scenario, or another scenario of its group (rally-task-manila-no-ss
// creates shares with share_type dhss_false: the share type its DevStack
// defines). It becomes a task variable (so a cloud with other types is
// one --task-args away), passed to a scenario that accepts it and set in
// the pre-creating context the workload uses.
func resourceNeeds(w *Workload, sc *catalog.Scenario, cat *catalog.Catalog, parent *catalog.ZuulJob, vars map[string]string) {
	if parent == nil || len(parent.TaskArgs) == 0 {
		return
	}
	params := map[string]bool{}
	for _, p := range sc.Params {
		params[p.Name] = true
	}
	for _, a := range sc.TopLevelAtomics() {
		svc, action, ok := strings.Cut(a, ".")
		if !ok {
			continue
		}
		_, res, ok := strings.Cut(action, "_")
		if !ok {
			continue
		}
		ctx, _ := resourceContext(cat, apiSuffix().ReplaceAllString(svc, ""), res)
		if ctx == nil {
			continue
		}
		var s contextSchema
		if json.Unmarshal(ctx.Schema, &s) != nil {
			continue
		}
		for _, prop := range sortedKeys(s.Properties) {
			if !strings.HasSuffix(prop, "type") && !strings.Contains(prop, "network") {
				continue
			}
			val, ok := parentArg(parent, sc, prop)
			if !ok {
				continue
			}
			name := prop
			if !strings.Contains(name, "_") {
				name = strings.TrimSuffix(res, "s") + "_" + prop
			}
			vars[name] = val
			if (params[prop] || sc.Kwargs) && strings.HasPrefix(action, "create_") {
				if _, set := w.Args[prop]; !set {
					w.Args[prop] = v(name)
				}
			}
			if cfg, ok := w.Contexts[ctx.Name].(map[string]any); ok {
				if _, set := cfg[prop]; !set {
					cfg[prop] = v(name)
				}
			}
		}
	}
}

// parentArg is the string value the parent job's task gives argument arg of
// the scenario, or of another scenario of the same group.
func parentArg(parent *catalog.ZuulJob, sc *catalog.Scenario, arg string) (string, bool) {
	get := func(name string) (string, bool) {
		o, ok := parent.TaskArgs.Get(name).(catalog.Object)
		if !ok {
			return "", false
		}
		s, ok := o.Get(arg).(string)
		return s, ok && s != ""
	}
	if s, ok := get(sc.Name); ok {
		return s, true
	}
	for _, m := range parent.TaskArgs {
		if strings.HasPrefix(m.Key, sc.Group+".") {
			if s, ok := get(m.Key); ok {
				return s, true
			}
		}
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
