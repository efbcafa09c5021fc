package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/servicetypes"
	"github.com/spf13/cobra"
)

func init() { register("catalog", newCatalogCmd) }

func newCatalogCmd() *cobra.Command {
	var service, kind string
	cmd := &cobra.Command{
		Use:   "catalog [QUERY]",
		Short: "Browse the embedded Rally plugin catalog",
		Long: `Lists Rally and rally-openstack plugins whose name contains QUERY; an exact
name shows its details (parameters, validators, atomic actions, schema).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := formatFlag(cmd, "text", "json")
			if err != nil {
				return err
			}
			if kind != "" && !slices.Contains(catalog.Kinds, kind) {
				return usageErr("--kind %q: want one of %v", kind, catalog.Kinds)
			}
			if service != "" {
				if _, ok := servicetypes.ByType(service); !ok {
					return usageErr("--service %q: not a service type of the service-types authority (compute, identity, image, ...)", service)
				}
			}
			c, err := catalog.Load()
			if err != nil {
				return err
			}
			q := ""
			if len(args) == 1 {
				q = args[0]
			}
			hits := c.Search(q, kind, service)
			var exact []catalog.Entry
			for _, h := range hits {
				if h.Plugin.Name == q {
					exact = append(exact, h)
				}
			}
			out := cmd.OutOrStdout()
			if len(exact) > 0 {
				hits = exact
			}
			if format == "json" {
				var l []any
				for _, h := range hits {
					if h.Scenario != nil {
						l = append(l, map[string]any{"kind": h.Kind, "plugin": h.Scenario})
					} else {
						l = append(l, map[string]any{"kind": h.Kind, "plugin": h.Plugin})
					}
				}
				return jsonout.Write(out, l)
			}
			if len(exact) == 0 {
				for _, h := range hits {
					fmt.Fprintf(out, "%-13s %-60s %s\n", h.Kind, h.Plugin.Name, h.Plugin.Doc)
				}
				return nil
			}
			for _, h := range exact {
				p := h.Plugin
				fmt.Fprintf(out, "%s %s (platform %s, sources %s)\n  %s\n", h.Kind, p.Name, p.Platform, strings.Join(p.Sources, ","), p.Doc)
				if s := h.Scenario; s != nil {
					fmt.Fprintf(out, "  service type: %s\n  parameters:\n", s.ServiceType)
					for _, a := range s.Params {
						d := "required"
						if !a.Required {
							d = "default " + string(a.Default)
						}
						fmt.Fprintf(out, "    %-24s %s\n", a.Name, d)
					}
					if s.Kwargs {
						fmt.Fprintln(out, "    **kwargs")
					}
					for _, v := range s.Validators {
						a, _ := json.Marshal(v.Args)
						fmt.Fprintf(out, "  validator %s %s\n", v.Name, a)
					}
					fmt.Fprintf(out, "  atomics: %s\n", strings.Join(s.Atomics, ", "))
					if len(s.AtomicsMaster) > 0 {
						fmt.Fprintf(out, "  atomics at master: %s\n", strings.Join(s.AtomicsMaster, ", "))
					}
					if len(s.AtomicTree) > 0 {
						// What an SLA can budget: the top level only.
						fmt.Fprintln(out, "  atomic tree (max_avg_duration_per_atomic sees the top level):")
						printTree(out, s.AtomicTree, "    ")
					}
					if len(s.DefaultContext) > 0 {
						d, _ := json.Marshal(s.DefaultContext)
						fmt.Fprintf(out, "  default context: %s\n", d)
					}
				}
				if len(p.Schema) > 0 {
					fmt.Fprintf(out, "  schema: %s\n", p.Schema)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&service, "service", "", "only scenarios for this service type (compute, identity, ...)")
	cmd.Flags().StringVar(&kind, "kind", "", "scenario|context|runner|sla|hook")
	return cmd
}

// printTree prints a scenario's atomic action tree, one action a line,
// children indented under their parent.
func printTree(w io.Writer, l []catalog.AtomicNode, indent string) {
	for _, n := range l {
		line := indent + n.Name
		if n.Pattern != "" {
			line += " (" + n.Pattern + ")"
		}
		if n.Timeout > 0 {
			line += fmt.Sprintf(" [polls up to %g s]", n.Timeout)
		}
		if n.Conditional {
			line += " [only under a condition]"
		}
		fmt.Fprintln(w, line)
		printTree(w, n.Children, indent+"  ")
	}
}
