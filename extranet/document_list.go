package extranet

import (
	"net/url"
	"strconv"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentsPerPage is the size of a page of the document list.
const documentsPerPage = 50

type documentListData struct {
	Rows       []documentRow
	Total      int
	Query      string
	Prev, Next string // URLs of the neighbour pages, "" at either end
}

// documentRow is a shared document with its size spelled out.
type documentRow struct {
	documents.Document
	SizeText string
}

// documentList lists the documents staff shared with the signed-in user's
// company, most recent first; q searches their titles and text.
func (h *handlers) documentList(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.documents.title")
	p.Nav = "documents"
	page := max(1, c.QueryInt("page", 1))
	q := c.Query("q")
	res, err := h.Documents.ListShared(c.UserContext(), p.User().ClientID, documents.Filter{Query: q,
		Limit: documentsPerPage, Offset: (page - 1) * documentsPerPage})
	if err != nil {
		return err
	}
	d := documentListData{Total: res.Total, Query: q}
	for _, doc := range res.Documents {
		d.Rows = append(d.Rows, documentRow{Document: doc, SizeText: web.FileSize(p.Lang, doc.Size)})
	}
	link := func(n int) string {
		return "/documents?" + url.Values{"q": {q}, "page": {strconv.Itoa(n)}}.Encode()
	}
	if page > 1 {
		d.Prev = link(page - 1)
	}
	if page*documentsPerPage < res.Total {
		d.Next = link(page + 1)
	}
	p.Data = d
	return h.tpl.Render(c, "documents", p)
}
