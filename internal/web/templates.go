package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/phone"
	"github.com/gofiber/fiber/v2"
)

//go:embed templates
var sharedTemplates embed.FS

// Templates holds an app's pages, each parsed with the app's layout and partials.
type Templates struct {
	pages map[string]*template.Template
}

// funcs are the helpers every template can call.
var funcs = template.FuncMap{
	"t":        func(lang, key string, args ...any) string { return i18n.T(lang, key, args...) },
	"date":     func(lang string, t any) string { return i18n.Date(lang, timeArg(t)) },
	"datetime": func(lang string, t any) string { return i18n.DateTime(lang, timeArg(t)) },
	"money":    func(lang string, cents int64) string { return i18n.Money(lang, cents) },
	"asset":    assetURL,
	"list":     func(items ...string) []string { return items },
	// phone shows an E.164 number grouped for reading; tel makes its tel: link
	// (empty when the number is not E.164), typed as a URL so that
	// html/template keeps the scheme.
	"phone": phone.Format,
	"tel":   func(e164 string) template.URL { return template.URL(phone.TelURI(e164)) },
	// dict builds the argument of a partial that needs several values:
	// {{template "field" dict "p" . "name" "email"}}.
	"dict": dict,
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("web: dict needs key and value pairs, got %d arguments", len(kv))
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("web: dict key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// timeArg accepts a time or a nullable time; nil is the zero time, which formats as "".
func timeArg(t any) time.Time {
	switch v := t.(type) {
	case time.Time:
		return v
	case *time.Time:
		if v != nil {
			return *v
		}
	}
	return time.Time{}
}

// ParseTemplates builds an app's templates from the templates/ folder of its
// file system: layout.html and partials/*.html form the base, and each
// pages/*.html (plus the shared pages of this package: login, password,
// error) becomes a page named after its file. Every page defines "content"
// for the layout.
func ParseTemplates(fsys fs.FS) (*Templates, error) {
	app, err := fs.Sub(fsys, "templates")
	if err != nil {
		return nil, err
	}
	base := template.New("layout").Funcs(funcs)
	if _, err := base.ParseFS(app, "layout.html"); err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	shared, _ := fs.Sub(sharedTemplates, "templates")
	for _, fsys := range []fs.FS{shared, app} {
		if partials, _ := fs.Glob(fsys, "partials/*.html"); len(partials) > 0 {
			if _, err := base.ParseFS(fsys, partials...); err != nil {
				return nil, fmt.Errorf("web: parse partials: %w", err)
			}
		}
	}
	t := &Templates{pages: map[string]*template.Template{}}
	add := func(fsys fs.FS, pattern string) error {
		names, _ := fs.Glob(fsys, pattern)
		for _, name := range names {
			page, err := template.Must(base.Clone()).ParseFS(fsys, name)
			if err != nil {
				return fmt.Errorf("web: parse %s: %w", name, err)
			}
			t.pages[strings.TrimSuffix(path.Base(name), ".html")] = page
		}
		return nil
	}
	if err := add(sharedTemplates, "templates/*.html"); err != nil {
		return nil, err
	}
	if err := add(app, "pages/*.html"); err != nil {
		return nil, err
	}
	return t, nil
}

// Names lists the pages (for tests).
func (t *Templates) Names() []string {
	out := make([]string, 0, len(t.pages))
	for n := range t.pages {
		out = append(out, n)
	}
	return out
}

// Render writes a page as the response.
func (t *Templates) Render(c *fiber.Ctx, name string, p *Page) error {
	page, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := page.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	c.Type("html", "utf-8")
	return c.Send(buf.Bytes())
}
