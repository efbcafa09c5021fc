package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadFile streams the results file at path into h and returns its format.
// Errors name the file and, for bad JSON, the line:col where reading stopped.
func ReadFile(path string, h Handler) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	format, off, err := read(f, h)
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
	dec *json.Decoder
	h   Handler
	n   int // workloads seen
	it  Iteration
}

func read(r io.Reader, h Handler) (Format, int64, error) {
	p := &reader{dec: json.NewDecoder(bufio.NewReaderSize(r, 1<<16)), h: h}
	tok, err := p.dec.Token()
	if err != nil {
		return "", p.dec.InputOffset(), eofErr(err, "empty file")
	}
	var format Format
	switch tok {
	case json.Delim('{'):
		format = FormatReport
		err = p.report()
	case json.Delim('['):
		format = FormatResults
		err = p.resultsList()
	default:
		return "", p.dec.InputOffset(), errors.New("not a Rally results file: want a JSON object (report) or list (task results)")
	}
	if err != nil {
		return format, p.dec.InputOffset(), err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return format, p.dec.InputOffset(), errors.New("unexpected data after the end of the results")
	}
	if p.n == 0 && format == FormatReport {
		return format, p.dec.InputOffset(), errors.New("no tasks/workloads found: not a Rally JSON report")
	}
	return format, 0, nil
}

func eofErr(err error, what string) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s (truncated JSON?)", what)
	}
	return err
}

// object walks the members of an object whose '{' was already read.
func (p *reader) object(member func(key string) error) error {
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return eofErr(err, "unexpected end of file")
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("want an object key, got %v", tok)
		}
		if err := member(key); err != nil {
			return err
		}
	}
	return p.end('}')
}

// array walks the elements of an array, reading its '[' first.
func (p *reader) array(what string, elem func() error) error {
	if err := p.begin('[', what); err != nil {
		return err
	}
	for p.dec.More() {
		if err := elem(); err != nil {
			return err
		}
	}
	return p.end(']')
}

func (p *reader) begin(d json.Delim, what string) error {
	tok, err := p.dec.Token()
	if err != nil {
		return eofErr(err, "unexpected end of file")
	}
	if tok != d {
		return fmt.Errorf("%s: want %q, got %v", what, string(d), describe(tok))
	}
	return nil
}

func (p *reader) end(d json.Delim) error {
	tok, err := p.dec.Token()
	if err != nil {
		return eofErr(err, "unexpected end of file")
	}
	if tok != d {
		return fmt.Errorf("want %q, got %v", string(d), describe(tok))
	}
	return nil
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return string(t)
	case string:
		return fmt.Sprintf("string %q", t)
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%v", t)
	}
}

// skip reads one value of any shape token by token, so skipping a huge
// value costs no memory beyond its largest string.
func (p *reader) skip() error {
	depth := 0
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return eofErr(err, "unexpected end of file")
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func (p *reader) value(v any, what string) error {
	if err := p.dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", what, eofErr(err, "unexpected end of file"))
	}
	return nil
}

// ---- report format 1.2 ----

