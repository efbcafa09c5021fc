// Package lintconfig reads the [rallyforge] section of a repository's
// setup.cfg or tox.ini (flake8's convention, which OpenStack projects
// already follow) and inline "# rallyforge: ignore[rule]" comments:
//
//	[rallyforge]
//	disable = failure-rate, quotas
//	per-file-ignores =
//	    rally-jobs/legacy/*.yaml: deprecated-v1
//	catalog = installed
//
// A repository without the section costs two small file reads.
package lintconfig

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/setupcfg"
)

// Section is the section's name.
const Section = "rallyforge"

// Files are read in this order, the first with the section wins (flake8's
// order).
var Files = []string{"setup.cfg", "tox.ini"}

// Views are the values of catalog.
var Views = []string{"auto", "master", "installed"}

// Config is a repository's lint configuration.
type Config struct {
	Path    string // the file it came from
	Disable []string
	PerFile []PerFile
	Catalog string // "" when not set
}

// PerFile silences rules in the files matching Pattern (fnmatch, relative
// to the config file's folder; * also matches /).
type PerFile struct {
	Pattern string
	Rules   []string
}

// Find reads root's configuration; nil when neither file has the section.
// known tells whether a rule id exists: an unknown one is an error, as is
// any other mistake, with the file and line.
func Find(root string, known func(string) bool) (*Config, error) {
	for _, name := range Files {
		p := filepath.Join(root, name)
		// A FIFO or device named setup.cfg must not hang the linter.
		b, err := fsutil.ReadRegular(p, 0)
		if err != nil || !bytes.Contains(b, []byte("["+Section+"]")) {
			continue
		}
		return parse(p, b, known)
	}
	return nil, nil
}

func parse(path string, b []byte, known func(string) bool) (*Config, error) {
	ini, err := setupcfg.Load(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, oneLine(err))
	}
	sec, err := ini.GetSection(Section)
	if err != nil {
		return nil, nil // "[rallyforge]" only inside a value or comment
	}
	c := &Config{Path: path}
	bad := func(key, token, format string, a ...any) error {
		return fmt.Errorf("%s:%d: [%s]%s", path, lineOf(b, key, token), Section, fmt.Sprintf(format, a...))
	}
	check := func(key string, ids []string) error {
		for _, id := range ids {
			if !known(id) {
				return bad(key, id, " %s: unknown rule %q", key, id)
			}
		}
		return nil
	}
	for _, k := range sec.Keys() {
		// configparser lower-cases option names.
		name, val := strings.ToLower(k.Name()), k.Value()
		switch name {
		case "disable":
			c.Disable = append(c.Disable, words(val)...)
			if err := check(name, c.Disable); err != nil {
				return nil, err
			}
		case "per-file-ignores":
			for _, line := range strings.Split(val, "\n") {
				line = strings.TrimSpace(line)
				if line == "" {
					continue
				}
				pat, rules, ok := strings.Cut(line, ":")
				if !ok || strings.TrimSpace(pat) == "" {
					return nil, bad(name, line, " %s: %q is not PATTERN: RULES", name, line)
				}
				pf := PerFile{Pattern: strings.TrimSpace(pat), Rules: words(rules)}
				if err := check(name, pf.Rules); err != nil {
					return nil, err
				}
				c.PerFile = append(c.PerFile, pf)
			}
		case "catalog":
			c.Catalog = strings.TrimSpace(val)
			if !slices.Contains(Views, c.Catalog) {
				return nil, bad(name, "", " catalog: %q (want %s)", c.Catalog, strings.Join(Views, ", "))
			}
		default:
			return nil, bad(k.Name(), "", ": unknown key %q (want disable, per-file-ignores, catalog)", k.Name())
		}
	}
	return c, nil
}

