package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/lintconfig"
)

type configEntry struct {
	c   *lintconfig.Config
	err error
}

// knownRule tells lintconfig which rule ids exist.
func knownRule(id string) bool { return RuleByID(id) != nil }

// config is root's [rallyforge] configuration (nil without one), read once
// per Linter: two small file reads for a repository that has none.
func (l *Linter) config(root string) (*lintconfig.Config, error) {
	if v, ok := l.configs.Load(root); ok {
		e := v.(configEntry)
		return e.c, e.err
	}
	c, err := lintconfig.Find(root, knownRule)
	l.configs.Store(root, configEntry{c, err})
	return c, err
}

// RepoConfig is the [rallyforge] configuration of the repository path
// (a task file or a folder in it) belongs to; nil without one.
func RepoConfig(path string) (*lintconfig.Config, error) {
	root := repoRoot(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		if abs, err := filepath.Abs(path); err == nil {
			root = findRoot(abs)
		}
	}
	return lintconfig.Find(root, knownRule)
}

var ruleUnknownIgnore = &Rule{
	ID: "unknown-ignore", Severity: Warning,
	Description: "A rallyforge: ignore[…] comment names a rule that does not exist, so it silences nothing (docs/rules.md lists the rules).",
	Example:     "version: 2\ntitle: example  # rallyforge: ignore[no-such-rule]\nsubtasks:\n  - title: example\n    scenario:\n      Dummy.dummy: {}\n    sla:\n      failure_rate: {max: 0}\n",
}

// suppress drops the findings the repository's configuration or an
// inline "rallyforge: ignore[rule]" comment on their line silences, and
// reports ignore comments that name no rule. A file without the word
// "rallyforge:" skips the line scan.
func (f *file) suppress() {
	cfg, _ := f.l.config(f.root) // an error was returned by file()
	var ignores map[int][]string
	if bytes.Contains(f.src, []byte("rallyforge:")) {
		ignores = map[int][]string{}
		for i, line := range strings.Split(string(f.src), "\n") {
			ids := lintconfig.Inline(line)
			if ids == nil {
				continue
			}
			ignores[i+1] = ids
			for _, id := range ids {
				if !knownRule(id) {
					col := strings.Index(line, id) + 1
					f.out = append(f.out, Finding{File: f.path, Line: i + 1, Column: col, Severity: ruleUnknownIgnore.Severity,
						Rule: ruleUnknownIgnore.ID, Message: "rallyforge: ignore[" + id + "]: no rule has this id"})
				}
			}
		}
	}
	if cfg == nil && ignores == nil {
		return
	}
	out := f.out[:0]
	for _, x := range f.out {
		if cfg.Suppressed(x.Rule, x.File) || slices.Contains(ignores[x.Line], x.Rule) {
			continue
		}
		out = append(out, x)
	}
	f.out = out
}
