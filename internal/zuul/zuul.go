// Package zuul inserts a Rally job and its project-pipeline entry into a
// repository's own Zuul configuration. Files are parsed with the yaml.v3
// node API only to find positions; the edit itself is a text insertion, so
// every byte outside the inserted stanza (comments, anchors, order, quoting)
// stays as it was.
package zuul

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"go.yaml.in/yaml/v3"
)

// Job is the Zuul job to add, already decided by the plan.
type Job struct {
	Name      string `json:"name"`
	Parent    string `json:"parent"`
	RallyTask string `json:"rally_task"`
	// DevstackPlugins are name → URL pairs, in order.
	DevstackPlugins [][2]string `json:"devstack_plugins"`
	// RequiredProjects such as "openstack/rally".
	RequiredProjects []string `json:"required_projects"`
	Timeout          int      `json:"timeout"`
	IrrelevantFiles  []string `json:"irrelevant_files"`
	// Gate adds the job to the gate pipeline as voting; otherwise it goes
	// to check only, non-voting.
	Gate bool `json:"gate"`
	// Pipeline, when set, is the one pipeline the job runs in instead of
	// check (and gate): "periodic" or "experimental" for a load test that
	// has no place on every change.
	Pipeline string `json:"pipeline,omitempty"`
}

// pipelines are the project pipelines the job is listed in.
func (j Job) pipelines() []string {
	if j.Pipeline != "" && j.Pipeline != "check" {
		return []string{j.Pipeline}
	}
	if j.Gate {
		return []string{"check", "gate"}
	}
	return []string{"check"}
}

// Edit is one file change: Old is nil for a new file.
type Edit struct {
	Path string // relative to the repository root, slash-separated
	Old  []byte
	New  []byte
}

// Layout names where a repository keeps its Zuul configuration, in the
// order Zuul itself reads them.
var layoutNames = []string{"zuul.yaml", "zuul.d", ".zuul.yaml", ".zuul.d"}

// Layout returns the repository's Zuul config location (relative) and
// whether it is a directory; "" when the repository has none.
func Layout(repo string) (string, bool) {
	for _, n := range layoutNames {
		fi, err := os.Stat(filepath.Join(repo, n))
		if err != nil {
			continue
		}
		if fi.IsDir() {
			return n, true
		}
		if fi.Mode().IsRegular() {
			return n, false
		}
	}
	return "", false
}

// checkLayout refuses a Zuul config name that is neither a folder nor a
// regular file (a FIFO would hang the read, and writing a new .zuul.yaml
// over it would hide it) or that is a symlink leaving the repository.
func checkLayout(repo string) error {
	for _, n := range layoutNames {
		if _, err := os.Lstat(filepath.Join(repo, n)); err != nil {
			continue
		}
		p, err := fsutil.Within(repo, n)
		if err != nil {
			return err
		}
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%s: %w", n, fsutil.Bare(err))
		}
		if !fi.IsDir() && !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: %w", n, fsutil.ErrNotRegular)
		}
	}
	return nil
}

