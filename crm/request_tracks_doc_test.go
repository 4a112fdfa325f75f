package crm

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated tables of docs/requests.md")

const (
	requestsDoc      = "../docs/requests.md"
	transitionsBegin = "<!-- transitions: generated from crm.Transitions by `go test ./crm -run TestTransitionsDoc -update-docs` -->\n"
	transitionsEnd   = "<!-- end of transitions -->\n"
)

// transitionsTable writes crm.Transitions as the Markdown table of docs/requests.md.
func transitionsTable() string {
	var b strings.Builder
	b.WriteString("| track | from | to | made by | needs |\n|---|---|---|---|---|\n")
	for _, t := range Transitions {
		by := "events only"
		if t.Manual {
			by = "staff, by hand"
		}
		var needs []string
		if t.NeedsReason {
			needs = append(needs, "a reason")
		}
		if t.NeedsAmount {
			needs = append(needs, "an amount")
		}
		if len(needs) == 0 {
			needs = []string{"—"}
		}
		b.WriteString("| `" + t.Track + "` | `" + t.From + "` | `" + t.To + "` | " + by + " | " + strings.Join(needs, ", ") + " |\n")
	}
	return b.String()
}

// TestTransitionsDoc fails when the table of allowed moves in
// docs/requests.md and crm.Transitions disagree; -update-docs rewrites it.
func TestTransitionsDoc(t *testing.T) {
	raw, err := os.ReadFile(requestsDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, transitionsBegin)
	end := strings.Index(doc, transitionsEnd)
	if start < 0 || end < start {
		t.Fatalf("%s lacks the markers of the transitions table", requestsDoc)
	}
	start += len(transitionsBegin)
	want := transitionsTable()
	if doc[start:end] == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(requestsDoc, []byte(doc[:start]+want+doc[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the table of %s differs from crm.Transitions; run go test ./crm -run TestTransitionsDoc -update-docs. Want:\n%s", requestsDoc, want)
}
