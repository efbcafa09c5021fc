package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rallyforge/rallyforge/internal/py/jinja"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/rallyforge/rallyforge/internal/yamlstr"
	"go.yaml.in/yaml/v3"
)

const maxKey = "max_avg_duration_per_atomic"

// doc is one reading of the task text: its template source, the rendered
// text and the parsed workloads, with positions in the rendered text.
type doc struct {
	src      []byte
	srcLines []string // without line ends (and without \r)
	crlf     bool
	rendered string
	lines    []string // rendered, same convention
	starts   []int    // byte offset of each rendered line
	root     *yaml.Node
	template bool
	lmap     *jinja.LineMap // rendered line → source line (templates only)

	workloads []wnode
}

type wnode struct {
	node     *yaml.Node
	scenario string
	key      string // scenario#occurrence
}

func splitLines(s string) []string {
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

// load renders and parses the task text. Errors name the file (and the
// line:column of a YAML error in the rendered text).
func load(path string, src []byte, args map[string]any) (*doc, error) {
	out, err := jinja.Render(path, src, args)
	if err != nil {
		return nil, inputErr("%s: %v", path, err)
	}
	root, err := pyyaml.Load([]byte(out))
	if err != nil {
		var se *pyyaml.SyntaxError
		if errors.As(err, &se) {
			return nil, inputErr("%s:%d:%d: %s", path, se.Pos.Line, se.Pos.Col, se.Msg)
		}
		return nil, inputErr("%s: %v", path, err)
	}
	if root == nil {
		return nil, inputErr("%s: the task is empty", path)
	}
	d := &doc{src: src, srcLines: splitLines(string(src)), crlf: strings.Contains(string(src), "\r\n"),
		rendered: out, lines: splitLines(out), root: root, template: jinja.HasTemplate(src)}
	off := 0
	for _, l := range strings.SplitAfter(out, "\n") {
		d.starts = append(d.starts, off)
		off += len(l)
	}
	if d.template {
		d.lmap = jinja.MapLines(src, out)
	}
	if d.workloads, err = workloadNodes(root); err != nil {
		return nil, inputErr("%s: %v", path, err)
	}
	return d, nil
}

// workloadNodes lists the workload mappings in Rally's order, as
// task.Build reads them (v1: one per list item of each scenario key; v2:
// each subtask's workloads, or the subtask itself).
func workloadNodes(root *yaml.Node) ([]wnode, error) {
	if root.Kind != yaml.MappingNode {
		return nil, errors.New("the task is not a mapping")
	}
	var out []wnode
	add := func(n *yaml.Node, scenario string) {
		if n.Kind == yaml.MappingNode {
			out = append(out, wnode{node: n, scenario: scenario})
		}
	}
	switch v := task.Version(root); v {
	case "1":
		for _, k := range task.Keys(root) {
			_, l := task.Get(root, k.Value)
			if l != nil && l.Kind == yaml.SequenceNode {
				for _, w := range l.Content {
					add(w, k.Value)
				}
			}
		}
	case "2":
		_, subs := task.Get(root, "subtasks")
		if subs == nil || subs.Kind != yaml.SequenceNode {
			return nil, errors.New("the task has no subtasks list")
		}
		name := func(w *yaml.Node) string {
			_, sc := task.Get(w, "scenario")
			if ks := task.Keys(sc); len(ks) > 0 {
				return ks[0].Value
			}
			return ""
		}
		for _, s := range subs.Content {
			if _, wls := task.Get(s, "workloads"); wls != nil {
				if wls.Kind == yaml.SequenceNode {
					for _, w := range wls.Content {
						add(w, name(w))
					}
				}
			} else {
				add(s, name(s))
			}
		}
	default:
		return nil, fmt.Errorf("task format version %s is not supported", v)
	}
	seen := map[string]int{}
	for i := range out {
		out[i].key = fmt.Sprintf("%s#%d", out[i].scenario, seen[out[i].scenario])
		seen[out[i].scenario]++
	}
	return out, nil
}

// sourceLine is the template line of a rendered line (0 when unknown).
func (d *doc) sourceLine(l int) int {
	if !d.template {
		return l
	}
	s, _ := d.lmap.Exact(l)
	return s
}

// edit is a change of the rendered text, to be carried to the source:
// whole lines inserted after line After (when From is 0), lines From..To
// replaced (when From > 0 and Inline is false), or (Inline) the text from
// line Line, byte column Col up to line EndLine, column EndCol replaced by
// Text (an insertion when both ends are the same).
type edit struct {
	After           int
	From, To        int
	Inline          bool
	Line, Col       int
	EndLine, EndCol int
	Text            string // line edits: whole lines, each ending in \n
}

func spaces(n int) string { return strings.Repeat(" ", max(n, 0)) }

func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

func isContent(l string) bool {
	t := strings.TrimSpace(l)
	return t != "" && !strings.HasPrefix(t, "#")
}

// blockEnd is the last content line of the block that starts at line
// start (1-based) and holds every following line indented at least
// minIndent; comment and blank lines neither end nor extend it.
func (d *doc) blockEnd(start, minIndent int) int {
	end := start
	for l := start + 1; l <= len(d.lines); l++ {
		s := d.lines[l-1]
		if !isContent(s) {
			continue
		}
		if indentOf(s) < minIndent || s == "---" || s == "..." {
			break
		}
		end = l
	}
	return end
}

// quoteName writes an atomic action name as a YAML key that PyYAML (YAML
// 1.1: yes, on, 1.5, a tab) reads back as the same string and Rally's
// Jinja2 pass leaves alone: plain only for safe words, else double-quoted.
func quoteName(name string) string { return yamlstr.Scalar(name) }

// jsonString quotes s for a JSON task: valid JSON and YAML, with the Jinja2
// delimiters' characters escaped so the render leaves the name alone.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	var out strings.Builder
	for _, c := range string(b) {
		switch c {
		case '{', '}', '%', '#':
			fmt.Fprintf(&out, "\\u%04x", c)
		default:
			out.WriteRune(c)
		}
	}
	return out.String()
}

