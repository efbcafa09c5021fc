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

// Python is the interpreter that has rally importable.
const Python = "/usr/bin/python3"

// Item is one task file to judge.
type Item struct {
	Name    string         `json:"name"`
	Task    string         `json:"task"`
	Plugins []string       `json:"plugins,omitempty"`
	Args    map[string]any `json:"args,omitempty"`
	Cwd     string         `json:"cwd,omitempty"`   // where Rally runs: relative paths resolve here
	Extra   string         `json:"extra,omitempty"` // stands for ~/.rally/extra`
}

// Validate runs the real Rally once over all items and returns, per name,
// nil when Rally accepts the task or Rally's error text. An error means
// Rally could not run at all (not installed, crashed): callers must fail,
// never skip.
func Validate(items []Item) (map[string]*string, error) {
	dir, err := os.MkdirTemp("", "rallyoracle")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	py := filepath.Join(dir, "validate.py")
	if err := os.WriteFile(py, script, 0o644); err != nil {
		return nil, err
	}
	abs := make([]Item, len(items))
	for i, it := range items {
		// The script changes folder per item; paths must not depend on it.
		if it.Task, err = filepath.Abs(it.Task); err != nil {
			return nil, err
		}
		abs[i] = it
	}
	body, err := json.Marshal(abs)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(Python, py)
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("real Rally validation could not run (is Debian's rally installed?): %v\n%s", err, stderr.String())
	}
	var verdict map[string]*string
	if err := json.Unmarshal(out, &verdict); err != nil {
		return nil, fmt.Errorf("oracle output: %v\n%s", err, out)
	}
	return verdict, nil
}
