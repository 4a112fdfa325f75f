package backoffice

import (
	"net/url"
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/gofiber/fiber/v2"
)

// recordDocumentsShown is how many documents a record page lists.
const recordDocumentsShown = 20

// documentsPanel is the "Documents" section of a record page (client,
// request, booking…): the documents linked to the record, most recently
// changed first, with links to upload one more and to see them all.
// A page adds a field of this type to its data, fills it with
// loadDocumentsPanel and shows it with
// {{template "record_documents" dict "p" . "d" .Data.Documents}}.
type documentsPanel struct {
	Rows      []documentRow
	Total     int
	UploadURL string // the upload form, with the record (and its client) chosen
	AllURL    string // the document list filtered on the record
}

// loadDocumentsPanel reads the documents linked to ref for its page;
// clientID (0 when none) is the client new documents belong to, e.g. the
// request's client on a request page.
func (h *handlers) loadDocumentsPanel(c *fiber.Ctx, lang string, ref crm.Ref, clientID int64) (documentsPanel, error) {
	res, err := h.Documents.List(c.UserContext(), documents.Filter{Record: &documents.Link{Type: ref.Type, ID: ref.ID},
		Limit: recordDocumentsShown})
	if err != nil {
		return documentsPanel{}, err
	}
	rows, err := h.documentRows(c, lang, res.Documents)
	if err != nil {
		return documentsPanel{}, err
	}
	q := url.Values{"link": {refString(ref)}}
	if clientID > 0 {
		q.Set("client", strconv.FormatInt(clientID, 10))
	}
	all := url.Values{"record_type": {ref.Type}, "record_id": {strconv.FormatInt(ref.ID, 10)}}
	return documentsPanel{Rows: rows, Total: res.Total, UploadURL: "/documents/upload?" + q.Encode(),
		AllURL: "/documents?" + all.Encode()}, nil
}
