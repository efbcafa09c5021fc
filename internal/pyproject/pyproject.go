// Package pyproject reads the few fields of a pyproject.toml that detection
// needs: [project] name and description, [project.scripts],
// [project.gui-scripts] and every [project.entry-points."group"] table.
//
// It is a line-oriented reader of that TOML subset, not a TOML library: the
// allowed dependency set has none, the fields needed are all simple
// `key = "string"` pairs under a table header, and a reader this small is
// easy to fuzz. Multi-line values (arrays, triple-quoted strings) are
// skipped, never misread as keys.
package pyproject

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// File is what detection reads from pyproject.toml.
type File struct {
	Name        string
	Description string
	// Scripts are [project.scripts] names (console scripts).
	Scripts []string
	// EntryPoints maps a group to its entry names. The non-standard
	// [project.entry-points."console_scripts"] table lands here too, under
	// "console_scripts".
	EntryPoints map[string][]string
	// Tables lists every table header seen, in order.
	Tables []string
}

// Parse reads pyproject.toml content. It returns an error with a line number
// for a malformed table header; other odd lines are ignored.
func Parse(data []byte) (*File, error) {
	f := &File{EntryPoints: map[string][]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	table := ""
	depth := 0     // open brackets of a multi-line array
	inTriple := "" // open triple-quote delimiter
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if inTriple != "" {
			if strings.Contains(line, inTriple) {
				inTriple = ""
			}
			continue
		}
		if depth > 0 {
			depth += strings.Count(line, "[") - strings.Count(line, "]")
			if depth < 0 {
				depth = 0
			}
			continue
		}
		s := strings.TrimSpace(line)
		if s == "" || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			h := strings.TrimSpace(stripComment(s))
			arr := strings.HasPrefix(h, "[[")
			if arr {
				if !strings.HasSuffix(h, "]]") {
					return nil, fmt.Errorf("line %d: malformed table header %q", lineNo, s)
				}
				h = strings.TrimSpace(h[2 : len(h)-2])
			} else {
				if !strings.HasSuffix(h, "]") {
					return nil, fmt.Errorf("line %d: malformed table header %q", lineNo, s)
				}
				h = strings.TrimSpace(h[1 : len(h)-1])
			}
			table = normalizeKey(h)
			f.Tables = append(f.Tables, table)
			continue
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			continue
		}
		key := normalizeKey(strings.TrimSpace(s[:eq]))
		val := strings.TrimSpace(s[eq+1:])
		switch {
		case strings.HasPrefix(val, `"""`) || strings.HasPrefix(val, `'''`):
			delim := val[:3]
			if !strings.Contains(val[3:], delim) {
				inTriple = delim
			}
			continue
		case strings.HasPrefix(val, "["):
			depth = strings.Count(val, "[") - strings.Count(val, "]")
			if depth < 0 {
				depth = 0
			}
		}
		switch {
		case table == "project" && key == "name":
			f.Name = unquote(val)
		case table == "project" && key == "description":
			f.Description = unquote(val)
		case table == "project.scripts" || table == "project.gui-scripts":
			f.Scripts = append(f.Scripts, key)
		case strings.HasPrefix(table, "project.entry-points."):
			g := strings.TrimPrefix(table, "project.entry-points.")
			f.EntryPoints[g] = append(f.EntryPoints[g], key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %v", lineNo+1, err)
	}
	return f, nil
}

// normalizeKey turns a dotted TOML key with quoted parts into a plain
// dotted string: project.entry-points."console_scripts" → project.entry-points.console_scripts.
func normalizeKey(k string) string {
	var b strings.Builder
	quote := byte(0)
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				b.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ' ' || c == '\t':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func stripComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		if c == '"' || c == '\'' {
			quote = c
		} else if c == '#' {
			return s[:i]
		}
	}
	return s
}

func unquote(v string) string {
	v = strings.TrimSpace(stripComment(v))
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}
