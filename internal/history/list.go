package history

import (
	"fmt"
	"io"

	"github.com/rallyforge/rallyforge/internal/jsonout"
	"github.com/rallyforge/rallyforge/internal/termsafe"
)

// ListText prints one line per run: id, Rally's date, tag, workloads,
// Rally's task UUID and the file it came from.
func ListText(w io.Writer, runs []Run) error {
	if len(runs) == 0 {
		_, err := fmt.Fprintln(w, "no runs in history")
		return err
	}
	if _, err := fmt.Fprintf(w, "%-5s %-20s  %-10s %9s  %-36s  %s\n", "run", "date", "tag", "workloads", "rally task", "source"); err != nil {
		return err
	}
	for _, r := range runs {
		task := r.TaskUUID
		if task == "" {
			task = "-"
		}
		if _, err := fmt.Fprintf(w, "%-5d %-20s  %-10s %9d  %-36s  %s\n", r.ID, termsafe.Line(r.CreatedAt), termsafe.Line(r.Tag), r.Workloads, termsafe.Line(task), termsafe.Line(r.Source)); err != nil {
			return err
		}
	}
	return nil
}

// ListJSON prints the runs as a JSON array.
func ListJSON(w io.Writer, runs []Run) error {
	return jsonout.Write(w, runs)
}