// Edits computes the edits that add job to the repository's Zuul config.
// It returns no edits when the job and its pipeline entries already exist.
func Edits(repo string, job Job) ([]Edit, error) {
	if err := checkLayout(repo); err != nil {
		return nil, err
	}
	layout, isDir := Layout(repo)
	if layout == "" {
		// No Zuul config at all: a new .zuul.yaml holding job and project.
		body := "---\n" + renderJob(job) + "\n" + renderProject(job)
		return []Edit{{Path: ".zuul.yaml", New: []byte(body)}}, nil
	}
	var files []*file
	if isDir {
		ents, err := os.ReadDir(filepath.Join(repo, layout))
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			n := e.Name()
			if e.Type().IsRegular() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
				f, err := load(repo, layout+"/"+n, job.Name)
				if err != nil {
					return nil, err
				}
				files = append(files, f)
			}
		}
		sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	} else {
		f, err := load(repo, layout, "")
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}

	jobDefined := false
	for _, f := range files {
		if f.hasJob(job.Name) {
			jobDefined = true
		}
	}
	pf, proj := projectStanza(files)

	// Every edit is computed as line insertions on the original parse, then
	// applied bottom-up: one parse per file, and nothing but insertions.
	ins := map[string][]insertion{}
	var created []Edit
	if !jobDefined {
		switch {
		case isDir:
			rel := layout + "/rally.yaml"
			if f := findFile(files, rel); f != nil {
				ins[rel] = append(ins[rel], appendAt(f, renderJob(job)))
			} else {
				if _, err := os.Lstat(filepath.Join(repo, filepath.FromSlash(rel))); err == nil {
					// A symlink or special file there: writing would replace it.
					return nil, fmt.Errorf("%s: %w (a symlink or special file); please add job %s by hand", rel, fsutil.ErrNotRegular, job.Name)
				}
				created = append(created, Edit{Path: rel, New: []byte("---\n" + renderJob(job))})
			}
		default:
			f := files[0]
			ins[f.path] = append(ins[f.path], insertJob(f, proj, job))
		}
	}

	pipelines := job.pipelines()
	if pf == nil {
		// A config without any project stanza: add one where the job lives
		// (single file) or beside the job (directory layout). An empty
		// zuul.d/ has no files[0].
		var target string
		if isDir {
			target = layout + "/rally.yaml"
		} else {
			target = files[0].path
		}
		if len(created) > 0 && created[0].Path == target {
			created[0].New = append(created[0].New, "\n"+renderProject(job)...)
		} else if l := ins[target]; len(l) > 0 {
			ins[target] = append(l, insertion{l[len(l)-1].line, "\n" + renderProject(job)})
		} else {
			ins[target] = append(ins[target], appendAt(findFile(files, target), renderProject(job)))
		}
	} else {
		for _, p := range pipelines {
			in, err := addToPipeline(pf, proj, p, job)
			if err != nil {
				return nil, err
			}
			if in != nil {
				ins[pf.path] = append(ins[pf.path], *in)
			}
		}
	}

	var edits []Edit
	for _, f := range files {
		if l := ins[f.path]; len(l) > 0 {
			edits = append(edits, Edit{Path: f.path, Old: f.orig, New: f.restore(applyInsertions(f, l))})
		}
	}
	edits = append(edits, created...)
	// Every edited file must still parse, without duplicate keys, and
	// mean to PyYAML (which Zuul uses) what it means here.
	for _, e := range edits {
		var v any
		if err := yaml.Unmarshal(bytes.TrimPrefix(e.New, utf8BOM), &v); err != nil {
			return nil, fmt.Errorf("%s: edit would break the YAML (%v); please add job %s by hand", e.Path, err, job.Name)
		}
		var doc yaml.Node
		_ = yaml.Unmarshal(bytes.TrimPrefix(e.New, utf8BOM), &doc)
		if n := mistagged(&doc); n != nil {
			return nil, fmt.Errorf("%s:%d:%d: tag %s on a %s, which PyYAML refuses; please add job %s by hand", e.Path, n.Line, n.Column, n.Tag, kindName(n.Kind), job.Name)
		}
	}
	return edits, nil
}

// mistagged finds a collection carrying an explicit scalar tag
// ("jobs: !!null" with list items under it): yaml.v3 reads the list,
// PyYAML refuses the file.
func mistagged(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	// Only YAML's own tags: Zuul constructs its custom ones
	// (!encrypted/pkcs1-oaep on a list of secrets).
	std := strings.HasPrefix(n.Tag, "!!")
	if n.Style&yaml.TaggedStyle != 0 && std && (n.Kind == yaml.SequenceNode && n.Tag != "!!seq" || n.Kind == yaml.MappingNode && n.Tag != "!!map") {
		return n
	}
	for _, c := range n.Content {
		if m := mistagged(c); m != nil {
			return m
		}
	}
	return nil
}

func kindName(k yaml.Kind) string {
	if k == yaml.MappingNode {
		return "mapping"
	}
	return "list"
}

// insertion is text to insert before 0-based line (len(lines) = at EOF).
type insertion struct {
	line int
	text string
}

