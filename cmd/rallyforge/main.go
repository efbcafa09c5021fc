// Command rallyforge gives an OpenStack project a complete Rally setup and
// keeps it honest. This package only parses flags and prints; behaviour lives
// in internal/.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rallyforge/rallyforge/internal/buildinfo"
	"github.com/rallyforge/rallyforge/internal/termsafe"
)

// Exit codes of the command-line contract (DESIGN.md).
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// exitError carries an exit code through cobra's error return. A nil Err
// with Code 1 means "findings were printed, nothing more to say".
type exitError struct {
	Code int
	Err  error
}

func (e *exitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *exitError) Unwrap() error { return e.Err }

// usageErr wraps an input or usage problem: exit 2 with a one-line reason.
func usageErr(format string, a ...any) error {
	return &exitError{Code: exitUsage, Err: fmt.Errorf(format, a...)}
}

// findings signals exit 1 after the command printed its findings.
func findings() error { return &exitError{Code: exitFindings} }

// newRootCmd builds the command tree for args. When args name a command,
// only that one is built: each command's flags and help cost start-up
// time, and a linter run per file pays it every time. Help, completion
// and misspelt commands get the whole tree.
func newRootCmd(args []string) *cobra.Command {
	root := &cobra.Command{
		Use:   "rallyforge",
		Short: "Rally performance testing setup for OpenStack projects",
		Long: `rallyforge gives an OpenStack project a complete, correct Rally setup
(rally-jobs/, a task with service-specific scenarios, the Zuul job) and keeps
it honest: it detects the service, lints task files offline the way Rally
judges them, runs them with the real Rally and reads the results.`,
		Version:       buildinfo.Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// The template is evaluated only when --version is asked for: reading
	// the embedded data's provenance is not start-up work.
	cobra.AddTemplateFunc("rallyforgeVersion", func() string { return buildinfo.Read().String() })
	root.SetVersionTemplate("{{rallyforgeVersion}}")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{Code: exitUsage, Err: err}
	})
	if len(args) > 0 {
		for _, c := range commands {
			if c.name == args[0] {
				// Nor is the completion command needed then.
				root.CompletionOptions.DisableDefaultCmd = true
				root.AddCommand(c.build())
				decorate(root)
				return root
			}
		}
	}
	for _, c := range commands {
		root.AddCommand(c.build())
	}
	decorate(root)
	return root
}

// commands is filled by each command file's init, so that adding a command
// touches only its own file.
var commands []command

type command struct {
	name  string // the first word of the command's Use
	build func() *cobra.Command
}

func register(name string, build func() *cobra.Command) {
	commands = append(commands, command{name, build})
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	root := newRootCmd(args)
	root.SetArgs(args)
	rejectUnknownSubcommands(root)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintln(os.Stderr, "rallyforge: "+termsafe.Line(ee.Err.Error()))
		}
		return ee.Code
	}
	// cobra's own errors (unknown command, bad args) are usage errors.
	fmt.Fprintln(os.Stderr, "rallyforge: "+termsafe.Line(err.Error()))
	return exitUsage
}

// rejectUnknownSubcommands makes "history bogus" or "completion bogus" a
// usage error (exit 2, one line): cobra prints the parent's help and exits
// 0 for a command that only groups others.
func rejectUnknownSubcommands(root *cobra.Command) {
	if !root.CompletionOptions.DisableDefaultCmd {
		root.InitDefaultCompletionCmd()
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c == root || !c.HasSubCommands() || c.Run != nil || c.RunE != nil {
			return
		}
		c.Args = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			var names []string
			for _, sub := range c.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return usageErr("%s: unknown command %q (want one of: %s)", c.CommandPath(), args[0], strings.Join(names, ", "))
		}
		c.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
	}
	walk(root)
}
