package backoffice

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type documentFormData struct {
	Kinds       []string
	RecordTypes []string
	Clients     []crm.ClientRow // to choose the owner client from
	Links       []linkOption    // the records the document will be linked to
	MaxSize     string          // the upload limit, spelled out
}

// linkOption is a record offered as a link, ticked or not.
type linkOption struct {
	recordLink
	Value   string // "type:id"
	Checked bool
}

// documentNew shows the upload form. Record pages link to it with their
// records (?link=request:12, repeatable) and client (?client=3), which
// come ticked and chosen.
func (h *handlers) documentNew(c *fiber.Ctx) error {
	p := h.page(c, "documents.new", "documents")
	p.Form["kind"] = documents.KindUpload
	p.Form["client_id"] = idString(optionalID(c.Query("client")))
	return h.renderDocumentForm(c, p, queryValues(c, "link"))
}

// renderDocumentForm shows the upload form with the links given ticked.
func (h *handlers) renderDocumentForm(c *fiber.Ctx, p *web.Page, links []string) error {
	ctx := c.UserContext()
	d := documentFormData{Kinds: documents.Kinds, RecordTypes: documentRecordTypes, MaxSize: web.FileSize(p.Lang, h.Documents.MaxSize())}
	var err error
	if d.Clients, _, err = h.Clients.List(ctx, crm.ClientFilter{Page: crm.Page{Size: pickerSize}}); err != nil {
		return err
	}
	// The chosen client is offered even when it is not among the first ones.
	if id := optionalID(p.Form["client_id"]); id != nil && !slices.ContainsFunc(d.Clients, func(r crm.ClientRow) bool { return r.ID == *id }) {
		cl, err := h.Clients.Get(ctx, *id)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		if err == nil {
			d.Clients = append([]crm.ClientRow{{Client: cl}}, d.Clients...)
		}
	}
	n := h.newNames()
	var refs []crm.Ref
	for _, v := range links {
		if l, ok := parseDocLink(v); ok && !slices.Contains(refs, crm.Ref{Type: l.Type, ID: l.ID}) {
			refs = append(refs, crm.Ref{Type: l.Type, ID: l.ID})
		}
	}
	n.want(refs...)
	if err := n.load(ctx); err != nil {
		return err
	}
	for _, l := range n.links(refs) {
		d.Links = append(d.Links, linkOption{recordLink: l, Value: refString(l.Ref), Checked: true})
	}
	p.Data = d
	return h.tpl.Render(c, "document_form", p)
}

// documentUpload stores an uploaded file as a new document and opens its
// page; a refused upload (too large, empty, bad kind) shows the form again
// with the reason next to the field, and nothing is stored.
func (h *handlers) documentUpload(c *fiber.Ctx) error {
	p := h.page(c, "documents.new", "documents")
	for _, k := range []string{"title", "kind", "tags", "client_id", "shared", "link_type", "link_id"} {
		p.Form[k] = c.FormValue(k)
	}
	links := formValues(c, "link")
	nd := documents.NewDocument{Title: p.Form["title"], Kind: p.Form["kind"], Tags: splitTags(p.Form["tags"]),
		Shared: p.Form["shared"] != ""}
	inv := &errs.Invalid{}
	if id := optionalID(p.Form["client_id"]); id != nil {
		nd.ClientID = *id
	} else if strings.TrimSpace(p.Form["client_id"]) != "" {
		inv.Add("client_id", "error.invalid")
	}
	for _, v := range links {
		if l, ok := parseDocLink(v); ok {
			nd.Links = append(nd.Links, l)
		}
	}
	if typ := p.Form["link_type"]; typ != "" || strings.TrimSpace(p.Form["link_id"]) != "" {
		id, err := strconv.ParseInt(strings.TrimSpace(p.Form["link_id"]), 10, 64)
		if err != nil || id <= 0 || !slices.Contains(documentRecordTypes, typ) {
			inv.Add("link_id", "error.invalid")
		} else {
			nd.Links = append(nd.Links, documents.Link{Type: typ, ID: id})
			links = append(links, docLinkString(documents.Link{Type: typ, ID: id}))
		}
	}
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		nd.FileName, nd.Content = fh.Filename, io.Reader(f)
	}
	err := inv.OrNil()
	var doc documents.Document
	if err == nil {
		doc, err = h.Documents.Upload(c.UserContext(), nd)
	}
	if err != nil {
		if !h.documentProblems(c, p, err, "") {
			return err
		}
		if p.Fields["link_id"] == "" {
			p.Fields["link_id"] = p.Fields["links"]
		}
		return h.renderDocumentForm(c, p, links)
	}
	web.Flash(c, "documents.uploaded")
	return c.Redirect(documentPath(doc.ID), fiber.StatusSeeOther)
}
