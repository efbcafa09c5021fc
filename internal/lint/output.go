package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/termsafe"
)

// WriteText prints findings as file:line:col: message [rule], each with
// the offending source line and a caret, as actionlint does.
func WriteText(w io.Writer, fs []Finding) {
	cache := map[string][]string{}
	for _, f := range fs {
		// Findings quote the input (keys, file names, render errors):
		// never an escape sequence raw on the terminal.
		fmt.Fprintln(w, termsafe.Line(f.String()))
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
				fmt.Fprintf(w, "  %s^\n", strings.Repeat(" ", col-1))
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
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(fs)
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
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
	}
	type rule struct {
		ID string `json:"id"`
	}
	results := []result{}
	var rules []rule
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			rules = append(rules, rule{f.Rule})
		}
		results = append(results, result{RuleID: f.Rule, Level: string(f.Severity), Message: msg{f.Message},
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
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(doc)
}
