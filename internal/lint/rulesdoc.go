package lint

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// RulesDocURL is where docs/rules.md is published: SARIF's help links
// point at its sections (one per rule, anchored by the rule id).
const RulesDocURL = "https://github.com/rallyforge/rallyforge/blob/main/docs/rules.md"

// RuleByID returns the rule of Rules with that id, or nil.
func RuleByID(id string) *Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// shortDescription is the description's first sentence.
func (r *Rule) shortDescription() string {
	if s, _, ok := strings.Cut(r.Description, ". "); ok {
		return s + "."
	}
	return r.Description
}

// WriteRulesDoc writes docs/rules.md: every rule's id, severity,
// description, example, and what lint says about the example (linted
// here, in a repository of its own, against the master view).
func WriteRulesDoc(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("# rallyforge lint rules\n\n")
	b.WriteString("<!-- Generated from the rules of internal/lint (rules.go) by\n     go test ./internal/lint -run TestRulesDoc -update\n     Do not edit: the test fails when this file is not current. -->\n\n")
	b.WriteString("Errors are what the real Rally rejects (or what is certainly wrong); `rallyforge lint`\n")
	b.WriteString("exits 1 when it finds one. Warnings are advice and leave the exit code at 0.\n\n")
	b.WriteString("A rule is silenced for a repository in the `[rallyforge]` section of its `setup.cfg` or\n")
	b.WriteString("`tox.ini` (`disable = ID, …`; `per-file-ignores =` lines of `PATTERN: ID, …`), or on one\n")
	b.WriteString("line of a task with a `# rallyforge: ignore[ID]` comment (`{# rallyforge: ignore[ID] #}`\n")
	b.WriteString("in a JSON task).\n\n")
	b.WriteString("| rule | severity | what it finds |\n| --- | --- | --- |\n")
	for _, r := range Rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.ID, r.ID, r.Severity, strings.ReplaceAll(r.shortDescription(), "|", `\|`))
	}
	for _, r := range Rules {
		fmt.Fprintf(&b, "\n## %s\n\nSeverity: **%s**\n\n%s\n\n", r.ID, r.Severity, r.Description)
		lang := "yaml"
		if strings.HasPrefix(strings.TrimSpace(r.Example), "{") {
			lang = "json"
		}
		fmt.Fprintf(&b, "Example, `rally-jobs/example.yaml`:\n\n```%s\n%s```\n", lang, withNewline(r.Example))
		var names []string
		for p := range r.ExampleFiles {
			names = append(names, p)
		}
		sort.Strings(names)
		for _, p := range names {
			fmt.Fprintf(&b, "\nwith `%s`:\n\n```%s\n%s```\n", p, fence(p), withNewline(r.ExampleFiles[p]))
		}
		out, err := lintExample(r)
		if err != nil {
			return fmt.Errorf("%s: %w", r.ID, err)
		}
		fmt.Fprintf(&b, "\n`rallyforge lint` says:\n\n```\n%s```\n", out)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func withNewline(s string) string {
	if !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

// fence is the code block language of an example file.
func fence(p string) string {
	switch filepath.Ext(p) {
	case ".py":
		return "python"
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	}
	return ""
}

// lintExample lints r's example in a repository of its own and returns
// the text output, paths relative to the repository.
func lintExample(r *Rule) (string, error) {
	repo, err := os.MkdirTemp("", "rallyforge-rule-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(repo)
	files := map[string]string{"rally-jobs/example.yaml": r.Example}
	for p, c := range r.ExampleFiles {
		files[p] = c
	}
	for p, c := range files {
		p = filepath.Join(repo, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			return "", err
		}
	}
	fs, err := Paths([]string{repo}, Options{Catalog: View(false)})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	WriteText(&b, fs)
	return strings.ReplaceAll(b.String(), repo+string(filepath.Separator), ""), nil
}
