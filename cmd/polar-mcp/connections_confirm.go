package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// confirmRemove asks before a connection is deleted: --yes, or "y" /
// "yes" typed on stdin, goes ahead; anything else (an empty or closed
// stdin included) removes nothing.
func confirmRemove(cmd *cobra.Command, id string) error {
	if yes, _ := cmd.Flags().GetBool("yes"); yes {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "Remove connection %s, its encrypted Polar token and signing secret? "+
		"Its callers' tokens stop working. [y/N] ", id)
	line, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	fmt.Fprintln(cmd.ErrOrStderr())
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	default:
		return usageErr("%s not removed: answer y, or pass --yes", id)
	}
}
