package termsafe

import "strings"

// MarkdownCode writes s as a GitHub-flavoured Markdown code span that is
// safe in a table cell: a fence longer than any run of backticks in s,
// '|' escaped (GFM splits cells before it parses code spans), one line,
// no control characters.
func MarkdownCode(s string) string {
	s = strings.ReplaceAll(Line(s), "|", `\|`)
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// MarkdownText escapes every character that starts Markdown markup inside
// a line (emphasis, code, links, tables, strike-through) and HTML's '<' and
// '&', which GitHub renders; the text is one line, never at a line start
// where '#', '-' or '1.' would matter.
func MarkdownText(s string) string {
	s = Line(strings.Join(strings.Fields(s), " "))
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune("\\`*_[]<>|~&", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
