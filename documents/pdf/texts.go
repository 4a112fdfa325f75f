package pdf

import (
	"fmt"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// The documents' texts live here rather than in internal/i18n: they are
// legal wording that changes with the layouts, not with the web pages. Each
// language has the same keys (a test checks it); keys are
// "<document>.<part>", shared ones "field.*", "sign.*".
var catalogue = map[string]map[string]string{
	i18n.FR: textsFR,
	i18n.EN: textsEN,
}

// text translates key into lang (French when unknown), formatting args with
// fmt verbs. A missing key shows itself, which the tests catch.
func text(lang, key string, args ...any) string {
	s, ok := catalogue[i18n.Normalize(lang)][key]
	if !ok {
		s = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// t translates key into the page's language.
func (p *page) t(key string, args ...any) string { return text(p.lang, key, args...) }

// tn translates a count: key+".one" for 1, key otherwise; n is the first argument.
func (p *page) tn(key string, n int) string {
	if n == 1 {
		key += ".one"
	}
	return p.t(key, n)
}
