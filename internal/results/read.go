package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"strings"
	"time"

	"github.com/rallyforge/rallyforge/internal/fsutil"
)

// ReadFile streams the results file at path into h and returns its format.
// Errors name the file and, for bad JSON, the line:col where reading stopped.
func ReadFile(path string, h Handler) (Format, error) {
	f, _, err := fsutil.OpenRegular(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	// An iteration takes at least 64 bytes of JSON: a runner's times
	// beyond size/64 is not believed when sizing.
	maxHint := 0
	if st, err := f.Stat(); err == nil {
		maxHint = int(min(st.Size()/64, 1<<30))
	}
	format, off, err := readHinted(f, h, maxHint)
	if err != nil {
		var herr *handlerError
		if errors.As(err, &herr) {
			return format, fmt.Errorf("%s: %w", path, herr.err)
		}
		line, col := lineCol(path, off)
		return format, fmt.Errorf("%s:%d:%d: %w", path, line, col, err)
	}
	return format, nil
}

// Read streams results from r (no position information in errors beyond the
// byte offset).
func Read(r io.Reader, h Handler) (Format, error) {
	format, off, err := read(r, h)
	if err != nil {
		var herr *handlerError
		if errors.As(err, &herr) {
			return format, herr.err
		}
		return format, fmt.Errorf("offset %d: %w", off, err)
	}
	return format, nil
}

// handlerError marks an error returned by the Handler, so it is not
// decorated with a JSON position.
type handlerError struct{ err error }

func (e *handlerError) Error() string { return e.err.Error() }

// lineCol turns a byte offset into a 1-based line and column by reading the
// file again; this happens only on error, and in bounded memory.
func lineCol(path string, off int64) (int, int) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	br := bufio.NewReader(io.LimitReader(f, off))
	line, col := 1, 1
	for {
		b, err := br.ReadByte()
		if err != nil {
			return line, col
		}
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
}

type reader struct {
	lx *lexer
	h  Handler
	n  int // workloads seen
	it Iteration
	// maxHint bounds the iteration counts passed to a Sizer (0: none).
	maxHint int
	// arena holds the atomic actions of the current iteration, one slice
	// per nesting depth, reused from one iteration to the next (the
	// handler copies what it keeps): allocating them anew was a third of
	// all allocation.
	arena [][]Atomic
	// ah reads iterations ahead on another goroutine (ahead.go);
	// fromAhead counts the iterations it gave; noAhead turns it off
	// (tests compare with it off).
	ah        *ahead
	fromAhead int
	noAhead   bool
	// lastEnd is the file offset after the last iteration read; sig and
	// sigSkip the separator learnt from the last two (ahead.go).
	lastEnd int64
	sig     []byte
	sigSkip int
}

func read(r io.Reader, h Handler) (Format, int64, error) { return readHinted(r, h, 0) }

func readHinted(r io.Reader, h Handler, maxHint int) (Format, int64, error) {
	p := &reader{lx: newLexer(r), h: h, maxHint: maxHint}
	defer p.joinAhead()
	c, err := p.lx.peek()
	if err != nil {
		return "", p.lx.offset(), eofErr(err, "empty file")
	}
	var format Format
	switch c {
	case '{':
		format = FormatReport
		err = p.report()
	case '[':
		format = FormatResults
		err = p.resultsList()
	default:
		return "", p.lx.offset(), errors.New("not a Rally results file: want a JSON object (report) or list (task results)")
	}
	if err != nil {
		return format, p.lx.offset(), err
	}
	if !p.lx.atEOF() {
		return format, p.lx.offset(), errors.New("unexpected data after the end of the results")
	}
	if p.n == 0 && format == FormatReport {
		return format, p.lx.offset(), errors.New("no tasks/workloads found: not a Rally JSON report")
	}
	return format, 0, nil
}

func eofErr(err error, what string) error {
	if err == errTruncated {
		return fmt.Errorf("%s (truncated JSON?)", what)
	}
	return err
}

// value decodes one small value with encoding/json.
func (p *reader) value(v any, what string) error {
	b, err := p.lx.raw()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (p *reader) skip() error { return p.lx.skip(0) }

func (p *reader) object(member func(key string) error) error { return p.lx.object(member) }

func (p *reader) array(what string, elem func() error) error {
	c, err := p.lx.peek()
	if err != nil {
		return err
	}
	if c != '[' {
		return fmt.Errorf("%s: want a list, got %q", what, c)
	}
	return p.lx.array(elem)
}

func (p *reader) begin(what string) error {
	c, err := p.lx.peek()
	if err != nil {
		return err
	}
	if c != '{' {
		return fmt.Errorf("%s: want an object, got %q", what, c)
	}
	return nil
}

// ---- report format 1.2 ----

type taskInfo struct{ uuid, title, created string }

func (p *reader) report() error {
	return p.object(func(key string) error {
		switch key {
		case "tasks":
			return p.array("tasks", p.task)
		default:
			return p.skip()
		}
	})
}

func (p *reader) task() error {
	if err := p.begin("task"); err != nil {
		return err
	}
	var ti taskInfo
	// Task fields may follow its subtasks; workloads are reported to the
	// handler once the task object is complete.
	var pending []*Workload
	err := p.object(func(key string) error {
		switch key {
		case "uuid":
			return p.value(&ti.uuid, "task uuid")
		case "title":
			return p.value(&ti.title, "task title")
		case "created_at":
			return p.value(&ti.created, "task created_at")
		case "subtasks":
			return p.array("subtasks", func() error {
				if err := p.begin("subtask"); err != nil {
					return err
				}
				var stitle string
				var mine []*Workload
				err := p.object(func(key string) error {
					switch key {
					case "title":
						return p.value(&stitle, "subtask title")
					case "workloads":
						return p.array("workloads", func() error {
							w, err := p.workload()
							if err != nil {
								return err
							}
							mine = append(mine, w)
							return nil
						})
					default:
						return p.skip()
					}
				})
				for _, w := range mine {
					w.SubtaskTitle = stitle
				}
				pending = append(pending, mine...)
				return err
			})
		default:
			return p.skip()
		}
	})
	if err != nil {
		return err
	}
	for _, w := range pending {
		w.TaskUUID, w.TaskTitle = ti.uuid, ti.title
		w.CreatedAt = rallyTime(ti.created, "2006-01-02T15:04:05")
		if err := p.h.Workload(w); err != nil {
			return &handlerError{err}
		}
	}
	return nil
}

func (p *reader) workload() (*Workload, error) {
	if err := p.begin("workload"); err != nil {
		return nil, err
	}
	w := &Workload{Index: p.n, SLA: []SLAResult{}}
	p.n++
	var cfg configParts
	err := p.object(func(key string) error {
		switch key {
		case "contexts":
			return p.rawInto(&cfg.contexts)
		case "sla":
			return p.rawInto(&cfg.sla)
		case "position":
			return p.value(&w.Position, "workload position")
		case "description":
			return p.value(&w.Description, "workload description")
		case "scenario":
			var sc map[string]json.RawMessage
			if err := p.value(&sc, "workload scenario"); err != nil {
				return err
			}
			for name, args := range sc {
				w.Scenario, cfg.args = name, args
			}
			return nil
		case "runner":
			if err := p.rawInto(&cfg.runner); err != nil {
				return err
			}
			var rn map[string]struct {
				Times       int `json:"times"`
				Concurrency int `json:"concurrency"`
			}
			if err := json.Unmarshal(cfg.runner, &rn); err != nil {
				return fmt.Errorf("workload runner: %w", err)
			}
			for name, c := range rn {
				w.Runner, w.Times, w.Concurrency = name, c.Times, c.Concurrency
			}
			p.expect(w.Index, w.Times)
			return nil
		case "hooks":
			// Each hook is {config, results, summary}; what the task
			// said is its config.
			var hooks []struct {
				Config json.RawMessage `json:"config"`
			}
			if err := p.value(&hooks, "hooks"); err != nil {
				return err
			}
			w.Hooks = len(hooks)
			for _, h := range hooks {
				cfg.hooks = append(cfg.hooks, h.Config)
			}
			return nil
		case "pass_sla":
			var b bool
			if err := p.value(&b, "pass_sla"); err != nil {
				return err
			}
			w.PassSLA = &b
			return nil
		case "sla_results":
			var sr struct {
				SLA []SLAResult `json:"sla"`
			}
			if err := p.value(&sr, "sla_results"); err != nil {
				return err
			}
			if sr.SLA != nil {
				w.SLA = sr.SLA
			}
			return nil
		case "load_duration":
			return p.value(&w.LoadDuration, "load_duration")
		case "full_duration":
			return p.value(&w.FullDuration, "full_duration")
		case "statistics":
			var st struct {
				Durations json.RawMessage `json:"durations"`
			}
			if err := p.value(&st, "statistics"); err != nil {
				return err
			}
			w.RallyDurations = st.Durations
			return nil
		case "data":
			return p.array("data", func() error { return p.element(w.Index) })
		default:
			return p.skip()
		}
	})
	w.Config = cfg.build(w.Scenario)
	return w, err
}

// expect tells a Sizer handler how many iterations the runner asked for.
func (p *reader) expect(workload, times int) {
	if sz, ok := p.h.(Sizer); ok && times > 0 && p.maxHint > 0 {
		sz.Expect(workload, min(times, p.maxHint))
	}
}

// configParts are the pieces of a workload's configuration as the task
// wrote them, raw (key order kept).
type configParts struct {
	args, runner, contexts, sla json.RawMessage
	hooks                       []json.RawMessage
}

func (p *reader) rawInto(dst *json.RawMessage) error {
	b, err := p.lx.raw()
	if err != nil {
		return err
	}
	if !json.Valid(b) {
		return errors.New("invalid JSON value")
	}
	*dst = append(json.RawMessage(nil), b...)
	return nil
}

// build writes the task format v2 workload: scenario, runner, contexts,
// sla, hooks (the empty ones left out).
func (c configParts) build(scenario string) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	sep := func(key string) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(key)
		b.Write(name)
		b.WriteByte(':')
	}
	sep("scenario")
	name, _ := json.Marshal(scenario)
	b.WriteByte('{')
	b.Write(name)
	b.WriteByte(':')
	if len(c.args) == 0 {
		b.WriteString("{}")
	} else {
		b.Write(c.args)
	}
	b.WriteByte('}')
	for _, kv := range []struct {
		key string
		v   json.RawMessage
	}{{"runner", c.runner}, {"contexts", c.contexts}, {"sla", c.sla}} {
		if empty(kv.v) {
			continue
		}
		sep(kv.key)
		b.Write(kv.v)
	}
	if len(c.hooks) > 0 {
		sep("hooks")
		b.WriteByte('[')
		for i, h := range c.hooks {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(h)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.Bytes()
}

func empty(v json.RawMessage) bool {
	s := string(bytes.TrimSpace(v))
	return s == "" || s == "null" || s == "{}" || s == "[]"
}

// ---- old `rally task results` list ----

func (p *reader) resultsList() error {
	return p.lx.array(func() error {
		if err := p.begin("results item"); err != nil {
			return err
		}
		w := &Workload{Index: p.n, SLA: []SLAResult{}}
		p.n++
		err := p.object(func(key string) error {
			switch key {
			case "key":
				var k struct {
					Name        string `json:"name"`
					Description string `json:"description"`
					Pos         int    `json:"pos"`
					KW          struct {
						Args    json.RawMessage   `json:"args"`
						Runner  json.RawMessage   `json:"runner"`
						Context json.RawMessage   `json:"context"`
						SLA     json.RawMessage   `json:"sla"`
						Hooks   []json.RawMessage `json:"hooks"`
					} `json:"kw"`
				}
				if err := p.value(&k, "key"); err != nil {
					return err
				}
				var rn struct {
					Type        string `json:"type"`
					Times       int    `json:"times"`
					Concurrency int    `json:"concurrency"`
				}
				if len(k.KW.Runner) > 0 {
					if err := json.Unmarshal(k.KW.Runner, &rn); err != nil {
						return fmt.Errorf("key.kw.runner: %w", err)
					}
				}
				w.Scenario, w.Description, w.Position = k.Name, k.Description, k.Pos
				w.Runner, w.Times, w.Concurrency = rn.Type, rn.Times, rn.Concurrency
				w.Hooks = len(k.KW.Hooks)
				p.expect(w.Index, w.Times)
				w.Config = configParts{args: k.KW.Args, runner: v2Runner(k.KW.Runner, rn.Type),
					contexts: k.KW.Context, sla: k.KW.SLA, hooks: k.KW.Hooks}.build(k.Name)
				return nil
			case "result":
				return p.array("result", func() error { return p.element(w.Index) })
			case "sla":
				var s []SLAResult
				if err := p.value(&s, "sla"); err != nil {
					return err
				}
				if s != nil {
					w.SLA = s
				}
				pass := true
				for _, r := range w.SLA {
					pass = pass && r.Success
				}
				w.PassSLA = &pass
				return nil
			case "load_duration":
				return p.value(&w.LoadDuration, "load_duration")
			case "full_duration":
				return p.value(&w.FullDuration, "full_duration")
			case "created_at":
				var c string
				if err := p.value(&c, "created_at"); err != nil {
					return err
				}
				// Rally's old_json_results exporter writes "%Y-%d-%mT%H:%M:%S".
				w.CreatedAt = rallyTime(c, "2006-02-01T15:04:05")
				return nil
			default:
				return p.skip()
			}
		})
		if err != nil {
			return err
		}
		if w.Scenario == "" {
			return errors.New("results item without key.name: not a `rally task results` file")
		}
		if err := p.h.Workload(w); err != nil {
			return &handlerError{err}
		}
		return nil
	})
}

// v2Runner turns the old {"type": T, ...} runner into task format v2's
// {T: {...}}, keeping the other keys in order.
func v2Runner(raw json.RawMessage, typ string) json.RawMessage {
	if typ == "" || empty(raw) {
		return raw
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return raw
	}
	var b bytes.Buffer
	name, _ := json.Marshal(typ)
	b.WriteByte('{')
	b.Write(name)
	b.WriteString(":{")
	n := 0
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return raw
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return raw
		}
		if k == "type" {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		key, _ := json.Marshal(k)
		b.Write(key)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteString("}}")
	return b.Bytes()
}

// ---- iterations ----

// iteration parses one iteration into p.it and hands it to the handler:
// this is the hot path. The fast path reads nearly all; the general one
// the rest.
func (p *reader) iteration(workload int) error {
	if err := p.begin("iteration"); err != nil {
		return err
	}
	if !p.fastRead() {
		if err := p.generalIteration(); err != nil {
			return err
		}
	}
	if err := p.h.Iteration(workload, &p.it); err != nil {
		return &handlerError{err}
	}
	return nil
}

// fastRead reads the iteration at the lexer's position with the fast
// path, reading more input when the buffer ends inside it, unless the
// iteration is already big (a huge traceback: the general path reads it
// without starting over). False leaves the position where it was.
func (p *reader) fastRead() bool {
	for {
		p.clearIteration()
		n := fastIteration(p.lx.buf[p.lx.pos:], &p.it, &p.arena, &p.lx.in)
		if n > 0 {
			p.lx.pos += n
			return true
		}
		if n != fastShort || len(p.lx.buf)-p.lx.pos > maxFast || !p.lx.fill() {
			return false
		}
	}
}

// generalIteration parses the iteration at the lexer's position into p.it
// token by token.
func (p *reader) generalIteration() error {
	it := &p.it
	p.clearIteration()
	hasDuration := false
	err := p.lx.object(func(key string) error {
		var err error
		switch key {
		case "duration":
			it.Duration, err = p.number("duration")
			hasDuration = true
		case "idle_duration":
			it.IdleDuration, err = p.number("idle_duration")
		case "timestamp":
			it.Timestamp, err = p.number("timestamp")
		case "error":
			c, err := p.lx.peek()
			if err != nil {
				return err
			}
			if c == 'n' {
				_, err = p.lx.literal()
				return err
			}
			return p.array("error", func() error {
				c, err := p.lx.peek()
				if err != nil {
					return err
				}
				if c == '"' {
					s, err := p.lx.str()
					it.Error = append(it.Error, s)
					return err
				}
				b, err := p.lx.raw()
				it.Error = append(it.Error, string(b))
				return err
			})
		case "atomic_actions":
			c, err := p.lx.peek()
			if err != nil {
				return err
			}
			switch c {
			case '[':
				it.Atomics, err = p.atomics(0)
				return err
			case '{':
				// Old format: {name: seconds} in execution order.
				return p.lx.object(func(name string) error {
					d, err := p.number("atomic action " + name)
					it.Atomics = append(it.Atomics, Atomic{Name: name, Duration: d})
					return err
				})
			case 'n':
				_, err = p.lx.literal()
				return err
			default:
				return errors.New("atomic_actions: want a list or an object")
			}
		default:
			err = p.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if !hasDuration {
		return errors.New("iteration without duration")
	}
	return nil
}

// maxFast is the largest iteration the fast path reads.
const maxFast = 1 << 20

// clearIteration empties p.it and the atomic actions' arena.
func (p *reader) clearIteration() {
	p.it = Iteration{}
	for d := range p.arena {
		p.arena[d] = p.arena[d][:0]
	}
}

func (p *reader) number(what string) (float64, error) {
	c, err := p.lx.peek()
	if err != nil {
		return 0, err
	}
	if c == 'n' { // null: Rally writes it for a missing idle_duration
		_, err := p.lx.literal()
		return 0, err
	}
	v, err := p.lx.num()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// atomics parses a report-format list of atomic actions.
func (p *reader) atomics(depth int) ([]Atomic, error) {
	if depth > maxDepth {
		return nil, errors.New("atomic actions nested too deep")
	}
	for len(p.arena) <= depth {
		p.arena = append(p.arena, nil)
	}
	// This list's elements are appended to the depth's arena one after
	// the other (their children go to the next depth's), so they are
	// contiguous there.
	first := len(p.arena[depth])
	err := p.array("atomic actions", func() error {
		if err := p.begin("atomic action"); err != nil {
			return err
		}
		var a Atomic
		var started, finished float64
		var hasS, hasF bool
		err := p.lx.object(func(key string) error {
			var err error
			switch key {
			case "name":
				a.Name, err = p.lx.str()
			case "started_at":
				started, err = p.number("started_at")
				hasS = true
			case "finished_at":
				finished, err = p.number("finished_at")
				hasF = true
			case "failed":
				var v string
				v, err = p.lx.literal()
				a.Failed = v == "true"
			case "children":
				a.Children, err = p.atomics(depth + 1)
			default:
				err = p.skip()
			}
			return err
		})
		if err != nil {
			return err
		}
		if !hasS || !hasF {
			return fmt.Errorf("atomic action %q without started_at/finished_at", a.Name)
		}
		a.Started, a.Duration = started, finished-started
		p.arena[depth] = append(p.arena[depth], a)
		return nil
	})
	if len(p.arena[depth]) == first {
		return nil, err
	}
	return p.arena[depth][first:len(p.arena[depth]):len(p.arena[depth])], err
}

// rallyTime turns a Rally timestamp (UTC, no zone) of the given layout into
// RFC 3339; a value that does not parse is dropped rather than guessed.
func rallyTime(v, layout string) string {
	if i := strings.IndexByte(v, '.'); i > 0 {
		v = v[:i] // microseconds, when Rally keeps them
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
