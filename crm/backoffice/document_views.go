package backoffice

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentRecordTypes are the records a document can be linked to from the
// forms, in the order the selects show them.
var documentRecordTypes = []string{documents.RecordClient, documents.RecordRequest, documents.RecordBooking,
	documents.RecordProvider, crm.RecordContact, crm.RecordProposal, documents.RecordInvoice}

// documentRow is a document in a list, with its linked records named.
type documentRow struct {
	documents.Document
	SizeText string
	Records  []recordLink
}

// documentRows names the linked records of a page of documents.
func (h *handlers) documentRows(c *fiber.Ctx, lang string, docs []documents.Document) ([]documentRow, error) {
	n := h.newNames()
	for _, d := range docs {
		n.want(docRefs(d.Links)...)
	}
	if err := n.load(c.UserContext()); err != nil {
		return nil, err
	}
	out := make([]documentRow, 0, len(docs))
	for _, d := range docs {
		out = append(out, documentRow{Document: d, SizeText: web.FileSize(lang, d.Size), Records: n.links(docRefs(d.Links))})
	}
	return out, nil
}

// docRefs are a document's links as CRM references, for naming them.
func docRefs(links []documents.Link) []crm.Ref {
	out := make([]crm.Ref, 0, len(links))
	for _, l := range links {
		out = append(out, crm.Ref{Type: l.Type, ID: l.ID})
	}
	return out
}

// parseDocLink reads a link written "type:id" (e.g. "request:12").
func parseDocLink(s string) (documents.Link, bool) {
	r, ok := parseRef(strings.TrimSpace(s))
	return documents.Link{Type: r.Type, ID: r.ID}, ok
}

// docLinkString writes a link the way parseDocLink reads it.
func docLinkString(l documents.Link) string { return l.Type + ":" + strconv.FormatInt(l.ID, 10) }

// splitTags reads tags typed separated by commas or semicolons.
func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
}

// documentPath is a document's page.
func documentPath(id int64) string { return "/documents/" + itoa(id) }

// documentProblems shows the messages of a refused document action on p:
// next to the fields (named prefix+field), the size limit spelled out, and
// at the top. It reports whether err was a refusal to show rather than a
// failure; ErrImmutable gets its own message.
func (h *handlers) documentProblems(c *fiber.Ctx, p *web.Page, err error, prefix string) bool {
	switch {
	case errors.Is(err, documents.ErrImmutable):
		c.Status(fiber.StatusConflict)
		p.Error = p.T("documents.immutable_refused")
		return true
	case !fieldErrors(p, err, prefix):
		return false
	}
	var inv *errs.Invalid
	if errors.As(err, &inv) && inv.Fields["file"] == "error.document_too_large" {
		p.Fields[prefix+"file"] = p.T("documents.too_large", web.FileSize(p.Lang, h.Documents.MaxSize()))
	}
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return true
}

// documentEvent is what a timeline entry of kind "document" reports.
type documentEvent struct {
	Event   string // uploaded, version_added, shared, unshared, generated, deleted
	Version int
	URL     string // the document's page, "" once deleted
}

// DocumentEvent decodes a document entry's data for the timeline; nil for
// entries of other kinds.
func (v entryView) DocumentEvent() *documentEvent {
	if v.Kind != crm.KindDocument {
		return nil
	}
	data := v.DataMap()
	e := &documentEvent{}
	e.Event, _ = data["event"].(string)
	if n, ok := data["version"].(float64); ok {
		e.Version = int(n)
	}
	if !slices.Contains(documentEvents, e.Event) {
		e.Event = ""
	}
	if id, ok := data["document_id"].(float64); ok && id > 0 && e.Event != documents.EventDeleted {
		e.URL = documentPath(int64(id))
	}
	return e
}

// documentEvents are the events the timeline names.
var documentEvents = []string{documents.EventUploaded, documents.EventVersionAdded, documents.EventShared,
	documents.EventUnshared, documents.EventGenerated, documents.EventDeleted}

// changeRow is one difference between two snapshots, its values written out.
type changeRow struct {
	Path, Op, Old, New string
}

// changeRows writes the values of a snapshot diff for a table.
func changeRows(changes []documents.Change) []changeRow {
	out := make([]changeRow, 0, len(changes))
	for _, ch := range changes {
		out = append(out, changeRow{Path: ch.Path, Op: ch.Op, Old: snapshotValue(ch.Old), New: snapshotValue(ch.New)})
	}
	return out
}

// snapshotValue writes a JSON value: text and numbers as they are, the rest as compact JSON.
func snapshotValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// uploadPaths are the routes receiving document files, the only ones whose
// bodies may exceed the default request size limit.
var uploadPaths = regexp.MustCompile(`^(/documents/upload|/api/v1/documents|(/api/v1)?/documents/[0-9]+/versions)/?$`)

// defaultBodyLimit is the request size limit of every other route.
const defaultBodyLimit = 32 << 20

// uploadBodyLimit is the app's request size limit for a document limit:
// the file plus room for the form's other fields and multipart framing.
func uploadBodyLimit(maxSize int64) int {
	return max(defaultBodyLimit, int(maxSize)+1<<20)
}

// limitOtherBodies keeps the default size limit on the routes that take no
// document, when the document limit raised the app's.
func limitOtherBodies(c *fiber.Ctx) error {
	if len(c.Request().Body()) > defaultBodyLimit && !(c.Method() == fiber.MethodPost && uploadPaths.MatchString(c.Path())) {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}