// words splits a flake8-style list: commas and/or whitespace.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// Suppressed tells whether rule is silenced for file (a path as lint
// reports it) by this configuration.
func (c *Config) Suppressed(rule, file string) bool {
	if c == nil {
		return false
	}
	if slices.Contains(c.Disable, rule) {
		return true
	}
	if len(c.PerFile) == 0 {
		return false
	}
	rel := file
	if abs, err := filepath.Abs(file); err == nil {
		if r, err := filepath.Rel(filepath.Dir(c.Path), abs); err == nil {
			rel = r
		}
	}
	rel = filepath.ToSlash(rel)
	for _, pf := range c.PerFile {
		if slices.Contains(pf.Rules, rule) && (fnmatch(pf.Pattern, rel) || fnmatch(pf.Pattern, filepath.Base(rel))) {
			return true
		}
	}
	return false
}

// fnmatch is Python's fnmatch.fnmatch on a path (flake8 matches
// per-file-ignores with it): * and ? match any character, / included;
// [seq] and [!seq] a set.
func fnmatch(pat, name string) bool {
	pat = strings.TrimPrefix(filepath.ToSlash(pat), "./")
	for len(pat) > 0 {
		switch pat[0] {
		case '*':
			for len(pat) > 0 && pat[0] == '*' {
				pat = pat[1:]
			}
			if pat == "" {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if fnmatch(pat, name[i:]) {
					return true
				}
			}
			return false
		case '?':
			if name == "" {
				return false
			}
			pat, name = pat[1:], name[1:]
		case '[':
			end := strings.IndexByte(pat[1:], ']')
			if end < 0 || name == "" {
				if name == "" || name[0] != '[' {
					return false
				}
				pat, name = pat[1:], name[1:]
				continue
			}
			set := pat[1 : 1+end]
			neg := strings.HasPrefix(set, "!")
			if neg {
				set = set[1:]
			}
			if inSet(set, name[0]) == neg {
				return false
			}
			pat, name = pat[end+2:], name[1:]
		default:
			if name == "" || pat[0] != name[0] {
				return false
			}
			pat, name = pat[1:], name[1:]
		}
	}
	return name == ""
}

func inSet(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if i+2 < len(set) && set[i+1] == '-' {
			if set[i] <= c && c <= set[i+2] {
				return true
			}
			i += 2
			continue
		}
		if set[i] == c {
			return true
		}
	}
	return false
}

// lineOf is the 1-based line of key in the section (of its first line
// holding token, for a multi-line value), for error messages.
func lineOf(b []byte, key, token string) int {
	lines := strings.Split(string(b), "\n")
	in, keyLine := false, 0
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			if in && keyLine > 0 {
				break
			}
			in = t == "["+Section+"]"
			continue
		}
		if !in || t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		indented := l[0] == ' ' || l[0] == '\t'
		if !indented {
			if keyLine > 0 {
				break // the next key: token not found, the key's line then
			}
			name, _, _ := strings.Cut(strings.Map(func(r rune) rune {
				if r == ':' {
					return '='
				}
				return r
			}, t), "=")
			if strings.EqualFold(strings.TrimSpace(name), key) {
				keyLine = i + 1
				if token == "" {
					return keyLine
				}
				_, v, _ := strings.Cut(l, string(l[len(name)]))
				if strings.Contains(v, token) {
					return keyLine
				}
			}
			continue
		}
		if keyLine > 0 && strings.Contains(l, token) {
			return i + 1
		}
	}
	return keyLine
}

// Inline returns the rules a "rallyforge: ignore[a, b]" comment on line
// silences: a YAML comment (#) or a Jinja2 one ({# … #}, for JSON tasks).
func Inline(line string) []string {
	i := strings.Index(line, "rallyforge:")
	if i < 0 || !strings.Contains(line[:i], "#") {
		return nil
	}
	rest := strings.TrimLeft(line[i+len("rallyforge:"):], " \t")
	rest, ok := strings.CutPrefix(rest, "ignore[")
	if !ok {
		return nil
	}
	list, _, ok := strings.Cut(rest, "]")
	if !ok {
		return nil
	}
	return words(list)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
