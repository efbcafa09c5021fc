// Package scaffold renders a plan into the rally-jobs/ tree (from embedded
// templates) and writes it, with the rules every init obeys: --dry-run
// shows a unified diff and writes nothing, a second run changes nothing,
// and a file the user wrote or edited is never overwritten without --force.
package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/rallyforge/rallyforge/internal/plan"
	"go.yaml.in/yaml/v3"
)

//go:embed templates/*.tmpl
var templatesFS embed.FS

// Parsed on first use: start-up time counts for every command.
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"base":      path.Base,
		"underline": func(s, c string) string { return strings.Repeat(c, len([]rune(s))) },
	}).ParseFS(templatesFS, "templates/*.tmpl"))
})

// File is one rendered file (content without the generated-by marker).
type File struct {
	Path    string // relative, slash-separated
	Content []byte
	Mode    uint32
	// By is the rallyforge command that generated the file, named in its
	// marker ("init" when empty).
	By string
}

// Render produces the rally-jobs/ files of a plan.
func Render(p *plan.Plan) ([]File, error) {
	if p.TaskKept {
		// The repository's Rally jobs run their own task: it stays theirs.
		return renderTree(p, nil)
	}
	return renderTree(p, []File{{Path: p.TaskFile, Content: []byte(RenderTask(p)), Mode: 0o644}})
}

// RenderGenerated produces the rally-jobs/ files of a plan whose task and
// scenario plugins were generated from the API reference (gen): the same
// README, plugins/ and extra/ files as any init writes, around them.
func RenderGenerated(p *plan.Plan, gen []File) ([]File, error) {
	return renderTree(p, gen)
}

