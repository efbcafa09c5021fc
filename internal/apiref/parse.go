// Package apiref reads an OpenStack project's API reference
// (api-ref/source/*.inc and *.rst, the os-api-ref Sphinx dialect): the
// `.. rest_method::` operations, their `.. rest_parameters::` blocks
// resolved against parameters.yaml, `.. literalinclude::` JSON samples and
// microversion notes, and groups them into resources. Malformed input never
// stops the parse: it becomes a Finding with file and line.
package apiref

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Param is one documented request or response parameter.
type Param struct {
	Name       string `json:"name"` // as listed (the key in the request/response)
	Ref        string `json:"ref"`  // key in parameters.yaml
	In         string `json:"in"`   // path, query, header, body
	Type       string `json:"type"`
	Required   bool   `json:"required"`
	MinVersion string `json:"min_version,omitempty"`
	// Description is the parameters.yaml text: it may list a status
	// field's values or a header's value.
	Description string `json:"description,omitempty"`
}

// Op is one documented REST operation.
type Op struct {
	File     string  `json:"file"`
	Line     int     `json:"line"`
	Title    string  `json:"title"`
	Verb     string  `json:"verb"`
	Path     string  `json:"path"` // normalised: leading "/", no query string
	Request  []Param `json:"request,omitempty"`
	Response []Param `json:"response,omitempty"`
	// Samples are the decoded JSON of the first request / response
	// literalinclude (nil when none or not JSON).
	RequestSample  any    `json:"request_sample,omitempty"`
	ResponseSample any    `json:"response_sample,omitempty"`
	MinVersion     string `json:"min_version,omitempty"` // "New in version X" / versionadded
	// Success are the documented success codes (rest_status_code success,
	// or "Normal response codes"): 202 means the work goes on after the
	// answer.
	Success []int `json:"success,omitempty"`
	// Errors are the documented error codes (rest_status_code error, or
	// "Error response codes"): a 404 on a collection with no parameter
	// in its path documents how the API answers an empty result.
	Errors []int `json:"errors,omitempty"`
	// Admin is set when the operation's section says only administrators
	// may call it by default ("Admin only API", "administrative users").
	Admin bool `json:"admin,omitempty"`
	// Prose is the text of the operation's section (title to title,
	// without directives and bullet lists), whitespace collapsed: what it
	// says about its fields ("Host name should be equal to ...").
	Prose string `json:"prose,omitempty"`
}

