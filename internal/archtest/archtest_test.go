// Package archtest fails the build when a package imports against the
// dependency direction of docs/architecture.md: web → domain → internal/db.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/courtier-crm/courtier/"

// rules: for each package (prefix match on the path below the module), the
// project packages it must never import (prefix match too).
var rules = []struct {
	pkg    string
	except []string // packages under pkg that the rule does not cover
	forbid []string
	why    string
}{
	{"crm/backoffice", nil, []string{"internal/db", "extranet", "migrations"}, "web code calls domain services and never writes SQL"},
	{"extranet", nil, []string{"internal/db", "crm/backoffice", "migrations"}, "the extranet is sealed from the back office and writes no SQL"},
	{"crm", []string{"crm/backoffice"}, []string{"invoicing", "crm/backoffice", "extranet", "internal/web", "cmd/"}, "the CRM domain knows nothing of HTTP or invoicing"},
	{"documents", nil, []string{"crm", "invoicing", "internal/web", "crm/backoffice", "extranet", "cmd/"}, "the document store is below the domain"},
	{"invoicing", nil, []string{"crm/backoffice", "extranet", "internal/web", "cmd/"}, "invoicing is domain code, not web code"},
	{"invoicing/tax", nil, []string{"crm", "documents", "invoicing/facturx", "invoicing/fec", "internal/db", "internal/web", "extranet", "cmd/"}, "the tax rules are pure: facts in, decision out"},
	{"invoicing/facturx", nil, []string{"crm", "documents", "invoicing/tax", "invoicing/fec", "internal/db", "internal/web", "extranet", "cmd/"}, "the e-invoice format takes plain structs"},
	{"invoicing/fec", nil, []string{"crm", "documents", "invoicing/tax", "invoicing/facturx", "internal/db", "internal/web", "extranet", "cmd/"}, "the FEC format takes plain structs"},
	{"internal/", nil, []string{"crm", "documents", "invoicing", "extranet", "cmd/"}, "plumbing imports no domain or app package"},
	{"migrations", nil, []string{"internal/", "crm", "documents", "invoicing", "extranet", "cmd/"}, "migrations are plain SQL and their runner"},
}

// webMayUse is the plumbing the web apps may import; internal/db is not in it.
var webMayUse = []string{"internal/web", "internal/auth", "internal/i18n", "internal/audit", "internal/mailer", "internal/errs", "internal/money"}

// TestImportDirection checks the production imports of every package (tests
// may import fixtures such as internal/dbtest).
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		pkg = strings.TrimPrefix(pkg, mod)
		for _, imp := range strings.Fields(imports) {
			imp, ok := strings.CutPrefix(imp, mod)
			if !ok {
				continue
			}
			checked++
			for _, r := range rules {
				if !under(pkg, r.pkg) || in(pkg, r.except) {
					continue
				}
				for _, f := range r.forbid {
					if under(imp, f) {
						t.Errorf("%s imports %s: %s", pkg, imp, r.why)
					}
				}
			}
			if (under(pkg, "crm/backoffice") || under(pkg, "extranet")) && strings.HasPrefix(imp, "internal/") && !in(imp, webMayUse) {
				t.Errorf("%s imports %s: web packages use only %v", pkg, imp, webMayUse)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no import checked: the go list output changed shape")
	}
}

// under reports whether pkg is p or below it; a rule ending in "/" matches a prefix.
func under(pkg, p string) bool {
	if strings.HasSuffix(p, "/") {
		return strings.HasPrefix(pkg, p)
	}
	return pkg == p || strings.HasPrefix(pkg, p+"/")
}

func in(imp string, list []string) bool {
	for _, p := range list {
		if under(imp, p) {
			return true
		}
	}
	return false
}
