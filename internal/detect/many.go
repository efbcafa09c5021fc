package detect

import (
	"runtime"
	"sync"
)

// Outcome is one directory's result or error, in argument order.
type Outcome struct {
	Dir    string
	Result *Result
	Err    error
}

// Many detects several repositories in parallel with a bounded number of
// workers and returns the outcomes in the order of dirs. progress, when not
// nil, is called after each repository finishes (from one goroutine at a
// time) with the number done so far.
func Many(dirs []string, progress func(done, total int)) []Outcome {
	out := make([]Outcome, len(dirs))
	workers := runtime.GOMAXPROCS(0) * 2
	if workers > len(dirs) {
		workers = len(dirs)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := Detect(dirs[i])
				out[i] = Outcome{Dir: dirs[i], Result: r, Err: err}
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(dirs))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range dirs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}