// Finding is a problem in the API reference, with its position.
type Finding struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"message"`
}

func (f Finding) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Msg) }

// Resolver reads a file named by a directive, relative to the file that
// names it. It must refuse paths leaving the repository.
type Resolver func(from, name string) ([]byte, error)

// Params is a decoded parameters.yaml.
type Params map[string]Param

var (
	directiveRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\.\.\s+([a-z_]+)::\s*(.*)$`) })
	paramLineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s+-\s+([^:\s][^:]*?)\s*:\s*(\S+)\s*$`) })
	headingRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(=+|-+|~+|\^+|\*+|#+)\s*$`) })
	altParamRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/(?:<([^/<>]+)>|\(([^/()]+)\))`) })
	codeLineRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s+-\s+([1-5][0-9][0-9])\b`) })
	normalRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)normal response codes?:\s*(.*)$`) })
	errorRe     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)error response codes?:\s*(.*)$`) })
	codeRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b[1-5][0-9][0-9]\b`) })
	adminRe     = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\badmin(istrator)?s?[- ]only\b|\bonly (cloud |the )?(admin|administrator)s?\b|\badministrative (users|role)\b|\badmin(istrator)? role\b|\bby default[^.]{0,60}\badmin`)
	})
	versionRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(?:new in version|versionadded::|min_version:?|available (?:starting )?(?:from|as of) (?:micro)?version)\s*([0-9]+\.[0-9]+)`)
	})
)

// ParseParams decodes a parameters.yaml; entries that are not mappings
// are reported, not fatal.
func ParseParams(file string, data []byte) (Params, []Finding) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, []Finding{{File: file, Line: yamlLine(err), Msg: "parameters: " + err.Error()}}
	}
	out := Params{}
	var fs []Finding
	if len(root.Content) == 0 {
		return out, nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return out, []Finding{{File: file, Line: m.Line, Msg: "parameters: top level is not a mapping"}}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		var raw struct {
			In          string `yaml:"in"`
			Type        string `yaml:"type"`
			Required    any    `yaml:"required"`
			MinVersion  any    `yaml:"min_version"`
			Description string `yaml:"description"`
		}
		if v.Kind != yaml.MappingNode || v.Decode(&raw) != nil {
			fs = append(fs, Finding{File: file, Line: k.Line, Msg: fmt.Sprintf("parameter %q is not a mapping of in/type/required", k.Value)})
			continue
		}
		req := false
		switch r := raw.Required.(type) {
		case bool:
			req = r
		case string:
			req, _ = strconv.ParseBool(r)
		}
		p := Param{Ref: k.Value, In: raw.In, Type: raw.Type, Required: req,
			Description: strings.Join(strings.Fields(raw.Description), " ")}
		if raw.MinVersion != nil {
			p.MinVersion = fmt.Sprint(raw.MinVersion)
		}
		out[k.Value] = p
	}
	return out, fs
}

func yamlLine(err error) int {
	if m := regexp.MustCompile(`line (\d+)`).FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// ParseRST reads one .inc/.rst file. params loads a parameters file named
// by a rest_parameters directive (nil params means "cannot resolve").
func ParseRST(file string, data []byte, read Resolver, params func(name string) (Params, error)) ([]Op, []Finding) {
	var ops []Op
	var fs []Finding
	finding := func(line int, f string, a ...any) {
		fs = append(fs, Finding{File: file, Line: line, Msg: fmt.Sprintf(f, a...)})
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		finding(len(lines)+1, "reading: %v", err)
	}
	var cur *Op
	fileVersion := ""
	inResponse := false
	lastTitle := ""
	// The prose of a section (title to title) tells admin-only
	// operations; it is judged when the section ends.
	sectionStart, prose := 0, []string{}
	inBullet := false
	endSection := func() {
		text := strings.Join(strings.Fields(strings.Join(prose, " ")), " ")
		admin := adminRe().MatchString(text)
		for k := sectionStart; k < len(ops); k++ {
			ops[k].Admin = ops[k].Admin || admin
			ops[k].Prose = text
		}
		sectionStart, prose = len(ops), prose[:0]
	}
	defer endSection()
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		lineNo := i + 1
		// A heading is a text line followed by an underline at least as long.
		if i+1 < len(lines) && strings.TrimSpace(ln) != "" && headingRe().MatchString(lines[i+1]) &&
			!strings.HasPrefix(ln, "..") && len(strings.TrimSpace(lines[i+1])) >= len(strings.TrimSpace(ln)) {
			title := strings.TrimSpace(ln)
			if strings.HasPrefix(strings.ToLower(title), "response") {
				inResponse = true
			} else if strings.HasPrefix(strings.ToLower(title), "request") {
				inResponse = false
			} else {
				endSection()
				lastTitle = title
			}
			i++
			continue
		}
		if cur != nil {
			if m := normalRe().FindStringSubmatch(ln); m != nil {
				for _, c := range codeRe().FindAllString(m[1], -1) {
					n, _ := strconv.Atoi(c)
					cur.Success = append(cur.Success, n)
				}
			}
			if m := errorRe().FindStringSubmatch(ln); m != nil {
				for _, c := range codeRe().FindAllString(m[1], -1) {
					n, _ := strconv.Atoi(c)
					cur.Errors = append(cur.Errors, n)
				}
			}
		}
		// Bullet lists (with their indented continuation lines) list
		// filters and parameters, where "admin only" qualifies one of
		// them, not the operation.
		t := strings.TrimSpace(ln)
		switch {
		case strings.HasPrefix(t, "- "), strings.HasPrefix(t, "* "):
			inBullet = true
		case t == "" || !strings.HasPrefix(ln, " "):
			inBullet = false
		}
		if !inBullet && !strings.HasPrefix(t, "..") {
			prose = append(prose, ln)
		}
		// A version note before the first operation covers the file
		// ("Resource class API calls are available starting from
		// version 1.2"); one in an operation's section, that operation.
		if m := versionRe().FindStringSubmatch(ln); m != nil && !inResponse {
			switch {
			case cur == nil && (fileVersion == "" || CompareVersions(m[1], fileVersion) > 0):
				fileVersion = m[1]
			case cur != nil && (cur.MinVersion == "" || CompareVersions(m[1], cur.MinVersion) > 0):
				cur.MinVersion = m[1]
			}
		}
		m := directiveRe().FindStringSubmatch(strings.TrimSpace(ln))
		if m == nil || strings.HasPrefix(ln, " ") && m[1] != "literalinclude" {
			continue
		}
		switch m[1] {
		case "rest_status_code":
			f := strings.Fields(m[2])
			j := i + 1
			for ; j < len(lines); j++ {
				l := lines[j]
				if strings.TrimSpace(l) == "" {
					continue
				}
				cm := codeLineRe().FindStringSubmatch(l)
				if cm == nil {
					break
				}
				if cur != nil && len(f) > 0 {
					n, _ := strconv.Atoi(cm[1])
					switch f[0] {
					case "success":
						cur.Success = append(cur.Success, n)
					case "error":
						cur.Errors = append(cur.Errors, n)
					}
				}
			}
			i = j - 1
		case "rest_method":
			f := strings.Fields(strings.ReplaceAll(m[2], "`", ""))
			if len(f) != 2 {
				finding(lineNo, "rest_method: want VERB /path, got %q", m[2])
				cur = nil
				continue
			}
			verb := strings.ToUpper(f[0])
			switch verb {
			case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
			default:
				finding(lineNo, "rest_method: unknown HTTP verb %q", f[0])
				cur = nil
				continue
			}
			ops = append(ops, Op{File: file, Line: lineNo, Title: lastTitle, Verb: verb, Path: NormPath(f[1]), MinVersion: fileVersion})
			cur = &ops[len(ops)-1]
			inResponse = false
		case "rest_parameters":
			// The list follows the directive, indented, after optional blanks.
			var list []Param
			var at []int // line of each listed parameter
			j := i + 1
			for ; j < len(lines); j++ {
				l := lines[j]
				if strings.TrimSpace(l) == "" {
					continue
				}
				pm := paramLineRe().FindStringSubmatch(l)
				if pm == nil {
					if strings.HasPrefix(l, " ") && strings.HasPrefix(strings.TrimSpace(l), "-") {
						finding(j+1, "rest_parameters: want \"- name: key\", got %q", strings.TrimSpace(l))
						continue
					}
					break
				}
				list = append(list, Param{Name: pm[1], Ref: pm[2]})
				at = append(at, j+1)
			}
			if cur == nil {
				i = j - 1
				continue
			}
			var ps Params
			var err error
			if params != nil {
				ps, err = params(strings.TrimSpace(m[2]))
			}
			if err != nil {
				finding(lineNo, "rest_parameters: %v", err)
			}
			for k, p := range list {
				def, ok := ps[p.Ref]
				if !ok && ps != nil {
					finding(at[k], "rest_parameters: %q not defined in %s", p.Ref, strings.TrimSpace(m[2]))
				}
				def.Name, def.Ref = p.Name, p.Ref
				// The path says what a {name} of it is, whatever its
				// definition's "in" (freezer's are all "in: query").
				if ok && def.In != "path" && strings.Contains(cur.Path, "{"+p.Name+"}") {
					def.In = "path"
				}
				list[k] = def
			}
			if inResponse {
				cur.Response = append(cur.Response, list...)
			} else {
				cur.Request = append(cur.Request, list...)
			}
			i = j - 1
		case "literalinclude":
			if cur == nil || read == nil {
				continue
			}
			name := strings.TrimSpace(m[2])
			if !strings.HasSuffix(name, ".json") {
				continue
			}
			b, err := read(file, name)
			if err != nil {
				finding(lineNo, "literalinclude %s: %v", name, err)
				continue
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				finding(lineNo, "literalinclude %s: not JSON: %v", name, err)
				continue
			}
			isReq := !inResponse && !strings.Contains(strings.ToLower(name), "resp")
			switch {
			case isReq && cur.RequestSample == nil:
				cur.RequestSample = v
			case !isReq && cur.ResponseSample == nil:
				cur.ResponseSample = v
			}
		}
	}
	return ops, fs
}

// NormPath strips a query string and backticks and makes the path absolute.
func NormPath(p string) string {
	p = strings.Trim(p, "`")
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	// Some references spell parameters <x> or (x); os-api-ref's is {x}.
	p = altParamRe().ReplaceAllString("/"+strings.Trim(p, "/"), "/{$1$2}")
	return p
}

// CompareVersions orders "X.Y" microversions numerically (bad input sorts first).
func CompareVersions(a, b string) int {
	pa, pb := splitVersion(a), splitVersion(b)
	for i := 0; i < 2; i++ {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func splitVersion(v string) [2]int {
	var out [2]int
	maj, min, _ := strings.Cut(v, ".")
	out[0], _ = strconv.Atoi(maj)
	out[1], _ = strconv.Atoi(min)
	return out
}
