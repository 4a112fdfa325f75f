package crm

import (
	"context"
	"errors"
	"testing"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

func TestBrokerProfile(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b := NewBroker(d)
		p, err := b.Profile(ctx)
		if err != nil || p.LegalName != "" || p.Country != "FR" {
			t.Fatalf("empty profile: %+v %v", p, err)
		}
		if err := b.SetLogo(ctx, "ab"); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("logo before the profile: %v", err)
		}
		_, err = b.SaveProfile(ctx, BrokerProfile{LegalName: " ", SIRET: "123", NDA: "12", VATNumber: "FR12345678901", Colour: "blue"})
		var inv *errs.Invalid
		if !errors.As(err, &inv) {
			t.Fatalf("invalid profile: %v", err)
		}
		for _, f := range []string{"legal_name", "siret", "nda", "vat_number", "colour"} {
			if _, ok := inv.Fields[f]; !ok {
				t.Errorf("no error on %s: %v", f, inv.Fields)
			}
		}
		in := BrokerProfile{LegalName: "Courtage Formation Conseil", LegalForm: "SAS au capital de 10 000 €",
			Street: "12 rue de la République", PostalCode: "69002", City: "Lyon", SIRET: "732 829 320 00074",
			NDA: "84 69 12345 69", NDARegion: "Auvergne-Rhône-Alpes", Colour: "#1F3A5F", Email: "contact@ccf.test"}
		p, err = b.SaveProfile(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.SIRET != "73282932000074" || p.NDA != "84691234569" || p.Colour != "#1f3a5f" || p.UpdatedAt == nil {
			t.Fatalf("saved: %+v", p)
		}
		if err := b.SetLogo(ctx, "0123abcd"); err != nil {
			t.Fatal(err)
		}
		in.City = "Villeurbanne"
		if p, err = b.SaveProfile(ctx, in); err != nil || p.City != "Villeurbanne" || p.LogoSum != "0123abcd" {
			t.Fatalf("second save keeps the logo: %+v %v", p, err)
		}
	})
}

func TestClientDocumentStyle(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		st, err := f.clients.DocumentStyle(ctx, f.acme.ID)
		if err != nil || st.Language != "fr" || len(st.Variants) != 0 {
			t.Fatalf("default style: %+v %v", st, err)
		}
		if _, err := f.clients.SetDocumentStyle(ctx, f.acme.ID, DocumentStyle{Language: "de"}); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("language de: %v", err)
		}
		if _, err := f.clients.SetDocumentStyle(ctx, f.acme.ID, DocumentStyle{Variants: map[string]string{"agreement": "acme"}}); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("unknown variant: %v", err)
		}
		st, err = f.clients.SetDocumentStyle(ctx, f.acme.ID, DocumentStyle{Language: "EN", Colour: "#AA0000", LogoSum: "beef",
			Variants: map[string]string{"convocation": "acme", "proposal": ""}})
		if err != nil || st.Language != "en" || st.Colour != "#aa0000" || st.LogoSum != "beef" || st.Variants["convocation"] != "acme" || len(st.Variants) != 1 {
			t.Fatalf("saved style: %+v %v", st, err)
		}
		if err := f.clients.ClearLogo(ctx, f.acme.ID); err != nil {
			t.Fatal(err)
		}
		if st, _ = f.clients.DocumentStyle(ctx, f.acme.ID); st.LogoSum != "" || st.Language != "en" {
			t.Fatalf("after clearing the logo: %+v", st)
		}
		if other, _ := f.clients.DocumentStyle(ctx, f.perrin.ID); other.Language != "fr" {
			t.Fatalf("another client's style changed: %+v", other)
		}
		if _, err := f.clients.SetDocumentStyle(ctx, 999999, DocumentStyle{}); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("unknown client: %v", err)
		}
	})
}
