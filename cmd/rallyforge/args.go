package main

import (
	"github.com/spf13/cobra"
)

// wrapArgs turns cobra's positional-argument errors into usage errors (exit 2).
func wrapArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return &exitError{Code: exitUsage, Err: err}
		}
		return nil
	}
}
