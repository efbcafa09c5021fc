package results

import "bytes"

// Reading ahead: the iterations of a big file are read by two goroutines.
// While the reader reads the first part of its buffer (and runs the
// handler), a helper reads the rest with the fast path, from a guessed
// iteration start. The guess is never trusted: the helper's iterations are
// used only when the reader, going through the file in order, arrives at
// an iteration exactly where the helper started; then both would read the
// same bytes with the same pure function, so the values are the ones the
// reader would have got. Otherwise they are thrown away. The handler is
// still called by the reader alone, in file order. On a 2-core machine
// this nearly halves the wall time of a big report.

// ahead is the helper's state, reused from one round to the next.
type ahead struct {
	running bool
	start   int64 // file offset where the helper started
	end     int64 // file offset after the last iteration it read
	its     []Iteration
	done    chan struct{}
	// The helper's own storage for atomic actions and names.
	arena [][]Atomic
	in    interner
}

const (
	// aheadChunk is how much of the file a round works on (the buffer
	// grows to it, once).
	aheadChunk = 256 << 10
	// aheadMin: with fewer bytes buffered ahead, no helper (small files
	// are read as before).
	aheadMin = 128 << 10
)

// aheadShare100 is the reader's part of a round, in percent: it also runs
// the handler on every iteration, the helper's included, so it takes less.
const aheadShare100 = 40

// element reads one item of a list of iterations: by taking the helper's
// iterations when the reader is where the helper started, else by reading
// it (and starting a helper on what lies ahead).
func (p *reader) element(workload int) error {
	if a := p.ah; a != nil && a.running {
		if _, err := p.lx.peek(); err != nil {
			return err
		}
		if off := p.lx.offset(); off >= a.start {
			p.joinAhead()
			if off == a.start && len(a.its) > 0 {
				for k := range a.its {
					if err := p.h.Iteration(workload, &a.its[k]); err != nil {
						return &handlerError{err}
					}
				}
				p.lx.pos = int(a.end - p.lx.base)
				p.lastEnd = a.end
				p.fromAhead += len(a.its)
				return nil
			}
		}
	}
	if !p.noAhead && (p.ah == nil || !p.ah.running) {
		p.learnSeparator()
		p.startAhead()
	}
	if err := p.iteration(workload); err != nil {
		return err
	}
	p.lastEnd = p.lx.offset()
	return nil
}

// learnSeparator keeps, as sig, the bytes from the end of the last
// iteration to the first key of the one at the reader's position (such as
// `}, {"duration"`), when the two are neighbours in one list: the helper's
// start is guessed where they come again, which passes over objects nested
// inside iterations.
func (p *reader) learnSeparator() {
	lx := p.lx
	if _, err := lx.peek(); err != nil {
		return
	}
	from, to := int(p.lastEnd-lx.base)-1, lx.pos
	if p.lastEnd == 0 || from < 0 || to-from > 64 || lx.buf[from] != '}' {
		return
	}
	between := lx.buf[from+1 : to]
	if !bytes.Equal(bytes.TrimSpace(between), []byte(",")) {
		return
	}
	k := skipWS(lx.buf, to+1)
	if k >= len(lx.buf) || lx.buf[k] != '"' {
		return
	}
	q := bytes.IndexByte(lx.buf[k+1:min(len(lx.buf), k+40)], '"')
	if q < 0 {
		return
	}
	p.sig = append(p.sig[:0], lx.buf[from:k+q+2]...)
	p.sigSkip = to - from
}

// joinAhead waits for the helper to finish.
func (p *reader) joinAhead() {
	if p.ah != nil && p.ah.running {
		<-p.ah.done
		p.ah.running = false
		p.lx.busy = nil
	}
}

// startAhead starts a helper on the buffer beyond the reader's share, when
// enough is buffered (reading more first) and an iteration start is found
// there.
func (p *reader) startAhead() {
	lx := p.lx
	if _, err := lx.peek(); err != nil {
		return
	}
	if cap(lx.buf) < aheadChunk {
		// Once, to the size a round needs (not by doubling, which
		// would leave the smaller buffers behind).
		nb := make([]byte, len(lx.buf), aheadChunk)
		copy(nb, lx.buf)
		lx.buf = nb
	}
	for len(lx.buf)-lx.pos < aheadChunk && !lx.eof {
		if !lx.fill() {
			break
		}
	}
	avail := len(lx.buf) - lx.pos
	if avail < aheadMin {
		return
	}
	from := lx.pos + avail*aheadShare100/100
	y := -1
	if len(p.sig) > 0 {
		if k := bytes.Index(lx.buf[from:], p.sig); k >= 0 {
			y = from + k + p.sigSkip
		}
	} else {
		y = guessStart(lx.buf, from)
	}
	if y < 0 {
		return
	}
	if p.ah == nil {
		p.ah = &ahead{}
	}
	a := p.ah
	a.running = true
	a.start = lx.base + int64(y)
	a.end = a.start
	a.done = make(chan struct{})
	lx.busy = a.done
	go a.run(lx.buf[y:], a.start)
}

// run reads iterations from b (at an iteration's '{') with the fast path
// until one it cannot read or the end of the list or of b.
func (a *ahead) run(b []byte, base int64) {
	defer close(a.done)
	a.its = a.its[:0]
	for d := range a.arena {
		a.arena[d] = a.arena[d][:0]
	}
	i := 0
	for {
		a.its = append(a.its, Iteration{})
		n := fastIteration(b[i:], &a.its[len(a.its)-1], &a.arena, &a.in)
		if n <= 0 {
			a.its = a.its[:len(a.its)-1]
			return
		}
		i += n
		a.end = base + int64(i)
		j := skipWS(b, i)
		if j >= len(b) || b[j] != ',' {
			return
		}
		j = skipWS(b, j+1)
		if j >= len(b) || b[j] != '{' {
			return
		}
		i = j
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// guessStart returns the index of a likely iteration start in b from
// index from on, before any separator is learnt: a '{' that follows a ',' and opens with a key iterations
// have; -1 when there is none.
func guessStart(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		k := bytes.IndexByte(b[i:], '{')
		if k < 0 {
			return -1
		}
		i += k
		j := i - 1
		for j >= 0 && (b[j] == ' ' || b[j] == '\n' || b[j] == '\t' || b[j] == '\r') {
			j--
		}
		if j < 0 || b[j] != ',' {
			continue
		}
		q := skipWS(b, i+1)
		if q >= len(b) || b[q] != '"' {
			continue
		}
		rest := b[q+1:]
		for _, key := range iterationKeys {
			if bytes.HasPrefix(rest, key) {
				return i
			}
		}
	}
	return -1
}

// iterationKeys are the keys an iteration may open with, quote closed.
var iterationKeys = [][]byte{[]byte(`duration"`), []byte(`timestamp"`), []byte(`idle_duration"`),
	[]byte(`error"`), []byte(`output"`), []byte(`atomic_actions"`), []byte(`scenario_output"`)}
