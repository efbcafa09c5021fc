package jsonschema

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// Python's re and Go's regexp (RE2) agree on the syntax JSON Schemas use
// (classes, anchors, groups, repetition, (?P<name>...)); compilePattern
// rewrites the few places where the same text means something else, so
// that re.search(pattern, s) and the Go regexp accept the same strings:
//
//   - `$` (without the m flag) also matches before a newline that ends the
//     string in Python: YAML block scalars end with one;
//   - \d, \w, \s match Unicode digits, word characters and spaces in
//     Python 3 str patterns, ASCII only in Go (\D \W \S outside classes
//     likewise; inside a class the negated ones stay ASCII);
//   - \Z is Go's \z; x{,n} is x{0,n}.
//
// What remains different is documented rather than emulated: \b is ASCII
// in Go; lookarounds, backreferences, possessive quantifiers and atomic
// groups do not compile (Compile reports them); Unicode tables may
// differ by version. Where re refuses a pattern RE2 takes (an anchor with
// a quantifier), compilePattern refuses it too.
func compilePattern(p string) (*pyRegexp, error) {
	if repeatsAnchor(p) {
		// sre_parse: "nothing to repeat"; RE2 repeats the empty match.
		return nil, fmt.Errorf("invalid pattern %q: nothing to repeat (an anchor with a quantifier)", p)
	}
	re, err := compileRE2(translatePattern(p, false), p)
	if err != nil {
		return nil, err
	}
	out := &pyRegexp{re: re}
	if hasNonBoundary(p) {
		// SRE's \B fails when the whole subject is empty; RE2's matches.
		if out.empty, err = compileRE2(translatePattern(p, true), p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// pyRegexp is a pattern as re.search runs it.
type pyRegexp struct {
	re    *regexp.Regexp
	empty *regexp.Regexp // for "", when the pattern has \B
}

// MatchString is bool(re.search(pattern, s)).
func (r *pyRegexp) MatchString(s string) bool {
	if s == "" && r.empty != nil {
		return r.empty.MatchString(s)
	}
	return r.re.MatchString(s)
}

func compileRE2(expr, p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		// regexp's message quotes the expression raw, newlines and all;
		// errors here stay on one line.
		var rerr *syntax.Error
		if errors.As(err, &rerr) {
			return nil, fmt.Errorf("invalid pattern %q: %s", p, rerr.Code)
		}
		return nil, fmt.Errorf("invalid pattern %q", p)
	}
	return re, nil
}

// hasNonBoundary reports a \B outside a class.
func hasNonBoundary(p string) bool {
	inClass, classStart := false, false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			i++
			if !inClass && p[i] == 'B' {
				return true
			}
			classStart = false
			continue
		case inClass:
			if c == ']' && !classStart {
				inClass = false
			}
			classStart = c == '^' && classStart && p[i-1] == '['
			continue
		case c == '[':
			inClass, classStart = true, true
		}
	}
	return false
}

const (
	pyDigit = `\p{Nd}`
	pyWord  = `\p{L}\p{N}_`
	pySpace = `\t\n\v\f\r \x1c-\x1f\x85\p{Z}`
)

// hasMultilineFlag reports an inline (?m...) flag group.
func hasMultilineFlag(p string) bool {
	for i := strings.Index(p, "(?"); i >= 0; {
		j := i + 2
		for j < len(p) && (p[j] >= 'a' && p[j] <= 'z' || p[j] >= 'A' && p[j] <= 'Z') {
			if p[j] == 'm' {
				return true
			}
			j++
		}
		k := strings.Index(p[j:], "(?")
		if k < 0 {
			break
		}
		i = j + k
	}
	return false
}

// translatePattern rewrites p for RE2; noNonBoundary makes \B match
// nothing (the pattern as SRE runs it on an empty subject).
func translatePattern(p string, noNonBoundary bool) string {
	multiline := hasMultilineFlag(p)
	var b strings.Builder
	inClass := false
	classStart := false // just after [ or [^: a ] here is a literal
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			e := p[i+1]
			i++
			switch {
			case e == 'd':
				b.WriteString(wrapClass(pyDigit, inClass, false))
			case e == 'w':
				b.WriteString(wrapClass(pyWord, inClass, false))
			case e == 's':
				b.WriteString(wrapClass(pySpace, inClass, false))
			case e == 'D' && !inClass:
				b.WriteString(`\P{Nd}`)
			case e == 'W' && !inClass:
				b.WriteString(wrapClass(pyWord, false, true))
			case e == 'S' && !inClass:
				b.WriteString(wrapClass(pySpace, false, true))
			case e == 'Z' && !inClass:
				b.WriteString(`\z`)
			case e == 'B' && !inClass && noNonBoundary:
				b.WriteString(`[^\x00-\x{10FFFF}]`)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
			classStart = false
			continue
		}
		switch {
		case inClass:
			if c == ']' && !classStart {
				inClass = false
			}
			classStart = c == '^' && classStart && p[i-1] == '['
			b.WriteByte(c)
			continue
		case c == '[':
			inClass, classStart = true, true
		case c == '$' && !multiline:
			b.WriteString(`(?:\n?\z)`)
			continue
		case c == '{' && strings.HasPrefix(p[i:], "{,"):
			if j := strings.IndexByte(p[i:], '}'); j > 2 && allDigits(p[i+2:i+j]) {
				b.WriteString("{0,")
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func wrapClass(body string, inClass, negate bool) string {
	if inClass {
		return body
	}
	if negate {
		return "[^" + body + "]"
	}
	return "[" + body + "]"
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// repeatsAnchor reports an anchor (^ $ \A \Z \b \B) directly followed by
// a quantifier outside a class, which Python's re refuses to compile.
func repeatsAnchor(p string) bool {
	inClass, classStart := false, false
	anchor := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if inClass {
			switch {
			case c == '\\':
				i++
			case c == ']' && !classStart:
				inClass = false
			}
			classStart = classStart && c == '^' && p[i-1] == '['
			continue
		}
		wasAnchor := anchor
		anchor = false
		switch c {
		case '*', '+', '?':
			if wasAnchor {
				return true
			}
		case '{':
			if wasAnchor && isRepeatBrace(p[i:]) {
				return true
			}
		case '^', '$':
			anchor = true
		case '[':
			inClass, classStart = true, true
		case '\\':
			if i+1 < len(p) {
				i++
				anchor = strings.IndexByte("AZbB", p[i]) >= 0
			}
		}
	}
	return false
}

// isRepeatBrace: s starts with {m}, {m,}, {,n} or {m,n}, which sre_parse
// reads as a repeat (anything else is a literal brace).
func isRepeatBrace(s string) bool {
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return false
	}
	lo, hi, comma := s[1:end], "", false
	if j := strings.IndexByte(lo, ','); j >= 0 {
		lo, hi, comma = lo[:j], lo[j+1:], true
	}
	digits := func(x string) bool {
		for k := 0; k < len(x); k++ {
			if x[k] < '0' || x[k] > '9' {
				return false
			}
		}
		return true
	}
	if !digits(lo) || !digits(hi) || lo == "" && !comma {
		return false
	}
	return true
}
