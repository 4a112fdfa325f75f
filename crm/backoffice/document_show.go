package backoffice

import (
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type documentPageData struct {
	Doc         documents.Document
	SizeText    string
	Records     []recordLink // the linked records, named
	Clients     []recordLink // the linked clients: whom it can be shared with
	Owner       *recordLink  // the owner client
	CreatedBy   string
	SharedBy    string
	Versions    []versionRow
	Snapshots   []int // the versions with a data snapshot, newest first
	Compare     *compareView
	RecordTypes []string
	MaxSize     string
}

// versionRow is a version in the table, with who uploaded it and whether it can be previewed.
type versionRow struct {
	documents.Version
	Number   int // the version's number (.Version is the embedded struct)
	SizeText string
	By       string
	Current  bool
	Preview  bool
}

// compareView is the difference of the data of two generated versions.
type compareView struct {
	From, To int
	Asked    bool // the comparison was asked for (else the form's defaults)
	Changes  []changeRow
}

func (h *handlers) documentShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.renderDocument(c, h.page(c, "documents.document", "documents"), id)
}

// renderDocument shows a document: its metadata and file, tags, linked
// records, sharing, versions with their downloads, and for a generated
// document the comparison of the data of two versions (?from=1&to=2).
func (h *handlers) renderDocument(c *fiber.Ctx, p *web.Page, id int64) error {
	ctx := c.UserContext()
	doc, err := h.Documents.Get(ctx, id)
	if err != nil {
		return err
	}
	versions, err := h.Documents.Versions(ctx, id)
	if err != nil {
		return err
	}
	staff, err := h.Auth.ListUsers(ctx, 0)
	if err != nil {
		return err
	}
	who := func(id *int64) string {
		for _, u := range staff {
			if id != nil && u.ID == *id {
				return u.Name
			}
		}
		return ""
	}
	d := documentPageData{Doc: doc, SizeText: web.FileSize(p.Lang, doc.Size), CreatedBy: who(doc.CreatedBy), SharedBy: who(doc.SharedBy),
		RecordTypes: documentRecordTypes, MaxSize: web.FileSize(p.Lang, h.Documents.MaxSize())}
	n := h.newNames()
	refs := docRefs(doc.Links)
	n.want(refs...)
	if err := n.load(ctx); err != nil {
		return err
	}
	d.Records = n.links(refs)
	for _, r := range d.Records {
		if r.Type != crm.RecordClient {
			continue
		}
		d.Clients = append(d.Clients, r)
		if doc.ClientID != nil && r.ID == *doc.ClientID {
			owner := r
			d.Owner = &owner
		}
	}
	for _, v := range versions {
		d.Versions = append(d.Versions, versionRow{Version: v, Number: v.Version, SizeText: web.FileSize(p.Lang, v.Size), By: who(v.CreatedBy),
			Current: v.Version == doc.CurrentVersion, Preview: web.InlineSafe(v.MimeType)})
		if v.HasSnapshot {
			d.Snapshots = append(d.Snapshots, v.Version)
		}
	}
	if from, to := c.QueryInt("from"), c.QueryInt("to"); from > 0 && to > 0 {
		changes, err := h.Documents.CompareSnapshots(ctx, id, from, to)
		if err != nil && !fieldErrors(p, err, "compare_") {
			return err
		}
		d.Compare = &compareView{From: from, To: to, Asked: true, Changes: changeRows(changes)}
	} else if len(d.Snapshots) >= 2 {
		d.Compare = &compareView{From: d.Snapshots[1], To: d.Snapshots[0]}
	}
	if _, ok := p.Form["tags"]; !ok {
		p.Form["tags"] = strings.Join(doc.Tags, ", ")
	}
	if _, ok := p.Form["client_id"]; !ok && doc.ClientID != nil {
		p.Form["client_id"] = itoa(*doc.ClientID)
	}
	p.Title = doc.Title
	p.Data = d
	return h.tpl.Render(c, "document", p)
}

// renderDocumentFailed shows a document again after one of its actions was
// refused, or returns err when it was not a refusal.
func (h *handlers) renderDocumentFailed(c *fiber.Ctx, p *web.Page, id int64, err error, prefix string) error {
	if !h.documentProblems(c, p, err, prefix) {
		return err
	}
	p.Path = documentPath(id)
	return h.renderDocument(c, p, id)
}
