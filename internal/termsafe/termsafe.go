// Package termsafe makes text from input safe to print on a terminal or in
// a CI log: a task, a results file or a history tag can hold escape
// sequences (ESC [2J clears the screen, OSC 8 forges links, OSC 52 writes
// the clipboard) and bidirectional overrides that reorder what is shown.
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s with every control character (C0 including newline and
// tab, DEL, C1), every bidirectional control and every invalid UTF-8 byte
// written as a visible \x.. or \u.... escape: one line, shown as it is.
func Line(s string) string { return escape(s, false) }

// Text is Line but keeps newlines and tabs (multi-line output such as a
// quoted source line with its caret).
func Text(s string) string { return escape(s, true) }

func escape(s string, keepLayout bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if bad(r, n, keepLayout) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case bad(r, n, keepLayout):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func bad(r rune, n int, keepLayout bool) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true
	case keepLayout && (r == '\n' || r == '\t'):
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}
