package lint

import (
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/fsutil"
)

// configureRe finds @<module>.configure(name="..." ...) in a plugin file
// (the decorator may span lines; the name is a literal): group 1 is the
// module the decorator comes from (scenario, context, sla, runner, hook,
// or none for a bare imported configure), group 2 the plugin's name.
var configureRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)@(?:(\w+)\.)?configure\(\s*(?:[^)]*?\b)?name\s*=\s*["']([^"']+)["']`)
})

// Kinds of local plugins besides scenarios, as checkPlugin names them.
const (
	kindRunner  = "runner"
	kindContext = "context"
	kindSLA     = "sla"
	kindHook    = "hook" // actions and triggers: both are hook.configure
)

// pluginKind says what a decorated class is: by the decorator's module
// when it names one (rally.task.context / sla / runner / hook, as Rally's
// own plugins and rally-openstack's are written), else by the class's
// bases (a bare `configure` imported from one of those modules); a class
// that shows neither is a scenario, as before kinds were told apart.
func pluginKind(module string, body []byte) string {
	switch module {
	case "scenario":
		return "scenario"
	case "context", "sla", "runner", "hook":
		return module
	}
	bases := ""
	if c := classRe().FindSubmatch(body); c != nil {
		bases = string(c[1])
	}
	switch {
	case strings.Contains(bases, "Context"):
		return kindContext
	case strings.Contains(bases, "SLA"):
		return kindSLA
	case strings.Contains(bases, "Runner"):
		return kindRunner
	case strings.Contains(bases, "Hook") || strings.Contains(bases, "Trigger"):
		return kindHook
	}
	return "scenario"
}

// localPlugins is what a repository's own plugins define: scenarios (with
// run()'s signature when readable) and, by kind, the names of runners,
// contexts, SLAs and hooks. Rally loads them with --plugin-paths, so a
// task may name them; their configs are Python dicts lint does not read,
// so only the names are checked.
type localPlugins struct {
	scenarios map[string]*localScenario
	others    map[string]map[string]bool // kind → names
}

func (l *localPlugins) has(kind, name string) bool { return l != nil && l.others[kind][name] }

// localScenario is a scenario a repository defines in its own plugins.
// Signature is nil when run() could not be read from the class itself (it
// is inherited, or written in a way the reader does not follow): then its
// arguments are not checked.
type localScenario struct {
	Signature *signature
}

// signature is run()'s parameter list, as Rally's args-spec validator
// reads it.
type signature struct {
	Params []catalog.Param
	Kwargs bool
}

// findLocalPlugins lists the plugins a repository defines itself in
// rally-jobs/plugins/**/*.py (what the gate loads with --plugin-paths),
// plus any extra plugin folders.
// One walk per repository and Linter (a folder of tasks shares its
// plugins); read-only once stored.
func (l *Linter) findLocalPlugins(root string) *localPlugins {
	if m, ok := l.plugins.Load(root); ok {
		return m.(*localPlugins)
	}
	m := scanPlugins(root, l.opts.PluginPaths)
	l.plugins.Store(root, m)
	return m
}

func scanPlugins(root string, extra []string) *localPlugins {
	dirs := append([]string{filepath.Join(root, "rally-jobs", "plugins")}, extra...)
	out := &localPlugins{scenarios: map[string]*localScenario{}, others: map[string]map[string]bool{}}
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".py") {
				return nil
			}
			b, err := fsutil.ReadRegular(p, 0)
			if err != nil {
				return nil
			}
			ms := configureRe().FindAllSubmatchIndex(b, -1)
			for i, m := range ms {
				// The class body runs from this decorator to the next one.
				end := len(b)
				if i+1 < len(ms) {
					end = ms[i+1][0]
				}
				var module string
				if m[2] >= 0 {
					module = string(b[m[2]:m[3]])
				}
				name, body := string(b[m[4]:m[5]]), b[m[1]:end]
				kind := pluginKind(module, body)
				if kind == "scenario" {
					out.scenarios[name] = &localScenario{Signature: runSignature(body)}
					continue
				}
				if out.others[kind] == nil {
					out.others[kind] = map[string]bool{}
				}
				out.others[kind][name] = true
			}
			return nil
		})
	}
	return out
}

// classRunRe finds the class statement after a decorator and the first
// run() method defined in its body.
var (
	classRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^class\s+\w+\s*(\([^)]*\))?\s*:`) })
	runRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)\n[ \t]+def\s+run\s*\((.*?)\)\s*(->[^:]*)?:`) })
	nextTop = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\S`) })
)

// runSignature reads run()'s parameters from the text that follows a
// @scenario.configure decorator. It returns nil when the class body has no
// run() of its own or the parameter list is not plain Python the reader
// understands.
func runSignature(body []byte) *signature {
	c := classRe().FindIndex(body)
	if c == nil {
		return nil
	}
	cls := body[c[1]:]
	// The class ends at the next statement in column 0.
	if e := nextTop().FindIndex(cls); e != nil {
		cls = cls[:e[0]]
	}
	m := runRe().FindSubmatch(cls)
	if m == nil {
		return nil
	}
	sig := &signature{}
	for i, raw := range splitParams(string(m[1])) {
		p := strings.TrimSpace(raw)
		if p == "" {
			continue
		}
		if i == 0 && p == "self" {
			continue
		}
		switch {
		case strings.HasPrefix(p, "**"):
			sig.Kwargs = true
			continue
		case strings.HasPrefix(p, "*"):
			continue
		case p == "/":
			continue
		}
		name, _, hasDef := strings.Cut(p, "=")
		name, _, _ = strings.Cut(name, ":")
		name = strings.TrimSpace(name)
		if !identRe().MatchString(name) {
			return nil
		}
		sig.Params = append(sig.Params, catalog.Param{Name: name, Required: !hasDef})
	}
	return sig
}

var identRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// splitParams splits a parameter list on the commas that are not inside
// brackets or strings.
func splitParams(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		case c == '#':
			// A comment runs to the end of its line.
			if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
				s = s[:i] + s[i+j:]
				i--
			} else {
				s = s[:i]
			}
		}
	}
	return append(out, s[start:])
}
