package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/py"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
)

// The files Rally opens while validating syntax exist (rule file-exists:
// the file_exists and valid_command validators, and the workbook of
// workbook_contains_workflow; see validators). Paths resolve the way the gate
// sees them: ~/.rally/extra/… is the repository's rally-jobs/extra/… (the
// job copies it there), a relative path is relative to the repository root
// (where Rally runs).

// validateFileExists is FileExistsValidator: the parameter names a file
// that opens.
func validateFileExists(f *file, v catalog.Validator, w *task.Workload) string {
	param, required := fileParam(v)
	val, _ := argValue(w, param)
	return f.fileOK(val, param, required)
}

// validateWorkbookContainsWorkflow is WorkbookContainsWorkflowValidator
// (workbookOK).
func validateWorkbookContainsWorkflow(f *file, v catalog.Validator, w *task.Workload) string {
	return f.workbookOK(w, argStr(v, "workbook_param"), argStr(v, "workflow_param"))
}

// validateValidCommand is ValidCommandValidator: a command dict that
// check_command_dict accepts, whose script_file and local_path open.
func validateValidCommand(f *file, v catalog.Validator, w *task.Workload) []string {
	param, required := fileParam(v)
	val, _ := argValue(w, param)
	if val == nil && !required {
		return nil
	}
	cmd, ok := val.(map[string]any)
	if !ok {
		return []string{param + ": Command must be a dictionary"}
	}
	if msg := commandDictProblem(cmd); msg != "" {
		return []string{param + ": " + msg}
	}
	var out []string
	for _, k := range []string{"script_file", "local_path"} {
		if py.Truthy(cmd[k]) {
			if msg := f.fileOK(cmd[k], param, required); msg != "" {
				out = append(out, msg)
			}
		}
	}
	return out
}

// fileParam is the parameter a file validator checks and whether it is
// required (the default).
func fileParam(v catalog.Validator) (string, bool) {
	required := true
	if r, ok := v.Args.Get("required").(bool); ok {
		required = r
	}
	return argStr(v, "param_name"), required
}

func (f *file) fileOK(val any, param string, required bool) string {
	name, _ := val.(string)
	if !py.Truthy(val) {
		if !required {
			return ""
		}
		return "parameter " + param + " required"
	}
	if name == "" {
		return "could not open " + py.Str(val) + " for parameter " + param
	}
	p := f.resolve(name)
	// Rally asks os.access(path, R_OK); opening the file instead would
	// hang on a FIFO.
	if p == "" || syscall.Access(p, 4) != nil {
		return "could not open " + name + " for parameter " + param + " (looked at " + displayPath(p) + ")"
	}
	return ""
}

func (f *file) resolve(name string) string {
	switch {
	case strings.HasPrefix(name, "~/.rally/extra/"):
		return filepath.Join(f.root, "rally-jobs", "extra", strings.TrimPrefix(name, "~/.rally/extra/"))
	case strings.HasPrefix(name, "~/"):
		home, _ := os.UserHomeDir()
		return filepath.Join(home, name[2:])
	case filepath.IsAbs(name):
		return name
	}
	return filepath.Join(f.root, name)
}

// displayPath shows a path relative to the working directory when it is
// below it, so messages (and golden files) do not depend on the checkout's
// location.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return p
}

// commandDictProblem is ValidCommandValidator.check_command_dict: an
// interpreter (with one script, and an uploaded interpreter landing on
// its own remote_path) or a remote_path to run, and no other keys.
func commandDictProblem(cmd map[string]any) string {
	if py.Truthy(cmd["interpreter"]) {
		if _, inline := cmd["script_inline"]; inline && py.Truthy(cmd["script_file"]) {
			return "Exactly one of script_inline or script_file with interpreter is expected"
		}
		interp := cmd["interpreter"]
		if l, ok := interp.([]any); ok {
			interp = l[len(l)-1]
		}
		if py.Truthy(cmd["local_path"]) && !py.Equal(cmd["remote_path"], interp) {
			return "When uploading an interpreter its path should be as well specified as the `remote_path' string"
		}
	} else if !py.Truthy(cmd["remote_path"]) {
		return "Supplied dict specifies no command to execute, either interpreter or remote_path is required"
	}
	var extra []string
	for k := range cmd {
		switch k {
		case "script_file", "script_inline", "interpreter", "remote_path", "local_path", "command_args":
		default:
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return "Unexpected command parameters: " + strings.Join(extra, ", ")
	}
	return ""
}

// workbookOK is WorkbookContainsWorkflowValidator: when a workflow is
// named, the workbook parameter must be a readable file whose YAML has a
// "workflows" collection that holds it (a key of a dict, an item of a
// list, a substring of a string: Python's `in`; anything else raises).
func (f *file) workbookOK(w *task.Workload, wbParam, wfParam string) string {
	wf, _ := argValue(w, wfParam)
	if !py.Truthy(wf) {
		return ""
	}
	wb, _ := argValue(w, wbParam)
	name, isStr := wb.(string)
	if !isStr {
		return "parameter " + wbParam + " must be a path, not " + py.Str(wb)
	}
	if msg := f.fileOK(name, wbParam, true); msg != "" {
		return msg
	}
	b, err := fsutil.ReadRegular(f.resolve(name), 0)
	if err != nil {
		return "could not read " + name + " for parameter " + wbParam
	}
	doc, err := pyyaml.Load(b)
	if err != nil {
		return "workbook " + name + ": " + err.Error()
	}
	def, _ := pyyaml.Value(doc).(map[string]any)
	flows, ok := def["workflows"]
	if !ok {
		return "workbook " + name + " has no workflows"
	}
	var in bool
	switch x := wf.(type) {
	case string:
		in, err = py.In(x, flows)
	case []any, map[string]any:
		err = fmt.Errorf("unhashable type: '%s'", py.TypeName(wf))
	default:
		// A number is no key of the YAML dict's string keys, nor a
		// substring; a list may hold it.
		l, isList := flows.([]any)
		if _, isMap := flows.(map[string]any); !isList && !isMap {
			err = fmt.Errorf("'in <string>' requires string as left operand, not %s", py.TypeName(wf))
		}
		for _, e := range l {
			in = in || py.Equal(e, wf)
		}
	}
	if err != nil {
		return "workbook " + name + ": " + err.Error()
	}
	if !in {
		return fmt.Sprintf("workflow '%v' not found in the definition %s", py.Str(wf), name)
	}
	return ""
}
