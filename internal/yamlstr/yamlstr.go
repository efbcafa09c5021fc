// Package yamlstr writes strings into YAML that Rally reads: PyYAML
// (YAML 1.1 resolvers) must load them back as the same string, and Rally's
// Jinja2 pass over the whole file must leave them alone.
package yamlstr

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Scalar returns s as a YAML scalar: plain when PyYAML reads that back as
// the same string, else double-quoted with '"', '\' and control characters
// escaped and every '{', '}', '%', '#' written as \x.. so that no Jinja2
// delimiter appears.
func Scalar(s string) string {
	if Plain(s) {
		return s
	}
	return Quoted(s)
}

// Quoted always double-quotes s (see Scalar).
func Quoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '{' || r == '}' || r == '%' || r == '#':
			fmt.Fprintf(&b, "\\x%02x", r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0xfeff || r == 0x2028 || r == 0x2029 || r == 0xfffd:
			// PyYAML refuses most of these in a stream, and U+FFFD
			// is what invalid UTF-8 became.
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Plain reports whether s can be written unquoted: a letter first (never a
// number, date or .inf), then word characters, single inner spaces and
// parentheses, and not one of YAML 1.1's booleans or nulls.
func Plain(s string) bool {
	if !plain().MatchString(s) {
		return false
	}
	switch strings.ToLower(s) {
	case "yes", "no", "true", "false", "on", "off", "null", "y", "n":
		return false
	}
	return true
}

var plain = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*( [A-Za-z0-9_.()-]+)*$`)
})
