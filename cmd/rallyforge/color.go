package main

import (
	"os"
	"slices"
	"strings"

	"golang.org/x/term"
)

// colorModes are the values of --color.
var colorModes = []string{"auto", "always", "never"}

// useColor decides --color: auto colours a terminal unless NO_COLOR is
// set to anything (no-color.org) or TERM is dumb; always and never are
// what they say (an explicit flag beats NO_COLOR).
func useColor(mode string, out *os.File) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && term.IsTerminal(int(out.Fd())), nil
	}
	if !slices.Contains(colorModes, mode) {
		return false, usageErr("--color %q: want %s", mode, strings.Join(colorModes, ", "))
	}
	return false, nil
}
