package pdf

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestSelect(t *testing.T) {
	acme := map[Kind]string{KindConvocation: "acme", KindProposal: "acme"}
	cases := []struct {
		kind      Kind
		lang      string
		overrides map[Kind]string
		variant   string
		wantLang  string
	}{
		{KindConvocation, "fr", nil, "", "fr"},
		{KindConvocation, "en-GB", acme, "acme", "en"},
		{KindConvocation, "de", acme, "acme", "fr"}, // unknown language → French
		{KindProposal, "en", acme, "", "en"},        // no "acme" proposal: the default
		{KindConvocation, "fr", map[Kind]string{KindConvocation: "nope"}, "", "fr"},
		{KindAttendance, "", nil, "", "fr"},
	}
	for _, c := range cases {
		l := Select(c.kind, c.lang, c.overrides)
		if l.Kind != c.kind || l.Variant != c.variant || l.Lang != c.wantLang {
			t.Errorf("Select(%s, %q, %v) = %s/%q/%s, want %q/%s", c.kind, c.lang, c.overrides, l.Kind, l.Variant, l.Lang, c.variant, c.wantLang)
		}
	}
	if got := Variants(KindConvocation); !slices.Equal(got, []string{"acme"}) {
		t.Errorf("Variants(convocation) = %v", got)
	}
	if got := Variants(KindProposal); len(got) != 0 {
		t.Errorf("Variants(proposal) = %v", got)
	}
	// Every kind Decode knows has a default layout.
	for kind := range layouts {
		if layouts[kind][""].draw == nil {
			t.Errorf("%s has no default layout", kind)
		}
		if _, err := Decode(kind, []byte("{}")); err != nil {
			t.Errorf("Decode(%s): %v", kind, err)
		}
	}
}

// TestTexts: both languages have the same keys, and every key the layouts
// name literally exists.
func TestTexts(t *testing.T) {
	for k := range textsFR {
		if _, ok := textsEN[k]; !ok {
			t.Errorf("%q missing in English", k)
		}
	}
	for k := range textsEN {
		if _, ok := textsFR[k]; !ok {
			t.Errorf("%q missing in French", k)
		}
	}
	files, _ := os.ReadDir(".")
	used := regexp.MustCompile(`\bt[n]?\("([a-z_.]+)"`)
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			if strings.HasSuffix(key, ".") { // a prefix completed at run time
				continue
			}
			if _, ok := textsFR[key]; !ok {
				if _, ok := textsFR[key+".one"]; !ok {
					t.Errorf("%s: key %q not in the catalogue", f.Name(), key)
				}
			}
		}
	}
	// Keys built at run time.
	for _, c := range Categories {
		for _, k := range []string{"category." + string(c), "realisation.category." + string(c)} {
			if _, ok := textsFR[k]; !ok {
				t.Errorf("key %q not in the catalogue", k)
			}
		}
	}
	for kind := range layouts {
		if _, ok := textsFR["title."+string(kind)]; !ok {
			t.Errorf("no title for %s", kind)
		}
	}
}
