package backoffice_test

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// Every message a template asks for exists in the catalogues, including
// those built from a value (a status, a role, a kind of entry).
func TestTemplateKeysExist(t *testing.T) {
	literal := regexp.MustCompile(`\bt \S+ "([a-z0-9_.]+)"|"(?:label|help)" "([a-z0-9_.]+)"`)
	n := 0
	err := fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile("templates/" + path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2]
			n++
			if !i18n.Has(key) {
				t.Errorf("%s: unknown message %q", path, key)
			}
		}
		return nil
	})
	if err != nil || n < 100 {
		t.Fatalf("read templates: %v (%d keys)", err, n)
	}
	families := map[string][]string{
		"client.status.":           crm.ClientStatuses,
		"contact.role.":            append(append([]string{}, crm.ClientContactRoles...), crm.ProviderContactRoles...),
		"timeline.kind.":           crm.EntryKinds,
		"calls.outcome.":           crm.CallOutcomes,
		"calls.direction.":         {"in", "out"},
		"tasks.event.":             {"created", "done", "reopened"},
		"lang.":                    i18n.Languages,
		"contacts.side.":           {crm.RecordClient, crm.RecordProvider},
		"provider.status.":         crm.ProviderStatuses,
		"course.modality.":         crm.Modalities,
		"qualiopi.":                {"actions", "skills", "vae", "apprenticeship"},
		"provenance.":              {"import", "staff"},
		"search.component.":        {"text", "distance", "price", "quality", "qualiopi"},
		"search.field.":            {"title", "objectives", "programme", "provider", "nsf"},
		"providers.import.report.": {"providers", "courses"},
	}
	for prefix, values := range families {
		for _, v := range values {
			if !i18n.Has(prefix + v) {
				t.Errorf("unknown message %q", prefix+v)
			}
		}
	}
}
