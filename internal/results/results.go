// Package results reads Rally task results: the JSON report (`rally task
// report --json`, format 1.2) and the older `rally task results` list. It
// streams: iterations are handed to the caller one at a time and never held
// together, so a file of a million iterations is read in bounded memory.
package results

import (
	"encoding/json"
)

// Format names the kind of file that was read.
type Format string

const (
	FormatReport  Format = "report"  // rally task report --json (format 1.2)
	FormatResults Format = "results" // rally task results (list, deprecated)
)

// SLAResult is one SLA criterion's outcome.
type SLAResult struct {
	Criterion string `json:"criterion"`
	Success   bool   `json:"success"`
	Detail    string `json:"detail"`
}

// Workload is everything about a workload except its iterations.
type Workload struct {
	Index     int    `json:"index"` // order in the file, 0-based
	TaskUUID  string `json:"task_uuid,omitempty"`
	TaskTitle string `json:"task_title,omitempty"`
	// CreatedAt is when Rally created the task (report format) or the
	// workload (results format, which has no task), RFC 3339 UTC.
	CreatedAt    string      `json:"created_at,omitempty"`
	SubtaskTitle string      `json:"subtask_title,omitempty"`
	Position     int         `json:"position"`
	Scenario     string      `json:"scenario"`
	Description  string      `json:"description,omitempty"`
	Runner       string      `json:"runner,omitempty"`
	Times        int         `json:"times,omitempty"`
	Concurrency  int         `json:"concurrency,omitempty"`
	Hooks        int         `json:"hooks"`
	PassSLA      *bool       `json:"pass_sla,omitempty"`
	SLA          []SLAResult `json:"sla"`
	LoadDuration float64     `json:"load_duration"`
	FullDuration float64     `json:"full_duration"`
	// Config is the workload as the task wrote it, in task format v2
	// (scenario with its arguments, runner, contexts, sla, hooks; key
	// order kept), for the HTML report.
	Config json.RawMessage `json:"-"`
	// RallyDurations is statistics.durations exactly as Rally stored it
	// (report format only); used to check our statistics against Rally's.
	RallyDurations json.RawMessage `json:"-"`
}

// Iteration is one scenario run.
type Iteration struct {
	Duration     float64
	IdleDuration float64
	Timestamp    float64
	// Error is [] on success, else [type, message, traceback].
	Error   []string
	Atomics []Atomic
}

// Failed tells whether the iteration ended with an error.
func (it *Iteration) Failed() bool { return len(it.Error) > 0 }

// Atomic is one atomic action. In the report format Duration is
// finished_at - started_at (as Rally computes it); the old results format
// gives the duration directly and has neither children nor the failed flag.
type Atomic struct {
	Name     string
	Started  float64
	Duration float64
	Failed   bool
	Children []Atomic
}

// Handler receives what the reader finds. Iteration is called for each
// iteration in file order with the workload's Index; Workload is called once
// per workload after its iterations (when its task's fields are known).
// The *Iteration is reused: copy what must outlive the call.
type Handler interface {
	Iteration(workload int, it *Iteration) error
	Workload(w *Workload) error
}

// Sizer is a Handler that wants to know, before a workload's iterations,
// how many its runner asked for (times), to size its storage once. The
// count is only a hint, and ReadFile bounds it by what the file can hold.
type Sizer interface {
	Expect(workload, iterations int)
}