// renderTree renders the README, plugins/ and extra/ files of a plan
// around its task files.
func renderTree(p *plan.Plan, task []File) ([]File, error) {
	var files []File
	add := func(rel, name string) error {
		var b bytes.Buffer
		if err := tmpl().ExecuteTemplate(&b, name, p); err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		files = append(files, File{Path: rel, Content: b.Bytes(), Mode: 0o644})
		return nil
	}
	if err := add("rally-jobs/README.rst", "README.rst.tmpl"); err != nil {
		return nil, err
	}
	files = append(files, task...)
	for _, t := range [][2]string{
		{"rally-jobs/plugins/__init__.py", "plugins_init.py.tmpl"},
		{"rally-jobs/plugins/README.rst", "plugins_README.rst.tmpl"},
		{"rally-jobs/extra/README.rst", "extra_README.rst.tmpl"},
	} {
		if err := add(t[0], t[1]); err != nil {
			return nil, err
		}
	}
	for _, x := range p.ExtraFiles {
		if err := add("rally-jobs/extra/"+x, x+".tmpl"); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// RenderTask writes the plan's Rally task: v2 format, a Jinja2 header whose
// variables task args can override, one subtask per resource.
func RenderTask(p *plan.Plan) string {
	var b strings.Builder
	for _, v := range p.Vars {
		fmt.Fprintf(&b, "{%% set %s = %s or %s %%}\n", v.Name, v.Name, jinjaString(v.Default))
	}
	b.WriteString("---\n")
	b.WriteString("version: 2\n")
	fmt.Fprintf(&b, "title: %s\n", scalar(p.Title))
	fmt.Fprintf(&b, "description: %s\n", scalar(p.Description))
	b.WriteString("subtasks:\n")
	for _, st := range p.Subtasks {
		fmt.Fprintf(&b, "  - title: %s\n", scalar(st.Title))
		b.WriteString("    workloads:\n")
		for _, w := range st.Workloads {
			const ind = "        "
			first := true
			item := func(key string) {
				if first {
					b.WriteString("      - ")
					first = false
				} else {
					b.WriteString(ind)
				}
				b.WriteString(key)
			}
			if w.Description != "" {
				item("description: " + scalar(w.Description) + "\n")
			}
			item("scenario:\n")
			if len(w.Args) == 0 {
				fmt.Fprintf(&b, "%s  %s: {}\n", ind, w.Scenario)
			} else {
				fmt.Fprintf(&b, "%s  %s:\n", ind, w.Scenario)
				emit(&b, w.Args, len(ind)+4)
			}
			item("runner:\n")
			fmt.Fprintf(&b, "%s  %s:\n%s    times: %d\n%s    concurrency: %d\n", ind, w.Runner.Type, ind, w.Runner.Times, ind, w.Runner.Concurrency)
			if len(w.Contexts) > 0 {
				item("contexts:\n")
				emitOrdered(&b, w.Contexts, len(ind)+2, []string{"users"})
			}
			item("sla:\n")
			fmt.Fprintf(&b, "%s  failure_rate:\n%s    max: %s\n", ind, ind, num(w.SLA.FailureRateMax))
			if len(w.SLA.PerAtomic) > 0 {
				fmt.Fprintf(&b, "%s  max_avg_duration_per_atomic:\n", ind)
				for _, a := range w.SLA.PerAtomic {
					fmt.Fprintf(&b, "%s    %s: %s\n", ind, scalar(a.Atomic), num(a.Seconds))
				}
			}
		}
	}
	return b.String()
}

// jinjaString quotes a default for the Jinja2 header (a Python-like
// string literal; JSON's escaping is a subset Jinja2 reads the same).
func jinjaString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// scalar writes a string plain when YAML reads it back unchanged as a
// string, else double-quoted.
func scalar(s string) string {
	if s != "" && !yaml11Special(s) && !strings.ContainsAny(s, "#{}[]&*!|>'\"%@`\n\\") && !strings.Contains(s, ": ") &&
		!strings.HasPrefix(s, "- ") && !strings.HasPrefix(s, "? ") && !strings.HasSuffix(s, ":") {
		var v any
		if err := yaml.Unmarshal([]byte(s), &v); err == nil {
			if str, ok := v.(string); ok && str == s {
				return s
			}
		}
	}
	q, _ := json.Marshal(s)
	return string(q)
}

// yaml11Special reports strings PyYAML (YAML 1.1, what Rally uses) would
// not read as the same plain string: booleans like "yes"/"on", nulls, and
// anything starting like a number or date.
func yaml11Special(s string) bool {
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "on", "off", "true", "false", "null", "~":
		return true
	}
	c := s[0]
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == ' ' || s[len(s)-1] == ' '
}

func emit(b *strings.Builder, m map[string]any, indent int) { emitOrdered(b, m, indent, nil) }

// emitOrdered writes a mapping in block style; keys in first come first,
// the rest sorted.
func emitOrdered(b *strings.Builder, m map[string]any, indent int, first []string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rank := func(k string) int {
		for i, f := range first {
			if f == k {
				return i
			}
		}
		return len(first)
	}
	sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
	pad := strings.Repeat(" ", indent)
	for _, k := range keys {
		b.WriteString(pad + scalar(k) + ":")
		value(b, m[k], indent)
	}
}

// value writes " scalar\n" or "\n" + a nested block.
func value(b *strings.Builder, x any, indent int) {
	switch t := x.(type) {
	case map[string]any:
		if len(t) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteString("\n")
		emit(b, t, indent+2)
	case []any:
		if len(t) == 0 {
			b.WriteString(" []\n")
			return
		}
		b.WriteString("\n")
		pad := strings.Repeat(" ", indent+2)
		for _, it := range t {
			if m, ok := it.(map[string]any); ok && len(m) > 0 {
				// "- " then the mapping's keys aligned after the dash.
				var sub strings.Builder
				emit(&sub, m, indent+4)
				s := sub.String()
				b.WriteString(pad + "- " + strings.TrimLeft(s, " "))
				continue
			}
			b.WriteString(pad + "-")
			value(b, it, indent+2)
		}
	default:
		b.WriteString(" " + scalarAny(x) + "\n")
	}
}

func scalarAny(x any) string {
	switch t := x.(type) {
	case plan.Expr:
		return string(t)
	case string:
		return scalar(t)
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case float64:
		return num(t)
	case nil:
		return "null"
	}
	j, _ := json.Marshal(x)
	return string(j)
}
