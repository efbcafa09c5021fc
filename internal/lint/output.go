package lint

import (
	"fmt"
	"io"
	"strings"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/termsafe"
)

// WriteText prints findings as file:line:col: severity: message [rule],
// each with the offending source line and a caret, as actionlint does.
func WriteText(w io.Writer, fs []Finding) { WriteTextColor(w, fs, false) }

// ANSI styles of the coloured text (gcc's and actionlint's habits).
const (
	sBold  = "\x1b[1m"
	sError = "\x1b[1;31m"
	sWarn  = "\x1b[1;33m"
	sRule  = "\x1b[90m"
	sCaret = "\x1b[32m"
	sReset = "\x1b[0m"
)

// paint wraps s in style when color is on.
func paint(color bool, style, s string) string {
	if !color {
		return s
	}
	return style + s + sReset
}

func sevStyle(s Severity) string {
	if s == Error {
		return sError
	}
	return sWarn
}

// WriteTextColor is WriteText, in colour when color is set: the same text
// with escape codes around the position, the severity, the rule and the
// caret.
func WriteTextColor(w io.Writer, fs []Finding, color bool) {
	cache := map[string][]string{}
	for _, f := range fs {
		// Findings quote the input (keys, file names, render errors):
		// never an escape sequence raw on the terminal.
		fmt.Fprintf(w, "%s %s %s %s\n", paint(color, sBold, fmt.Sprintf("%s:%d:%d:", termsafe.Line(f.File), f.Line, f.Column)),
			paint(color, sevStyle(f.Severity), string(f.Severity)+":"), termsafe.Line(f.Message), paint(color, sRule, "["+termsafe.Line(f.Rule)+"]"))
		lines, ok := cache[f.File]
		if !ok {
			if b, err := fsutil.ReadRegular(f.File, 0); err == nil {
				lines = strings.Split(string(b), "\n")
			}
			cache[f.File] = lines
		}
		if f.Line >= 1 && f.Line <= len(lines) {
			src, col := safeExcerpt(excerpt(strings.TrimRight(lines[f.Line-1], "\r"), f.Column))
			fmt.Fprintf(w, "  %s\n", src)
			if col >= 1 && col <= len([]rune(src))+1 {
				fmt.Fprintf(w, "  %s%s\n", strings.Repeat(" ", col-1), paint(color, sCaret, "^"))
			}
		}
	}
}

// safeExcerpt escapes control characters of a quoted source line and moves
// the caret's column by what the escapes add before it.
func safeExcerpt(src string, col int) (string, int) {
	if termsafe.Text(src) == src {
		return src, col
	}
	var b strings.Builder
	newCol := col
	for i, r := range []rune(src) {
		e := termsafe.Text(string(r))
		if i < col-1 {
			newCol += len([]rune(e)) - 1
		}
		b.WriteString(e)
	}
	return b.String(), newCol
}

// Summary is the closing line of the text output, "2 errors, 1 warning in
// 3 files" (the files with findings); "" when there are none.
func Summary(fs []Finding, color bool) string {
	var errs, warns int
	files := map[string]bool{}
	for _, f := range fs {
		files[f.File] = true
		if f.Severity == Error {
			errs++
		} else {
			warns++
		}
	}
	plural := func(n int, what string) string {
		if n == 1 {
			return "1 " + what
		}
		return fmt.Sprintf("%d %ss", n, what)
	}
	var parts []string
	if errs > 0 {
		parts = append(parts, paint(color, sError, plural(errs, "error")))
	}
	if warns > 0 {
		parts = append(parts, paint(color, sWarn, plural(warns, "warning")))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + " in " + plural(len(files), "file")
}

// maxExcerpt is the widest source line quoted whole; a longer one (a
// minified JSON task) is cut to a window around the column.
const maxExcerpt = 160

// excerpt is the part of line quoted under a finding, and the finding's
// column in it.
func excerpt(line string, col int) (string, int) {
	r := []rune(line)
	if len(r) <= maxExcerpt {
		return line, col
	}
	start := max(0, min(col-1-maxExcerpt/2, len(r)-maxExcerpt))
	end := start + maxExcerpt
	out := string(r[start:end])
	col -= start
	if start > 0 {
		out, col = "…"+out, col+1
	}
	if end < len(r) {
		out += "…"
	}
	return out, col
}

// WriteJSON prints the findings as a JSON array (DESIGN.md fields).
func WriteJSON(w io.Writer, fs []Finding) error {
	if fs == nil {
		fs = []Finding{}
	}
	return jsonout.Write(w, fs)
}

// WriteSARIF prints SARIF 2.1.0 for code-scanning tools.
func WriteSARIF(w io.Writer, fs []Finding, version string) error {
	type msg struct {
		Text string `json:"text"`
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
	type artifact struct {
		URI string `json:"uri"`
	}
	type physical struct {
		ArtifactLocation artifact `json:"artifactLocation"`
		Region           region   `json:"region"`
	}
	type location struct {
		PhysicalLocation physical `json:"physicalLocation"`
	}
	type result struct {
		RuleID    string     `json:"ruleId"`
		RuleIndex int        `json:"ruleIndex"`
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
	}
	type text struct {
		Text string `json:"text"`
	}
	type level struct {
		Level string `json:"level"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription *text  `json:"shortDescription,omitempty"`
		FullDescription  *text  `json:"fullDescription,omitempty"`
		HelpURI          string `json:"helpUri,omitempty"`
		Default          *level `json:"defaultConfiguration,omitempty"`
	}
	results := []result{}
	var rules []rule
	index := map[string]int{}
	for _, f := range fs {
		i, ok := index[f.Rule]
		if !ok {
			i = len(rules)
			index[f.Rule] = i
			sr := rule{ID: f.Rule}
			if r := RuleByID(f.Rule); r != nil {
				sr.ShortDescription, sr.FullDescription = &text{r.shortDescription()}, &text{r.Description}
				sr.HelpURI, sr.Default = RulesDocURL+"#"+r.ID, &level{string(r.Severity)}
			}
			rules = append(rules, sr)
		}
		results = append(results, result{RuleID: f.Rule, RuleIndex: i, Level: string(f.Severity), Message: msg{f.Message},
			Locations: []location{{physical{artifact{f.File}, region{max(f.Line, 1), max(f.Column, 1)}}}}})
	}
	doc := map[string]any{
		"version": "2.1.0",
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"runs": []any{map[string]any{
			"tool":    map[string]any{"driver": map[string]any{"name": "rallyforge", "version": version, "informationUri": "https://github.com/rallyforge/rallyforge", "rules": rules}},
			"results": results,
		}},
	}
	return jsonout.Write(w, doc)
}
