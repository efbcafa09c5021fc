package servicetypes

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

// The corpus labels were made from the same authority commit: every label's
// service type, aliases and retired flag must match the embedded data.
func TestMatchesCorpusLabels(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "corpus", "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var labels struct {
		Meta struct {
			Commit string `yaml:"service_types_authority_commit"`
		} `yaml:"meta"`
		Repos []struct {
			Name        string   `yaml:"name"`
			ServiceType *string  `yaml:"service_type"`
			Aliases     []string `yaml:"service_type_aliases"`
		} `yaml:"repos"`
	}
	if err := yaml.Unmarshal(b, &labels); err != nil {
		t.Fatal(err)
	}
	if labels.Meta.Commit != Commit() {
		t.Errorf("authority commit %s, labels made from %s", Commit(), labels.Meta.Commit)
	}
	checked := 0
	for _, r := range labels.Repos {
		s, ok := ByProject(r.Name)
		if (r.ServiceType != nil) != ok {
			t.Errorf("%s: label type %v, ByProject found=%v", r.Name, r.ServiceType, ok)
			continue
		}
		if !ok {
			continue
		}
		checked++
		if s.Type != *r.ServiceType {
			t.Errorf("%s: type %s, want %s", r.Name, s.Type, *r.ServiceType)
		}
		if len(s.Aliases) != len(r.Aliases) {
			t.Errorf("%s: aliases %v, want %v", r.Name, s.Aliases, r.Aliases)
		}
	}
	if checked < 30 {
		t.Errorf("only %d services checked", checked)
	}
	if s, ok := ByType("bare-metal"); !ok || s.Project != "ironic" {
		t.Errorf("alias lookup failed: %v", s)
	}
}