// blockSLA is the block YAML of the SLA at indentation ind with one
// indentation step; withSLA adds the sla: key above it.
func blockSLA(ind, step string, ths []Threshold, withSLA bool) string {
	var b strings.Builder
	if withSLA {
		b.WriteString(ind + "sla:\n")
		ind += step
	}
	b.WriteString(ind + maxKey + ":\n")
	for _, t := range ths {
		b.WriteString(ind + step + quoteName(t.Atomic) + ": " + t.Text + "\n")
	}
	return b.String()
}

// flowSLA is the thresholds as a JSON object.
func flowSLA(ths []Threshold) string {
	var parts []string
	for _, t := range ths {
		parts = append(parts, jsonString(t.Atomic)+": "+t.Text)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// step is the indentation step the file uses under a workload: the
// column difference between a key and its first nested key (2 when the
// workload nests nothing in block style).
func step(w *yaml.Node) int {
	for i := 0; i+1 < len(w.Content); i += 2 {
		k, v := w.Content[i], w.Content[i+1]
		if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 && v.Content[0].Column > k.Column {
			return v.Content[0].Column - k.Column
		}
	}
	return 2
}

func isFlow(n *yaml.Node) bool { return n.Style&yaml.FlowStyle != 0 }

// planEdit decides the change of one workload, in rendered coordinates.
// A nil edit comes with the status that says why nothing changes.
func planEdit(d *doc, w *yaml.Node, ths []Threshold, force bool) (*edit, string, string) {
	slaK, sla := task.Get(w, "sla")
	if isFlow(w) {
		if sla == nil {
			return d.flowInsert(w, jsonString("sla")+": {"+jsonString(maxKey)+": "+flowSLA(ths)+"}")
		}
	}
	if sla == nil {
		st := step(w)
		ind := w.Column - 1
		return &edit{After: d.blockEnd(w.Line, ind), Text: blockSLA(spaces(ind), spaces(st), ths, true)}, StatusSet, ""
	}
	if sla.Kind != yaml.MappingNode {
		return nil, StatusSkipped, fmt.Sprintf("its sla (line %d) is not a mapping", d.sourceLine(slaK.Line))
	}
	maxK, maxV := task.Get(sla, maxKey)
	if maxK != nil && !force {
		return nil, StatusKept, fmt.Sprintf("it already has %s (line %d); --force replaces it", maxKey, d.sourceLine(maxK.Line))
	}
	if isFlow(sla) {
		if maxK == nil {
			return d.flowInsert(sla, jsonString(maxKey)+": "+flowSLA(ths))
		}
		e, status, reason := d.flowReplace(maxV, flowSLA(ths))
		if status == StatusSet {
			status = StatusReplaced
		}
		return e, status, reason
	}
	if len(sla.Content) == 0 {
		return nil, StatusSkipped, fmt.Sprintf("its sla (line %d) is empty", d.sourceLine(slaK.Line))
	}
	childInd := sla.Content[0].Column - 1
	st := sla.Content[0].Column - slaK.Column
	if st <= 0 {
		st = 2
	}
	if maxK != nil {
		return &edit{From: maxK.Line, To: d.blockEnd(maxK.Line, maxK.Column), Text: blockSLA(spaces(maxK.Column-1), spaces(st), ths, false)}, StatusReplaced, ""
	}
	return &edit{After: d.blockEnd(slaK.Line, slaK.Column), Text: blockSLA(spaces(childInd), spaces(st), ths, false)}, StatusSet, ""
}

// offset is the byte offset of a node's 1-based line and (rune) column.
func (d *doc) offset(line, col int) int {
	if line < 1 || line > len(d.lines) {
		return -1
	}
	l := d.lines[line-1]
	b := 0
	for i := 1; i < col && b < len(l); i++ {
		_, n := utf8.DecodeRuneInString(l[b:])
		b += n
	}
	return d.starts[line-1] + b
}

// position is the 1-based line and byte column of an offset.
func (d *doc) position(off int) (int, int) {
	l := 0
	for l+1 < len(d.starts) && d.starts[l+1] <= off {
		l++
	}
	return l + 1, off - d.starts[l]
}

// closing finds the bracket that closes the flow collection opened at off,
// skipping quoted strings.
func closing(s string, off int) int {
	depth := 0
	for i := off; i < len(s); i++ {
		switch c := s[i]; c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i
			}
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < len(s); i++ {
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		}
	}
	return -1
}

// flowInsert adds entry to a flow mapping (JSON tasks, flow YAML): before
// its closing brace, on a line of its own when the mapping spans lines.
func (d *doc) flowInsert(m *yaml.Node, entry string) (*edit, string, string) {
	open := d.offset(m.Line, m.Column)
	if open < 0 || open >= len(d.rendered) || d.rendered[open] != '{' {
		return nil, StatusSkipped, "cannot find the opening brace of its flow mapping"
	}
	cl := closing(d.rendered, open)
	if cl < 0 {
		return nil, StatusSkipped, "cannot find the closing brace of its flow mapping"
	}
	p := cl - 1
	for p > open && strings.ContainsRune(" \t\r\n", rune(d.rendered[p])) {
		p--
	}
	var at int
	var text string
	switch {
	case d.rendered[p] == '{':
		at, text = p+1, entry
	case !strings.Contains(d.rendered[open:cl], "\n"):
		sep := ", "
		if d.rendered[p] == ',' {
			sep = " "
		}
		at, text = p+1, sep+entry
	default:
		ind := indentOf(d.lines[m.Content[0].Line-1])
		sep := ","
		if d.rendered[p] == ',' {
			sep = ""
		}
		at, text = p+1, sep+"\n"+spaces(ind)+entry
	}
	line, col := d.position(at)
	return &edit{Inline: true, Line: line, Col: col, EndLine: line, EndCol: col, Text: text}, StatusSet, ""
}

// flowReplace replaces a flow mapping value (JSON, flow YAML) with text.
func (d *doc) flowReplace(v *yaml.Node, text string) (*edit, string, string) {
	start := d.offset(v.Line, v.Column)
	if start < 0 || start >= len(d.rendered) || d.rendered[start] != '{' {
		return nil, StatusSkipped, "its max_avg_duration_per_atomic value is not a mapping; replace it by hand"
	}
	end := closing(d.rendered, start)
	if end < 0 {
		return nil, StatusSkipped, "cannot find the end of its max_avg_duration_per_atomic value"
	}
	line, col := d.position(start)
	eline, ecol := d.position(end + 1)
	return &edit{Inline: true, Line: line, Col: col, EndLine: eline, EndCol: ecol, Text: text}, StatusSet, ""
}

// apply carries an edit of the rendered text to the source text.
func (d *doc) apply(e *edit) ([]byte, error) {
	src := string(d.src)
	nl := "\n"
	if d.crlf {
		nl = "\r\n"
	}
	srcStarts := []int{}
	off := 0
	for _, l := range strings.SplitAfter(src, "\n") {
		srcStarts = append(srcStarts, off)
		off += len(l)
	}
	lineStart := func(l int) int { // 1-based source line → offset (len at EOF)
		if l-1 < len(srcStarts) {
			return srcStarts[l-1]
		}
		return len(src)
	}
	mapLine := func(r int) (int, error) {
		if !d.template {
			return r, nil
		}
		if s, ok := d.lmap.Exact(r); ok {
			return s, nil
		}
		return 0, fmt.Errorf("rendered line %d (%q) comes from no single line of the template; add the SLA by hand", r, strings.TrimSpace(d.lines[r-1]))
	}
	switch {
	case e.Inline:
		// Columns carry over only where the template line is the
		// rendered line, byte for byte.
		s, err := mapLine(e.Line)
		if err != nil {
			return nil, err
		}
		for r := e.Line; r <= e.EndLine; r++ {
			if sr, err := mapLine(r); err != nil || sr != s+r-e.Line || d.srcLines[sr-1] != d.lines[r-1] {
				return nil, fmt.Errorf("template line %d is not plain text (%q); add the SLA by hand", s+r-e.Line, strings.TrimSpace(d.srcLines[min(s+r-e.Line, len(d.srcLines))-1]))
			}
		}
		text := strings.ReplaceAll(e.Text, "\n", nl)
		return []byte(src[:lineStart(s)+e.Col] + text + src[lineStart(s+e.EndLine-e.Line)+e.EndCol:]), nil
	case e.From > 0:
		from, err := mapLine(e.From)
		if err != nil {
			return nil, err
		}
		to, err := mapLine(e.To)
		if err != nil {
			return nil, err
		}
		for r := e.From; r <= e.To; r++ {
			if s, ok := d.lmap.Exact(r); d.template && isContent(d.lines[r-1]) && (!ok || s != from+r-e.From) || to-from != e.To-e.From {
				return nil, fmt.Errorf("template lines %d-%d do not render to the %d lines they replace; replace the SLA by hand", from, to, e.To-e.From+1)
			}
		}
		text := strings.ReplaceAll(e.Text, "\n", nl)
		return []byte(src[:lineStart(from)] + text + src[lineStart(to+1):]), nil
	default:
		s, err := mapLine(e.After)
		if err != nil {
			return nil, err
		}
		at := lineStart(s + 1)
		text := strings.ReplaceAll(e.Text, "\n", nl)
		if at == len(src) && len(src) > 0 && !strings.HasSuffix(src, "\n") {
			text = nl + text
		}
		return []byte(src[:at] + text + src[at:]), nil
	}
}
