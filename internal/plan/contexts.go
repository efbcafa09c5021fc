package plan

import (
	"encoding/json"
	"fmt"
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