// applyInsertions applies insertions in line order. At the same line the
// more indented text goes first: it closes the inner block that ends there
// (gate's new jobs list before a new sibling check pipeline).
func applyInsertions(f *file, l []insertion) []byte {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].line != l[j].line {
			return l[i].line < l[j].line
		}
		return indentOf(strings.TrimLeft(l[i].text, "\n")) > indentOf(strings.TrimLeft(l[j].text, "\n"))
	})
	var out []byte
	prev := 0
	for _, in := range l {
		at := offsetOfLine(f.lines, min(in.line, len(f.lines)))
		out = append(out, f.data[prev:at]...)
		if at > 0 && f.data[at-1] != '\n' && (len(out) == 0 || out[len(out)-1] != '\n') {
			out = append(out, '\n')
		}
		out = append(out, in.text...)
		prev = at
	}
	return append(out, f.data[prev:]...)
}

// appendAt adds a stanza at the end of the file, after one blank line.
func appendAt(f *file, text string) insertion {
	if len(bytes.TrimSpace(f.data)) > 0 && !bytes.HasSuffix(f.data, []byte("\n\n")) {
		text = "\n" + text
	}
	return insertion{len(f.lines), text}
}

func findFile(files []*file, path string) *file {
	for _, f := range files {
		if f.path == path {
			return f
		}
	}
	return nil
}

type file struct {
	path  string
	orig  []byte   // as read, for Edit.Old
	bom   bool     // orig starts with a UTF-8 byte-order mark
	crlf  bool     // orig ends every line with CRLF
	data  []byte   // orig without BOM, with LF line ends
	lines []string // with their "\n"
	root  *yaml.Node
}

// load reads and parses a config file. With a job name, a file that
// mentions neither it nor a project stanza is not parsed (it cannot
// matter, and zuul.d/ files can be long).
func load(repo, rel, job string) (*file, error) {
	p, err := fsutil.Within(repo, filepath.FromSlash(rel))
	if err != nil {
		return nil, err
	}
	data, err := fsutil.ReadRegular(p, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, fsutil.Bare(err))
	}
	// The edits work on LF text without a byte-order mark; restore puts
	// the file's own CRLF line ends and BOM back on what is written.
	orig := data
	bom := bytes.HasPrefix(data, utf8BOM)
	data = bytes.TrimPrefix(data, utf8BOM)
	crlf := pureCRLF(data)
	if crlf {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	var f *file
	if job != "" && !bytes.Contains(data, []byte("project")) && !bytes.Contains(data, []byte(job)) && rel != path.Dir(rel)+"/rally.yaml" {
		f = &file{path: rel, data: data, lines: splitLines(data)}
	} else if f, err = parse(rel, data); err != nil {
		return nil, err
	}
	f.orig, f.bom, f.crlf = orig, bom, crlf
	return f, nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

// pureCRLF: every line of data ends with CRLF (a file with mixed line ends
// is left as it is).
func pureCRLF(data []byte) bool {
	n := bytes.Count(data, []byte("\n"))
	return n > 0 && bytes.Count(data, []byte("\r\n")) == n
}

// restore gives edited text the file's own line ends and BOM.
func (f *file) restore(b []byte) []byte {
	if f.crlf {
		b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	}
	if f.bom {
		b = append(append([]byte{}, utf8BOM...), b...)
	}
	return b
}

func parse(rel string, data []byte) (*file, error) {
	f := &file{path: rel, data: data, lines: splitLines(data)}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", rel, yamlErr(err))
	}
	if len(doc.Content) > 0 {
		f.root = doc.Content[0]
		if f.root.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s:%d:%d: Zuul config must be a list of stanzas", rel, f.root.Line, f.root.Column)
		}
	}
	return f, nil
}

func yamlErr(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return err.Error()
}

func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

// stanza returns the item's single key and value (job:, project:, ...).
func stanza(item *yaml.Node) (string, *yaml.Node) {
	if item.Kind != yaml.MappingNode || len(item.Content) < 2 {
		return "", nil
	}
	return item.Content[0].Value, item.Content[1]
}

