package documents

import (
	"bytes"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

func TestSearch(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Options{})
		pdf := f.upload(t, NewDocument{Title: "Convention Morel", Kind: KindAgreement, FileName: "convention.pdf",
			Content: bytes.NewReader(makePDF(t, "Convention de formation professionnelle.\nConditions d’éligibilité au CPF et mise en œuvre.")),
			Links:   []Link{{RecordRequest, 3}}, ClientID: f.clientA, Shared: true, Tags: []string{"signé"}})
		txt := f.upload(t, NewDocument{Title: "Compte rendu d'entretien", FileName: "cr.txt",
			Content: strings.NewReader("Stagiaire : Hélène Lefèvre, besoin en comptabilité analytique."), Tags: []string{"rh"}})
		f.upload(t, NewDocument{Title: "Bilan Pâques", FileName: "bilan.html",
			Content: strings.NewReader("<html><body><p>Séance <b>d'évaluation</b></p><script>secretfunction()</script></body></html>")})
		f.upload(t, NewDocument{Title: "Photo", FileName: "photo.png", Content: strings.NewReader("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")})
		if pdf.MimeType != MimePDF || pdf.TextStatus != TextExtracted {
			t.Fatalf("pdf: %s %s", pdf.MimeType, pdf.TextStatus)
		}
		yes, no := true, false
		cases := []struct {
			name  string
			f     Filter
			want  []string
			total int
		}{
			{"word of a PDF", Filter{Query: "formation"}, []string{"Convention Morel"}, 1},
			{"accents folded", Filter{Query: "éligibilité"}, []string{"Convention Morel"}, 1},
			{"query without accents", Filter{Query: "ELIGIBILITE cpf"}, []string{"Convention Morel"}, 1},
			{"ligature", Filter{Query: "oeuvre"}, []string{"Convention Morel"}, 1},
			{"prefix of a text file's word", Filter{Query: "compta helene"}, []string{"Compte rendu d'entretien"}, 1},
			{"html text, not its script", Filter{Query: "evaluation"}, []string{"Bilan Pâques"}, 1},
			{"script is not text", Filter{Query: "secretfunction"}, nil, 0},
			{"file name", Filter{Query: "photo"}, []string{"Photo"}, 1},
			{"tag as a word", Filter{Query: "signe"}, []string{"Convention Morel"}, 1},
			{"title part", Filter{Title: "paq"}, []string{"Bilan Pâques"}, 1},
			{"kind", Filter{Kinds: []string{KindAgreement, "bogus"}}, []string{"Convention Morel"}, 1},
			{"tag", Filter{Tags: []string{"RH"}}, []string{"Compte rendu d'entretien"}, 1},
			{"record", Filter{Record: &Link{RecordRequest, 3}}, []string{"Convention Morel"}, 1},
			{"client", Filter{ClientID: f.clientA}, []string{"Convention Morel"}, 1},
			{"shared", Filter{Shared: &yes}, []string{"Convention Morel"}, 1},
			{"not shared, newest first", Filter{Shared: &no}, []string{"Photo", "Bilan Pâques", "Compte rendu d'entretien"}, 3},
			{"page 2 of 2", Filter{Shared: &no, Limit: 2, Offset: 2}, []string{"Compte rendu d'entretien"}, 3},
			{"no match", Filter{Query: "introuvable"}, nil, 0},
		}
		for _, c := range cases {
			p, err := f.s.List(f.ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, doc := range p.Documents {
				got = append(got, doc.Title)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") || p.Total != c.total {
				t.Errorf("%s: got %v (total %d), want %v (total %d)", c.name, got, p.Total, c.want, c.total)
			}
		}

		// A new version replaces the indexed text; tags are re-indexed when set.
		if _, err := f.s.AddVersion(f.ctx, txt.ID, "cr-v2.txt", strings.NewReader("Nouveau besoin : bureautique.")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SetTags(f.ctx, txt.ID, []string{"Prioritaire"}); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"comptabilite": 0, "bureautique": 1, "prioritaire": 1, "rh": 0, "entretien": 1} {
			if p, err := f.s.List(f.ctx, Filter{Query: q}); err != nil || p.Total != want {
				t.Errorf("after the new version, %q finds %d (%v), want %d", q, p.Total, err, want)
			}
		}
	})
}

func TestSearchTextCap(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 2*maxSearchText; i++ {
		b.WriteString("mot")
		b.WriteString(strings.Repeat("a", i%7))
		b.WriteString(string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26)) + " ")
	}
	got := searchText("Titre", b.String(), "titre")
	if len(got) > maxSearchText {
		t.Errorf("search text of %d bytes, cap %d", len(got), maxSearchText)
	}
	if !strings.HasPrefix(got, "titre mot") || strings.Count(got, "titre") != 1 {
		t.Errorf("terms not distinct or out of order: %.40s", got)
	}
}
