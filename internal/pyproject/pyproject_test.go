package pyproject

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func TestNonStandardConsoleScripts(t *testing.T) {
	// magnum, freezer-api and skyline-apiserver use this table.
	f, err := Parse([]byte("[project]\nname = \"x\" # c\ndescription = 'D'\nclassifiers = [\n  \"a\",\n  \"b = c\",\n]\n[project.entry-points.\"console_scripts\"]\nx-api = \"x.cmd:main\"\n[project.scripts]\ny = \"y:main\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "x" || f.Description != "D" || len(f.EntryPoints["console_scripts"]) != 1 || len(f.Scripts) != 1 {
		t.Fatalf("%+v", f)
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"magnum", "freezer-api", "skyline-apiserver", "nova", "oslo.config"} {
		b, err := os.ReadFile(filepath.Join(testcorpus.Repo(f, n), "pyproject.toml"))
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("[[\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Parse(b)
	})
}