func mapGet(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func (f *file) hasJob(name string) bool {
	if f.root == nil {
		return false
	}
	for _, it := range f.root.Content {
		if k, v := stanza(it); k == "job" {
			if _, n := mapGet(v, "name"); n != nil && n.Value == name {
				return true
			}
		}
	}
	return false
}

// projectStanza picks the project stanza to edit: in a file named
// project(s).yaml first, and preferring a stanza that already has a check
// pipeline (a zuul.d/ may hold extra project stanzas for other pipelines).
func projectStanza(files []*file) (*file, *yaml.Node) {
	type cand struct {
		f    *file
		item *yaml.Node
		rank int
	}
	var best *cand
	for _, f := range files {
		if f.root == nil {
			continue
		}
		base := filepath.Base(f.path)
		for _, it := range f.root.Content {
			k, v := stanza(it)
			if k != "project" || v == nil || v.Kind != yaml.MappingNode {
				continue
			}
			r := 0
			if base == "project.yaml" || base == "projects.yaml" {
				r += 2
			}
			if _, c := mapGet(v, "check"); c != nil {
				r++
			}
			if best == nil || r > best.rank {
				best = &cand{f, it, r}
			}
		}
	}
	if best == nil {
		return nil, nil
	}
	return best.f, best.item
}

// insertJob puts the job stanza before the project stanza (the usual order:
// jobs first, then the project), or at the end of the file.
func insertJob(f *file, proj *yaml.Node, job Job) insertion {
	text := renderJob(job)
	if proj == nil {
		return appendAt(f, text)
	}
	line := proj.Line - 1 // 0-based index of "- project:"
	// Keep comments that introduce the project stanza attached to it.
	for line > 0 && isComment(f.lines[line-1]) {
		line--
	}
	return insertion{line, text + "\n"}
}

func isComment(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "#") }
func isBlank(l string) bool   { return strings.TrimSpace(l) == "" }

func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

func offsetOfLine(lines []string, i int) int {
	n := 0
	for _, l := range lines[:i] {
		n += len(l)
	}
	return n
}

// addToPipeline lists the job in the project's pipeline (check: non-voting
// unless Gate; gate: voting), creating the pipeline or its jobs list when
// missing. Returns the file data unchanged if the job is already listed.
func addToPipeline(f *file, projItem *yaml.Node, pipeline string, job Job) (*insertion, error) {
	_, proj := stanza(projItem)
	if !blockNonEmpty(proj) {
		return nil, handEdit(f, proj, "project", job)
	}
	entry := job.Name
	if !job.Gate && pipeline == "check" {
		entry = job.Name + ":\n  voting: false"
	}
	pk, pv := mapGet(proj, pipeline)
	if pv == nil {
		// New pipeline key after the project's last key.
		keyCol := proj.Content[0].Column - 1
		child := childIndent(f, proj, keyCol)
		text := indentBlock(pipeline+":\n"+strings.Repeat(" ", child)+"jobs:\n"+
			indentBlock("- "+indentTail(entry, 2), 2*child), keyCol)
		return insertAfterNode(f, proj, text), nil
	}
	if pv.Kind != yaml.MappingNode {
		if pv.Kind == yaml.ScalarNode && (pv.Tag == "!!null" || pv.Value == "") {
			// "check:" with nothing under it.
			child := pk.Column - 1 + 2
			text := indentBlock("jobs:\n"+indentBlock("- "+indentTail(entry, 2), 2), child)
			return &insertion{pk.Line, text}, nil
		}
		return nil, fmt.Errorf("%s:%d:%d: project %s is not a mapping; please add job %s by hand", f.path, pv.Line, pv.Column, pipeline, job.Name)
	}
	if !blockNonEmpty(pv) {
		return nil, handEdit(f, pv, pipeline, job)
	}
	jk, jv := mapGet(pv, "jobs")
	if jv == nil {
		keyCol := pv.Content[0].Column - 1
		text := indentBlock("jobs:\n"+indentBlock("- "+indentTail(entry, 2), 2), keyCol)
		return insertAfterNode(f, pv, text), nil
	}
	if jv.Kind == yaml.SequenceNode && jv.Style&yaml.FlowStyle == 0 && len(jv.Content) > 0 {
		for _, it := range jv.Content {
			if jobEntryName(it) == job.Name {
				return nil, nil
			}
		}
		first := jv.Content[0]
		dashCol := first.Column - 1 - 2 // "- " precedes the item node
		if l := f.lines[first.Line-1]; first.Column-1 < len(l) {
			// Find the real dash position on the item's line.
			if d := strings.LastIndex(l[:first.Column-1], "-"); d >= 0 {
				dashCol = d
			}
		}
		text := indentBlock("- "+indentTail(entry, 2), dashCol)
		return insertAfterNode(f, jv, text), nil
	}
	if jv.Kind == yaml.ScalarNode && (jv.Tag == "!!null" || jv.Value == "") {
		child := jk.Column - 1 + 2
		return &insertion{jk.Line, indentBlock("- "+indentTail(entry, 2), child)}, nil
	}
	return nil, fmt.Errorf("%s:%d:%d: %s jobs is not a block list; please add job %s by hand", f.path, jv.Line, jv.Column, pipeline, job.Name)
}

