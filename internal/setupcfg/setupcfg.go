// Package setupcfg reads the parts of a pbr/setuptools setup.cfg that
// detection needs: [metadata] name and summary, and [entry_points] groups
// with their entry names (console_scripts, wsgi_scripts, neutron.*, ...).
package setupcfg

import (
	"strings"

	"gopkg.in/ini.v1"
)

// File is what detection reads from setup.cfg.
type File struct {
	Name        string
	Summary     string
	EntryPoints map[string][]string
	// Sections lists the section names in file order.
	Sections []string
}

// Parse reads setup.cfg content. setup.cfg is Python configparser syntax:
// multi-line values are continuation lines indented under their key.
func Parse(data []byte) (*File, error) {
	cfg, err := ini.LoadSources(ini.LoadOptions{
		AllowPythonMultilineValues: true,
		SpaceBeforeInlineComment:   true,
		IgnoreInlineComment:        true,
		SkipUnrecognizableLines:    true,
		AllowBooleanKeys:           true,
		Insensitive:                false,
		AllowShadows:               true,
	}, data)
	if err != nil {
		return nil, err
	}
	f := &File{EntryPoints: map[string][]string{}}
	for _, s := range cfg.Sections() {
		if s.Name() != ini.DefaultSection {
			f.Sections = append(f.Sections, s.Name())
		}
	}
	if md, err := cfg.GetSection("metadata"); err == nil {
		f.Name = strings.TrimSpace(md.Key("name").String())
		f.Summary = strings.TrimSpace(md.Key("summary").String())
		if f.Summary == "" {
			f.Summary = strings.TrimSpace(md.Key("description").String())
		}
	}
	if ep, err := cfg.GetSection("entry_points"); err == nil {
		for _, k := range ep.Keys() {
			var names []string
			for _, line := range strings.Split(k.Value(), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				if i := strings.IndexByte(line, '='); i > 0 {
					names = append(names, strings.TrimSpace(line[:i]))
				}
			}
			f.EntryPoints[k.Name()] = append(f.EntryPoints[k.Name()], names...)
		}
	}
	return f, nil
}
