package crm

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// DocumentStyle is how a client's generated documents look: the language
// they are written in, the client's logo and colour beside the broker's, and
// the layout variants the client asked for (document kind → variant name,
// see documents/pdf's Select).
type DocumentStyle struct {
	Language    string            `db:"doc_language" json:"language"`
	Colour      string            `db:"doc_colour" json:"colour"`
	LogoSum     string            `db:"doc_logo_sum" json:"logo_sum"`
	VariantList string            `db:"doc_variants" json:"-"`
	Variants    map[string]string `db:"-" json:"variants"`
}

func (st *DocumentStyle) normalize() error {
	inv := &errs.Invalid{}
	st.Language = strings.ToLower(strings.TrimSpace(st.Language))
	if st.Language == "" {
		st.Language = "fr"
	}
	if st.Language != "fr" && st.Language != "en" {
		inv.Add("language", "error.invalid")
	}
	st.Colour = strings.ToLower(strings.TrimSpace(st.Colour))
	if st.Colour != "" && !colourRe.MatchString(st.Colour) {
		inv.Add("colour", "error.colour_invalid")
	}
	var lines []string
	for kind, variant := range st.Variants {
		kind, variant = strings.TrimSpace(kind), strings.TrimSpace(variant)
		if variant == "" {
			continue
		}
		// A variant must exist: an unknown one would silently fall back to the default.
		if !slices.Contains(pdf.Variants(pdf.Kind(kind)), variant) {
			inv.Add("variants", "error.variant_unknown")
			continue
		}
		lines = append(lines, kind+"="+variant)
	}
	sort.Strings(lines)
	st.VariantList = strings.Join(lines, "\n")
	return inv.OrNil()
}

// decode fills Variants from the stored lines.
func (st *DocumentStyle) decode() {
	st.Variants = map[string]string{}
	for line := range strings.SplitSeq(st.VariantList, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			st.Variants[k] = v
		}
	}
}

// DocumentStyle returns client id's document style.
func (s *Clients) DocumentStyle(ctx context.Context, id int64) (DocumentStyle, error) {
	var st DocumentStyle
	if err := s.db.Get(ctx, &st, "SELECT doc_language, doc_colour, doc_logo_sum, doc_variants FROM clients WHERE id = ?", id); err != nil {
		return DocumentStyle{}, fmt.Errorf("crm: document style of client %d: %w", id, err)
	}
	st.decode()
	return st, nil
}

// SetDocumentStyle saves the language, colour and variants of client id's
// documents; the logo is kept unless st.LogoSum is set (the caller checked
// the image), or cleared with ClearLogo. Documents already generated keep
// their look: the style applies to the next ones.
func (s *Clients) SetDocumentStyle(ctx context.Context, id int64, st DocumentStyle) (DocumentStyle, error) {
	if err := st.normalize(); err != nil {
		return DocumentStyle{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		q, args := "UPDATE clients SET doc_language = ?, doc_colour = ?, doc_variants = ?, updated_at = ?",
			[]any{st.Language, st.Colour, st.VariantList, time.Now().UTC()}
		if st.LogoSum != "" {
			q, args = q+", doc_logo_sum = ?", append(args, st.LogoSum)
		}
		res, err := tx.Exec(ctx, q+" WHERE id = ?", append(args, id)...)
		if err != nil {
			return fmt.Errorf("crm: set document style of client %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("crm: client %d: %w", id, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "client.document_style", Entity: "client", EntityID: id})
	})
	if err != nil {
		return DocumentStyle{}, err
	}
	return s.DocumentStyle(ctx, id)
}

// ClearLogo removes client id's logo from its next documents.
func (s *Clients) ClearLogo(ctx context.Context, id int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE clients SET doc_logo_sum = '', updated_at = ? WHERE id = ?", time.Now().UTC(), id); err != nil {
			return fmt.Errorf("crm: clear logo of client %d: %w", id, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "client.logo_clear", Entity: "client", EntityID: id})
	})
}
