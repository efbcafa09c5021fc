// Package setupcfg reads the parts of a pbr/setuptools setup.cfg that
// detection needs: [metadata] name and summary, and [entry_points] groups
// with their entry names (console_scripts, wsgi_scripts, neutron.*, ...).
package setupcfg

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// File is what detection reads from setup.cfg.
type File struct {
	Name        string
	Summary     string
	EntryPoints map[string][]string
	// Sections lists the section names in file order.
	Sections []string
}

// Python configparser's SECTCRE and OPTCRE (delimiters "=" and ":").
var (
	sectRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[(.+)\]`) })
	optRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.*?)\s*[=:]\s*(.*)$`) })
)

// Parse reads setup.cfg content the way Python's configparser does for
// setuptools and pbr: a line indented deeper than its key continues the
// key's value, even after blank lines and comment lines (empty lines are
// part of values), so entry points listed under a "# Backwards
// compatibility" comment still belong to their group; full-line comments
// start with "#" or ";"; there are no inline comments. Content before the
// first section header is an error, as in Python. Unlike Python, a
// repeated section or key is merged rather than refused: detection wants
// every fact the file holds.
func Parse(data []byte) (*File, error) {
	type key struct {
		name  string
		lines []string
	}
	type section struct {
		name string
		keys []*key
	}
	var sections []*section
	var cur *section
	var opt *key
	indent := 0
	for n, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimRight(raw, "\r")
		value := strings.TrimSpace(line)
		if value == "" || strings.HasPrefix(value, "#") || strings.HasPrefix(value, ";") {
			// Blank and comment lines neither end a value nor reset the
			// indentation a continuation is measured against.
			continue
		}
		lead := len(line) - len(strings.TrimLeft(line, " \t\f\v"))
		if cur != nil && opt != nil && lead > indent {
			opt.lines = append(opt.lines, value)
			continue
		}
		indent = lead
		if m := sectRe().FindStringSubmatch(value); m != nil {
			cur, opt = nil, nil
			for _, s := range sections {
				if s.name == m[1] {
					cur = s
				}
			}
			if cur == nil {
				cur = &section{name: m[1]}
				sections = append(sections, cur)
			}
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("line %d: content before the first [section] header", n+1)
		}
		m := optRe().FindStringSubmatch(value)
		if m == nil || strings.TrimSpace(m[1]) == "" {
			// Python collects these as a ParsingError; pip would refuse
			// the file. Skipping the line keeps the rest of the facts.
			continue
		}
		opt = &key{name: strings.TrimSpace(m[1]), lines: []string{m[2]}}
		cur.keys = append(cur.keys, opt)
	}

	f := &File{EntryPoints: map[string][]string{}}
	get := func(s *section, name string) string {
		for _, k := range s.keys {
			if strings.EqualFold(k.name, name) {
				return strings.TrimSpace(strings.Join(k.lines, "\n"))
			}
		}
		return ""
	}
	for _, s := range sections {
		f.Sections = append(f.Sections, s.name)
		switch s.name {
		case "metadata":
			f.Name = get(s, "name")
			f.Summary = get(s, "summary")
			if f.Summary == "" {
				f.Summary = get(s, "description")
			}
		case "entry_points":
			for _, k := range s.keys {
				var names []string
				for _, line := range k.lines {
					if i := strings.IndexByte(line, '='); i > 0 {
						names = append(names, strings.TrimSpace(line[:i]))
					}
				}
				f.EntryPoints[k.name] = append(f.EntryPoints[k.name], names...)
			}
		}
	}
	return f, nil
}