type taskInfo struct{ uuid, title string }

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
	if err := p.begin('{', "task"); err != nil {
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
		case "subtasks":
			return p.array("subtasks", func() error {
				if err := p.begin('{', "subtask"); err != nil {
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
							mine = append(mine, w)
							return err
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
		if err := p.h.Workload(w); err != nil {
			return &handlerError{err}
		}
	}
	return nil
}

func (p *reader) workload() (*Workload, error) {
	if err := p.begin('{', "workload"); err != nil {
		return nil, err
	}
	w := &Workload{Index: p.n, SLA: []SLAResult{}}
	p.n++
	err := p.object(func(key string) error {
		switch key {
		case "position":
			return p.value(&w.Position, "workload position")
		case "description":
			return p.value(&w.Description, "workload description")
		case "scenario":
			var sc map[string]json.RawMessage
			if err := p.value(&sc, "workload scenario"); err != nil {
				return err
			}
			for name := range sc {
				w.Scenario = name
			}
			return nil
		case "runner":
			var rn map[string]struct {
				Times       int `json:"times"`
				Concurrency int `json:"concurrency"`
			}
			if err := p.value(&rn, "workload runner"); err != nil {
				return err
			}
			for name, cfg := range rn {
				w.Runner, w.Times, w.Concurrency = name, cfg.Times, cfg.Concurrency
			}
			return nil
		case "hooks":
			n := 0
			err := p.array("hooks", func() error { n++; return p.skip() })
			w.Hooks = n
			return err
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
			return p.array("data", func() error { return p.iteration(w.Index) })
		default:
			return p.skip()
		}
	})
	return w, err
}

// ---- old `rally task results` list ----

func (p *reader) resultsList() error {
	for p.dec.More() {
		if err := p.begin('{', "results item"); err != nil {
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
						Runner struct {
							Type        string `json:"type"`
							Times       int    `json:"times"`
							Concurrency int    `json:"concurrency"`
						} `json:"runner"`
						Hooks []json.RawMessage `json:"hooks"`
					} `json:"kw"`
				}
				if err := p.value(&k, "key"); err != nil {
					return err
				}
				w.Scenario, w.Description, w.Position = k.Name, k.Description, k.Pos
				w.Runner, w.Times, w.Concurrency = k.KW.Runner.Type, k.KW.Runner.Times, k.KW.Runner.Concurrency
				w.Hooks = len(k.KW.Hooks)
				return nil
			case "result":
				return p.array("result", func() error { return p.iteration(w.Index) })
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
	}
	return p.end(']')
}

// ---- iterations ----

type rawAtomic struct {
	Name       string      `json:"name"`
	StartedAt  *float64    `json:"started_at"`
	FinishedAt *float64    `json:"finished_at"`
	Failed     bool        `json:"failed"`
	Children   []rawAtomic `json:"children"`
}

type rawIteration struct {
	Duration      *float64        `json:"duration"`
	IdleDuration  float64         `json:"idle_duration"`
	Timestamp     float64         `json:"timestamp"`
	Error         []any           `json:"error"`
	AtomicActions json.RawMessage `json:"atomic_actions"`
}

func (p *reader) iteration(workload int) error {
	var raw rawIteration
	if err := p.value(&raw, "iteration"); err != nil {
		return err
	}
	if raw.Duration == nil {
		return errors.New("iteration without duration")
	}
	it := &p.it
	*it = Iteration{Duration: *raw.Duration, IdleDuration: raw.IdleDuration, Timestamp: raw.Timestamp}
	for _, e := range raw.Error {
		s, ok := e.(string)
		if !ok {
			b, _ := json.Marshal(e)
			s = string(b)
		}
		it.Error = append(it.Error, s)
	}
	aa := bytes.TrimSpace(raw.AtomicActions)
	switch {
	case len(aa) == 0 || string(aa) == "null":
	case aa[0] == '[':
		var ra []rawAtomic
		if err := json.Unmarshal(aa, &ra); err != nil {
			return fmt.Errorf("atomic_actions: %w", err)
		}
		var err error
		if it.Atomics, err = convert(ra); err != nil {
			return err
		}
	case aa[0] == '{':
		// Old format: {name: seconds} in execution order; a Go map would
		// lose the order, which Rally's tables keep.
		d := json.NewDecoder(bytes.NewReader(aa))
		d.Token()
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return fmt.Errorf("atomic_actions: %w", err)
			}
			var v float64
			if err := d.Decode(&v); err != nil {
				return fmt.Errorf("atomic_actions[%v]: %w", k, err)
			}
			it.Atomics = append(it.Atomics, Atomic{Name: k.(string), Duration: v})
		}
	default:
		return errors.New("atomic_actions: want a list or an object")
	}
	if err := p.h.Iteration(workload, it); err != nil {
		return &handlerError{err}
	}
	return nil
}

func convert(ra []rawAtomic) ([]Atomic, error) {
	if len(ra) == 0 {
		return nil, nil
	}
	out := make([]Atomic, len(ra))
	for i, a := range ra {
		if a.StartedAt == nil || a.FinishedAt == nil {
			return nil, fmt.Errorf("atomic action %q without started_at/finished_at", a.Name)
		}
		ch, err := convert(a.Children)
		if err != nil {
			return nil, err
		}
		out[i] = Atomic{Name: a.Name, Started: *a.StartedAt, Duration: *a.FinishedAt - *a.StartedAt, Failed: a.Failed, Children: ch}
	}
	return out, nil
}
