// Package setupcfg reads the parts of a pbr/setuptools setup.cfg that
// detection needs: [metadata] name and summary, and [entry_points] groups
// with their entry names (console_scripts, wsgi_scripts, neutron.*, ...).
package setupcfg

import (
	"fmt"
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
// go-ini follows it but for one thing: in configparser a blank line or a
// full-line comment ("#", ";") neither ends a value nor resets the
// indentation a continuation is measured against, so entry points listed
// under a "# Backwards compatibility" comment after a blank line still
// belong to their group (glance_store's legacy driver names, heat's
// heat.constraints); go-ini ends the value there and reads the rest as new
// keys. Dropping those lines first makes the two agree
// (TestAgreesWithConfigparser checks every corpus setup.cfg against
// /usr/bin/python3's configparser).
func Parse(data []byte) (*File, error) {
	cfg, err := Load(data)
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

// Load reads configparser syntax (setup.cfg, tox.ini) the way Python's
// configparser does; see Parse for the one difference with go-ini it
// removes. A key before the first [section] header is an error, as in
// configparser.
func Load(data []byte) (*ini.File, error) {
	clean := dropBlankAndComments(data)
	cfg, err := ini.LoadSources(ini.LoadOptions{
		// go-ini reads a multi-line value by peeking ahead within its
		// reader buffer (4 KiB by default) and splits a value that crosses
		// it (heat's 80-line heat.constraints became a key named
		// "roupConstraint"): the whole file fits in the buffer.
		ReaderBufferSize:           len(clean) + 4096,
		AllowPythonMultilineValues: true,
		SpaceBeforeInlineComment:   true,
		IgnoreInlineComment:        true,
		SkipUnrecognizableLines:    true,
		AllowBooleanKeys:           true,
		Insensitive:                false,
		AllowShadows:               true,
	}, clean)
	if err != nil {
		return nil, err
	}
	// configparser refuses a key before the first [section] header
	// (MissingSectionHeaderError), so pip and pbr would too.
	if d, err := cfg.GetSection(ini.DefaultSection); err == nil && len(d.Keys()) > 0 {
		return nil, fmt.Errorf("%q: a key before the first [section] header", d.Keys()[0].Name())
	}
	return cfg, nil
}

// dropBlankAndComments removes the lines configparser skips inside values:
// empty ones and full-line comments.
func dropBlankAndComments(data []byte) []byte {
	var b strings.Builder
	b.Grow(len(data))
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