func blockNonEmpty(n *yaml.Node) bool {
	return n != nil && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0
}

func handEdit(f *file, n *yaml.Node, what string, job Job) error {
	return fmt.Errorf("%s:%d:%d: %s is an empty or flow-style mapping rallyforge does not edit; please add job %s by hand", f.path, n.Line, n.Column, what, job.Name)
}

func jobEntryName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value
	case yaml.MappingNode:
		if len(n.Content) >= 2 {
			return n.Content[0].Value
		}
	}
	return ""
}

// childIndent guesses how far the file indents a mapping's children.
func childIndent(f *file, proj *yaml.Node, keyCol int) int {
	for i := 1; i < len(proj.Content); i += 2 {
		v := proj.Content[i]
		if v.Kind == yaml.MappingNode && len(v.Content) > 0 {
			if d := v.Content[0].Column - 1 - keyCol; d > 0 {
				return d
			}
		}
	}
	return 2
}

// insertAfterNode inserts text after the last line that belongs to node
// (a block mapping or sequence), before any blank lines or trailing
// comments that lead to the next entry. The node ends before the first
// later line indented at or left of the node's own column.
func insertAfterNode(f *file, n *yaml.Node, text string) *insertion {
	col := n.Column - 1
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
		// Column of the dash: items start 2 columns right of it.
		col = n.Content[0].Column - 1 - 2
		if col < 0 {
			col = 0
		}
	}
	last := lastNodeLine(n) - 1
	end := last
	for i := last + 1; i < len(f.lines); i++ {
		l := f.lines[i]
		if isBlank(l) {
			continue
		}
		if isComment(l) {
			if indentOf(l) > col {
				continue
			}
			break
		}
		if indentOf(l) <= col || strings.HasPrefix(l, "---") || strings.HasPrefix(l, "...") {
			break
		}
		end = i
	}
	return &insertion{end + 1, text}
}

// lastNodeLine is the last line (1-based) at which n or a descendant starts.
func lastNodeLine(n *yaml.Node) int {
	l := n.Line
	for _, c := range n.Content {
		if x := lastNodeLine(c); x > l {
			l = x
		}
	}
	if n.Kind == yaml.AliasNode {
		return n.Line
	}
	return l
}

