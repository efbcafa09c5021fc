// Package servicetypes is the OpenStack service-types authority
// (openstack/service-types-authority service-types.yaml), embedded as
// generated data. Regenerate with gen.py beside this file; the source commit
// is recorded in servicetypes.json.
package servicetypes

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:generate sh -c "/usr/bin/python3 gen.py $GIT_DIR > servicetypes.json"

//go:embed servicetypes.json
var raw []byte

// Service is one entry of the authority.
type Service struct {
	Type                string   `json:"service_type"`
	Project             string   `json:"project"`
	Aliases             []string `json:"aliases"`
	Retired             bool     `json:"retired"`
	Secondary           bool     `json:"secondary"`
	APIReferenceProject string   `json:"api_reference_project"`
}

type file struct {
	Commit   string    `json:"commit"`
	Services []Service `json:"services"`
}

var (
	once      sync.Once
	data      file
	byProject map[string]*Service
	byType    map[string]*Service
)

func load() {
	once.Do(func() {
		if err := json.Unmarshal(raw, &data); err != nil {
			panic("servicetypes: embedded data is corrupt: " + err.Error())
		}
		byProject = map[string]*Service{}
		byType = map[string]*Service{}
		for i := range data.Services {
			s := &data.Services[i]
			// The first entry for a project wins: the authority lists a
			// project's primary type before any secondary one.
			if _, ok := byProject[s.Project]; !ok || byProject[s.Project].Secondary {
				byProject[s.Project] = s
			}
			byType[s.Type] = s
			for _, a := range s.Aliases {
				if _, ok := byType[a]; !ok {
					byType[a] = s
				}
			}
		}
	})
}

// ByProject finds the service a project (repository name) implements.
func ByProject(project string) (*Service, bool) {
	load()
	s, ok := byProject[project]
	return s, ok
}

// ByType finds a service by its type or one of its aliases.
func ByType(t string) (*Service, bool) {
	load()
	s, ok := byType[t]
	return s, ok
}

// APIReferenceFor returns the service whose api_reference_project is the
// given project (neutron-lib hosts the networking API reference).
func APIReferenceFor(project string) (*Service, bool) {
	load()
	for i := range data.Services {
		if data.Services[i].APIReferenceProject == project {
			return &data.Services[i], true
		}
	}
	return nil, false
}

// All returns every service of the authority.
func All() []Service { load(); return data.Services }

// Commit is the service-types-authority commit the data came from.
func Commit() string { load(); return data.Commit }

// Check accepts a service type the authority knows (type or alias) and,
// for a service it does not list yet, only the shape every authority type
// has: lower-case words joined by single hyphens, at most 64 characters.
// The type goes into Python, YAML and reStructuredText; anything else is
// refused rather than escaped into surprises.
func Check(t string) error {
	if _, ok := ByType(t); ok {
		return nil
	}
	if len(t) > 64 || !isTypeShape(t) {
		return fmt.Errorf("service type %q is neither in the service-types authority nor of its form (lower-case words joined by hyphens, like block-storage)", t)
	}
	return nil
}

func isTypeShape(t string) bool {
	if t == "" || t[0] < 'a' || t[0] > 'z' || t[len(t)-1] == '-' {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && t[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// CheckProject accepts a project name of the form Python packaging and
// OpenStack repositories use (letters, digits, '.', '_', '-', starting with
// a letter or digit, at most 100 characters). The name comes from the
// repository's setup.cfg or folder and becomes file names, Python, YAML
// and Zuul job names.
func CheckProject(name string) error {
	ok := name != "" && len(name) <= 100
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			i > 0 && (c == '.' || c == '_' || c == '-')
	}
	if !ok {
		return fmt.Errorf("project name %q is not a valid package name (letters, digits, '.', '_', '-')", name)
	}
	return nil
}
