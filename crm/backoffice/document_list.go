package backoffice

import (
	"github.com/courtier-crm/courtier/documents"
	"github.com/gofiber/fiber/v2"
)

// documentsPerPage is the size of a page of the document list.
const documentsPerPage = 50

type documentListData struct {
	Rows        []documentRow
	Kinds       []string
	RecordTypes []string
	Pager       pager
	UploadURL   string // the upload form, linked to the filtered record when there is one
}

// documentFilterFields are the list's filters, kept in the page's form values.
var documentFilterFields = []string{"q", "title", "kind", "tag", "record_type", "record_id", "shared"}

// documentList lists the documents, most recently changed first, searched
// by words of their title, file name, tags and text (q), or filtered by a
// part of the title, kind, tag, linked record and sharing.
func (h *handlers) documentList(c *fiber.Ctx) error {
	p := h.page(c, "documents.title", "documents")
	for _, k := range documentFilterFields {
		p.Form[k] = c.Query(k)
	}
	page := pageParam(c.Query("page"))
	f := documents.Filter{Query: p.Form["q"], Title: p.Form["title"], Limit: documentsPerPage, Offset: (page - 1) * documentsPerPage}
	if k := p.Form["kind"]; k != "" {
		f.Kinds = []string{k}
	}
	if t := p.Form["tag"]; t != "" {
		f.Tags = []string{t}
	}
	uploadURL := "/documents/upload"
	if l, ok := parseDocLink(p.Form["record_type"] + ":" + p.Form["record_id"]); ok {
		f.Record = &l
		uploadURL += "?link=" + docLinkString(l)
	}
	switch p.Form["shared"] {
	case "yes", "no":
		shared := p.Form["shared"] == "yes"
		f.Shared = &shared
	}
	res, err := h.Documents.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	rows, err := h.documentRows(c, p.Lang, res.Documents)
	if err != nil {
		return err
	}
	q := currentQuery(c)
	q.Del("page")
	p.Data = documentListData{Rows: rows, Kinds: documents.Kinds, RecordTypes: documentRecordTypes, UploadURL: uploadURL,
		Pager: newPager(p.Lang, "/documents", q, "page", "", page, documentsPerPage, res.Total)}
	return h.tpl.Render(c, "documents", p)
}
