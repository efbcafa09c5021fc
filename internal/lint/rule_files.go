package lint

import (
	"os"
	"path/filepath"
	"strings"
)

// ruleFiles: the files Rally opens while validating syntax exist
// ("file-exists": the file_exists and valid_command validators, and the
// workbook of workbook_contains_workflow). Paths resolve the way the gate
// sees them: ~/.rally/extra/… is the repository's rally-jobs/extra/… (the
// job copies it there), a relative path is relative to the repository root
// (where Rally runs).
func ruleFiles(f *file) bool {
	for _, st := range f.task.Subtasks {
		for _, w := range st.Workloads {
			sc, ok := f.cat.Scenario(w.Scenario.Name)
			if !ok {
				continue
			}
			for _, v := range sc.Validators {
				param, _ := v.Args.Get("param_name").(string)
				required := true
				if r, ok := v.Args.Get("required").(bool); ok {
					required = r
				}
				val, _ := argValue(w, param)
				switch v.Name {
				case "file_exists":
					if msg := f.fileOK(val, param, required); msg != "" {
						f.report(w.Scenario.NamePos, Error, "file-exists", "scenario %s: %s", sc.Name, msg)
					}
				case "workbook_contains_workflow":
					wb, _ := v.Args.Get("workbook_param").(string)
					val, _ := argValue(w, wb)
					if msg := f.fileOK(val, wb, true); msg != "" {
						f.report(w.Scenario.NamePos, Error, "file-exists", "scenario %s: %s", sc.Name, msg)
					}
				case "valid_command":
					if val == nil && !required {
						continue
					}
					cmd, ok := val.(map[string]any)
					if !ok {
						f.report(w.Scenario.NamePos, Error, "file-exists", "scenario %s: %s must be a dictionary", sc.Name, param)
						continue
					}
					for _, k := range []string{"script_file", "local_path"} {
						if truthy(cmd[k]) {
							if msg := f.fileOK(cmd[k], param, required); msg != "" {
								f.report(w.Scenario.NamePos, Error, "file-exists", "scenario %s: %s", sc.Name, msg)
							}
						}
					}
				}
			}
		}
	}
	return true
}

func (f *file) fileOK(val any, param string, required bool) string {
	name, _ := val.(string)
	if !truthy(val) {
		if !required {
			return ""
		}
		return "parameter " + param + " required"
	}
	if name == "" {
		return "could not open " + pyRepr(val) + " for parameter " + param
	}
	p := f.resolve(name)
	fh, err := os.Open(p)
	if err != nil {
		return "could not open " + name + " for parameter " + param + " (looked at " + displayPath(p) + ")"
	}
	fh.Close()
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