// indentBlock prefixes every non-empty line with n spaces; text ends in "\n".
func indentBlock(text string, n int) string {
	pad := strings.Repeat(" ", n)
	var b strings.Builder
	for _, l := range strings.SplitAfter(strings.TrimSuffix(text, "\n")+"\n", "\n") {
		if l == "" {
			continue
		}
		if strings.TrimSpace(l) != "" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	return b.String()
}

// indentTail indents every line but the first by n (for "- " items).
func indentTail(text string, n int) string {
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = strings.Repeat(" ", n) + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

func renderJob(j Job) string {
	var b strings.Builder
	b.WriteString("- job:\n")
	fmt.Fprintf(&b, "    name: %s\n", quote(j.Name))
	fmt.Fprintf(&b, "    parent: %s\n", quote(j.Parent))
	b.WriteString("    description: |\n")
	fmt.Fprintf(&b, "      Rally task %s at DevStack %s.\n", j.RallyTask, generatedMark)
	if j.Timeout > 0 {
		fmt.Fprintf(&b, "    timeout: %d\n", j.Timeout)
	}
	if len(j.RequiredProjects) > 0 {
		b.WriteString("    required-projects:\n")
		for _, p := range j.RequiredProjects {
			fmt.Fprintf(&b, "      - %s\n", quote(p))
		}
	}
	if len(j.IrrelevantFiles) > 0 {
		b.WriteString("    irrelevant-files:\n")
		for _, p := range j.IrrelevantFiles {
			fmt.Fprintf(&b, "      - %s\n", quote(p))
		}
	}
	b.WriteString("    vars:\n")
	fmt.Fprintf(&b, "      rally_task: %s\n", quote(j.RallyTask))
	if len(j.DevstackPlugins) > 0 {
		b.WriteString("      devstack_plugins:\n")
		for _, p := range j.DevstackPlugins {
			fmt.Fprintf(&b, "        %s: %s\n", quote(p[0]), quote(p[1]))
		}
	}
	return b.String()
}

func renderProject(j Job) string {
	var b strings.Builder
	b.WriteString("- project:\n")
	for _, p := range j.pipelines() {
		fmt.Fprintf(&b, "    %s:\n      jobs:\n", p)
		if p == "check" && !j.Gate {
			fmt.Fprintf(&b, "        - %s:\n            voting: false\n", quote(j.Name))
		} else {
			fmt.Fprintf(&b, "        - %s\n", quote(j.Name))
		}
	}
	return b.String()
}

// quote leaves plain scalars plain and quotes anything YAML would read
// differently (regexes starting with ^ are fine plain; "*", "&", ": " not).
func quote(s string) string {
	var m map[string]any
	if err := yaml.Unmarshal([]byte("k: "+s), &m); err == nil && !strings.ContainsAny(s, "#\n") {
		if v, ok := m["k"].(string); ok && v == s {
			return s
		}
	}
	return strconv.Quote(s)
}

// RallyJob is a job of the repository that already runs Rally at the gate.
type RallyJob struct {
	Name string `json:"name"`
	// File and Line locate the job stanza (slash-separated, 1-based).
	File string `json:"file"`
	Line int    `json:"line"`
	// Via is the rally-openstack job its parent chain reaches ("" when the
	// job is a Rally job only by setting vars.rally_task).
	Via string `json:"via,omitempty"`
	// Task is the rally_task it runs: its own, else the nearest parent's in
	// the repository, else the rally-openstack parent's (TaskUpstream).
	Task         string `json:"task"`
	TaskUpstream bool   `json:"task_upstream,omitempty"`
	// Generated: the job is the one rallyforge init adds (its description
	// says so), not one the project wrote.
	Generated bool `json:"generated,omitempty"`
}

// generatedMark is in the description of every job renderJob writes.
const generatedMark = "(generated by rallyforge init)"

// RallyJobs lists the repository's jobs that already run Rally: a job is a
// Rally job when it sets vars.rally_task or when its parent chain (through
// the repository's own jobs) reaches a rally-openstack rally-task-* job.
// upstream answers for a job name whether rally-openstack defines it as a
// Rally task job, and the task it runs.
func RallyJobs(repo string, upstream func(name string) (task string, ok bool)) ([]RallyJob, error) {
	files, err := configFiles(repo)
	if err != nil {
		return nil, err
	}
	return rallyJobs(files, upstream), nil
}

// Inspect reads the repository's Zuul configuration once for both
// RallyJobs and DevStackOf (init needs both; the files can be long).
func Inspect(repo string, upstream func(name string) (task string, ok bool)) ([]RallyJob, DevStack, error) {
	files, err := configFiles(repo)
	if err != nil {
		return nil, DevStack{}, err
	}
	return rallyJobs(files, upstream), devStackOf(files), nil
}

func rallyJobs(files []*file, upstream func(name string) (task string, ok bool)) []RallyJob {
	type def struct {
		name, parent, task, file string
		line                     int
		generated                bool
	}
	var order []*def
	byName := map[string]*def{}
	for _, f := range files {
		if f.root == nil {
			continue
		}
		for _, it := range f.root.Content {
			k, v := stanza(it)
			if k != "job" {
				continue
			}
			d := &def{file: f.path, line: it.Line}
			if _, n := mapGet(v, "name"); n != nil {
				d.name = n.Value
			}
			if _, n := mapGet(v, "parent"); n != nil && n.Kind == yaml.ScalarNode {
				d.parent = n.Value
			}
			if _, n := mapGet(v, "description"); n != nil && strings.Contains(n.Value, generatedMark) {
				d.generated = true
			}
			if _, vars := mapGet(v, "vars"); vars != nil {
				if _, n := mapGet(vars, "rally_task"); n != nil && n.Kind == yaml.ScalarNode {
					d.task = n.Value
				}
			}
			if d.name == "" {
				continue
			}
			order = append(order, d)
			// Zuul job variants share a name; the first definition holds
			// the parent unless a later one sets it.
			if prev, ok := byName[d.name]; ok {
				if prev.parent == "" {
					prev.parent = d.parent
				}
				if prev.task == "" {
					prev.task = d.task
				}
				continue
			}
			byName[d.name] = d
		}
	}
	var out []RallyJob
	seenJob := map[string]bool{}
	for _, d := range order {
		if seenJob[d.name] {
			continue
		}
		seenJob[d.name] = true
		j := RallyJob{Name: d.name, File: d.file, Line: d.line, Generated: byName[d.name].generated}
		seen := map[string]bool{}
		for cur := byName[d.name]; cur != nil && !seen[cur.name]; cur = byName[cur.parent] {
			seen[cur.name] = true
			if j.Task == "" && cur.task != "" {
				j.Task = cur.task
			}
			if cur.parent == "" {
				break
			}
			if _, local := byName[cur.parent]; local {
				continue
			}
			if t, ok := upstream(cur.parent); ok {
				j.Via = cur.parent
				if j.Task == "" && t != "" {
					j.Task, j.TaskUpstream = t, true
				}
			}
			break
		}
		if j.Via != "" || byName[d.name].task != "" || (j.Task != "" && !j.TaskUpstream) {
			out = append(out, j)
		}
	}
	return out
}

// DevStack is what the repository's own DevStack jobs deploy with: the
// DevStack plugins and required projects all of them have (tempest plugins
// left out: Rally does not need them).
type DevStack struct {
	// Jobs counts the repository's DevStack jobs (jobs that set, or inherit
	// from a job of the repository, devstack_plugins, devstack_services or
	// devstack_localrc in vars or group-vars).
	Jobs             int
	Plugins          [][2]string // name → URL, in the first job's order
	RequiredProjects []string
}

// DevStackOf reads the repository's Zuul jobs for what its DevStack jobs
// deploy. Zuul merges a job's vars and required-projects with its
// parent's, so each job's own are completed along its parent chain inside
// the repository before the jobs are compared.
func DevStackOf(repo string) (DevStack, error) {
	files, err := configFiles(repo)
	if err != nil {
		return DevStack{}, err
	}
	return devStackOf(files), nil
}

func devStackOf(files []*file) DevStack {
	var ds DevStack
	type def struct {
		name, parent string
		devstack     bool
		plugins      [][2]string
		projects     []string
		tempest      []string
	}
	var order []*def
	byName := map[string]*def{}
	for _, f := range files {
		if f.root == nil {
			continue
		}
		for _, it := range f.root.Content {
			k, v := stanza(it)
			if k != "job" {
				continue
			}
			d := &def{}
			if _, n := mapGetM(v, "name"); n != nil {
				d.name = n.Value
			}
			if _, n := mapGetM(v, "parent"); n != nil && n.Kind == yaml.ScalarNode {
				d.parent = n.Value
			}
			_, vars := mapGetM(v, "vars")
			_, gvars := mapGetM(v, "group-vars")
			for _, key := range []string{"devstack_plugins", "devstack_services", "devstack_localrc"} {
				if _, n := mapGetM(vars, key); n != nil {
					d.devstack = true
				}
			}
			if gvars != nil && gvars.Kind == yaml.MappingNode {
				for i := 1; i < len(gvars.Content); i += 2 {
					if _, n := mapGetM(gvars.Content[i], "devstack_plugins"); n != nil {
						d.devstack = true
					}
				}
			}
			if _, tp := mapGetM(vars, "tempest_plugins"); tp != nil && tp.Kind == yaml.SequenceNode {
				for _, e := range tp.Content {
					d.tempest = append(d.tempest, e.Value)
				}
			}
			if _, dp := mapGetM(vars, "devstack_plugins"); dp != nil && dp.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(dp.Content); i += 2 {
					if url := deref(dp.Content[i+1]).Value; url != "" {
						d.plugins = append(d.plugins, [2]string{dp.Content[i].Value, url})
					}
				}
			}
			if _, rp := mapGetM(v, "required-projects"); rp != nil && rp.Kind == yaml.SequenceNode {
				for _, e := range rp.Content {
					e = deref(e)
					name := e.Value
					if e.Kind == yaml.MappingNode {
						if _, n := mapGetM(e, "name"); n != nil {
							name = n.Value
						}
					}
					if name != "" {
						d.projects = append(d.projects, name)
					}
				}
			}
			if d.name == "" {
				continue
			}
			if _, dup := byName[d.name]; dup {
				continue // a variant: the first definition stands for the job
			}
			byName[d.name] = d
			order = append(order, d)
		}
	}
	var plugins [][][2]string
	var projects [][]string
	for _, d := range order {
		var pl [][2]string
		var pr, tempest []string
		devstack := false
		seen := map[string]bool{}
		for cur := d; cur != nil && !seen[cur.name]; cur = byName[cur.parent] {
			seen[cur.name] = true
			devstack = devstack || cur.devstack
			tempest = append(tempest, cur.tempest...)
			for _, p := range cur.plugins {
				if !slicesContainsPair(pl, p) { // a child's value wins
					pl = append(pl, p)
				}
			}
			for _, p := range cur.projects {
				if !containsStr(pr, p) {
					pr = append(pr, p)
				}
			}
		}
		if !devstack {
			continue
		}
		ds.Jobs++
		pl = slices.DeleteFunc(pl, func(p [2]string) bool { return containsStr(tempest, p[0]) })
		pr = slices.DeleteFunc(pr, func(p string) bool { return containsStr(tempest, path.Base(p)) })
		plugins = append(plugins, pl)
		projects = append(projects, pr)
	}
	if len(plugins) > 0 {
		for _, p := range plugins[0] {
			if everyHas(plugins, func(l [][2]string) bool { return slicesContainsPair(l, p) }) {
				ds.Plugins = append(ds.Plugins, p)
			}
		}
	}
	if len(projects) > 0 {
		for _, p := range projects[0] {
			if everyHas(projects, func(l []string) bool { return containsStr(l, p) }) {
				ds.RequiredProjects = append(ds.RequiredProjects, p)
			}
		}
	}
	return ds
}

func everyHas[T any](ls []T, has func(T) bool) bool {
	for _, l := range ls {
		if !has(l) {
			return false
		}
	}
	return true
}

func slicesContainsPair(l [][2]string, p [2]string) bool {
	for _, x := range l {
		if x[0] == p[0] {
			return true
		}
	}
	return false
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// configFiles parses every Zuul configuration file of the repository.
func configFiles(repo string) ([]*file, error) {
	if err := checkLayout(repo); err != nil {
		return nil, err
	}
	layout, isDir := Layout(repo)
	if layout == "" {
		return nil, nil
	}
	rels := []string{layout}
	if isDir {
		ents, err := os.ReadDir(filepath.Join(repo, layout))
		if err != nil {
			return nil, err
		}
		rels = nil
		for _, e := range ents {
			n := e.Name()
			if e.Type().IsRegular() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
				rels = append(rels, layout+"/"+n)
			}
		}
		sort.Strings(rels)
	}
	var out []*file
	for _, rel := range rels {
		// load: inside the repository, regular files of bounded size only.
		f, err := load(repo, rel, "")
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// mapGetM is mapGet through aliases and YAML merge keys ("<<: *base"),
// which Zuul configurations use to share job variables.
func mapGetM(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	return mapGetDepth(deref(m), key, 0)
}

func mapGetDepth(m *yaml.Node, key string, depth int) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
		return nil, nil
	}
	if k, v := mapGet(m, key); v != nil {
		return k, deref(v)
	}
	_, merge := mapGet(m, "<<")
	if merge == nil {
		return nil, nil
	}
	srcs := []*yaml.Node{merge}
	if merge.Kind == yaml.SequenceNode {
		srcs = merge.Content
	}
	for _, src := range srcs {
		if k, v := mapGetDepth(deref(src), key, depth+1); v != nil {
			return k, v
		}
	}
	return nil, nil
}
