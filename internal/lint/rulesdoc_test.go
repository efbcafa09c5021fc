package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const rulesDoc = "../../docs/rules.md"

// docs/rules.md is generated from Rules (each rule's id, severity,
// description, example and what lint says about the example) and must be
// current: go test ./internal/lint -run TestRulesDoc -update rewrites it.
func TestRulesDoc(t *testing.T) {
	var b bytes.Buffer
	if err := WriteRulesDoc(&b); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(rulesDoc, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatalf("%v (go test ./internal/lint -run TestRulesDoc -update writes it)", err)
	}
	if !bytes.Equal(have, b.Bytes()) {
		t.Fatalf("docs/rules.md is not current: go test ./internal/lint -run TestRulesDoc -update")
	}
	doc := string(have)
	for _, r := range Rules {
		sec := "\n## " + r.ID + "\n"
		i := strings.Index(doc, sec)
		if i < 0 {
			t.Errorf("no section for %s", r.ID)
			continue
		}
		body := doc[i+len(sec):]
		if j := strings.Index(body, "\n## "); j >= 0 {
			body = body[:j]
		}
		// The example's output, quoted in the doc, has a finding of the rule.
		if !strings.Contains(body, r.Description) || !strings.Contains(body, string(r.Severity)) || !strings.Contains(body, "["+r.ID+"]") {
			t.Errorf("%s: section lacks the description, severity or a finding of the rule:\n%s", r.ID, body)
		}
	}
}

// SARIF names each rule it reports with the rule's description, default
// level and a help link to its section of docs/rules.md.
func TestSARIFRules(t *testing.T) {
	var b bytes.Buffer
	fs, err := File(filepath.Join("testdata", "golden", "json-task.json"), Options{Catalog: View(false)})
	if err != nil || len(fs) == 0 {
		t.Fatalf("%v %v", fs, err)
	}
	fs = append(fs, Finding{File: "x.yaml", Line: 1, Column: 1, Severity: Warning, Rule: "failure-rate", Message: "m"})
	if err := WriteSARIF(&b, fs, "test"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						HelpURI          string `json:"helpUri"`
						Default          struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	rules := doc.Runs[0].Tool.Driver.Rules
	if len(rules) < 2 {
		t.Fatalf("rules: %+v", rules)
	}
	for _, sr := range rules {
		r := RuleByID(sr.ID)
		if r == nil || sr.FullDescription.Text != r.Description || sr.ShortDescription.Text == "" || !strings.HasPrefix(r.Description, sr.ShortDescription.Text) ||
			sr.HelpURI != RulesDocURL+"#"+r.ID || sr.Default.Level != string(r.Severity) {
			t.Errorf("SARIF rule %+v", sr)
		}
	}
	for _, res := range doc.Runs[0].Results {
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result of %s points at rule %d (%s)", res.RuleID, res.RuleIndex, rules[res.RuleIndex].ID)
		}
	}
}
