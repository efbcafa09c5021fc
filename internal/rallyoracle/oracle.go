// Package rallyoracle asks the real, installed Rally (Debian rally +
// python3-rally-openstack under /usr/bin/python3) for its verdict on task
// files: render, TaskConfig, TaskEngine syntax validation. Tests use it as
// the oracle that rallyforge's own checks must agree with.
package rallyoracle

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

//go:embed validate.py
var script []byte

//go:embed render.py
var renderScript []byte

// Python is the interpreter that has rally importable.
const Python = "/usr/bin/python3"

// Item is one task file to judge.
type Item struct {
	Name    string         `json:"name"`
	Task    string         `json:"task"`
	Plugins []string       `json:"plugins,omitempty"`
	Args    map[string]any `json:"args,omitempty"`
	Cwd     string         `json:"cwd,omitempty"`   // where Rally runs: relative paths resolve here
	Extra   string         `json:"extra,omitempty"` // stands for ~/.rally/extra
}

// Validate runs the real Rally once over all items and returns, per name,
// nil when Rally accepts the task or Rally's error text. An error means
// Rally could not run at all (not installed, crashed): callers must fail,
// never skip.
func Validate(items []Item) (map[string]*string, error) {
	var verdict map[string]*string
	err := run(script, items, &verdict)
	return verdict, err
}

// Rendered is Rally's rendering of one template, or its error.
type Rendered struct {
	Out string `json:"out"`
	Err string `json:"err"`
}

// Render renders the items' templates with Rally's own renderer (Jinja2,
// loader beside the task, Rally's globals), keyed by name.
func Render(items []Item) (map[string]Rendered, error) {
	var out map[string]Rendered
	err := run(renderScript, items, &out)
	return out, err
}

func run(script []byte, items []Item, result any) error {
	abs := make([]Item, len(items))
	for i, it := range items {
		// The script changes folder per item; paths must not depend on it.
		var err error
		if it.Task, err = filepath.Abs(it.Task); err != nil {
			return err
		}
		abs[i] = it
	}
	return runScript(script, "validate.py", abs, result)
}

// runScript runs a Python script of the oracle with the real Rally's
// Python, the payload as JSON on stdin and its JSON answer decoded into
// result.
func runScript(script []byte, name string, payload, result any) error {
	dir, err := os.MkdirTemp("", "rallyoracle")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	py := filepath.Join(dir, name)
	if err := os.WriteFile(py, script, 0o644); err != nil {
		return err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	cmd := exec.Command(Python, py)
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("real Rally could not run (is Debian's rally installed?): %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(out, result); err != nil {
		return fmt.Errorf("oracle output: %v\n%.2000s", err, out)
	}
	return nil
}
