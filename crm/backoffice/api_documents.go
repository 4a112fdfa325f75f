package backoffice

import (
	"io"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/gofiber/fiber/v2"
)

// apiDocumentList searches the documents: q (words of the title, file name,
// tags and text), title (a part of it), kind and tag (repeatable; every tag
// must be there), record_type with record_id, shared (true|false),
// client_id (owner client), page and per_page (1–200, default 50).
func (h *handlers) apiDocumentList(c *fiber.Ctx) error {
	size := c.QueryInt("per_page", 50)
	if size < 1 || size > 200 {
		size = 50
	}
	pg := crm.Page{Number: max(1, c.QueryInt("page", 1)), Size: size}
	f := documents.Filter{Query: c.Query("q"), Title: c.Query("title"), Kinds: queryValues(c, "kind"), Tags: queryValues(c, "tag"),
		Limit: pg.Size, Offset: (pg.Number - 1) * pg.Size}
	if r := apiRef(c); r != nil {
		f.Record = &documents.Link{Type: r.Type, ID: r.ID}
	}
	var err error
	if f.ClientID, err = idParam(c, "client_id"); err != nil {
		return err
	}
	switch s := c.Query("shared"); s {
	case "":
	case "true", "false":
		shared := s == "true"
		f.Shared = &shared
	default:
		return invalid("shared", "error.invalid")
	}
	res, err := h.Documents.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(res.Documents, res.Total, pg))
}

// apiDocumentUpload stores a new document from a multipart form: file
// (required), title, kind, tags (comma-separated or repeated), link
// ("type:id", repeatable), client_id (owner client) and shared (true to
// show it on that client's extranet).
func (h *handlers) apiDocumentUpload(c *fiber.Ctx) error {
	nd := documents.NewDocument{Title: c.FormValue("title"), Kind: c.FormValue("kind")}
	for _, t := range formValues(c, "tags") {
		nd.Tags = append(nd.Tags, splitTags(t)...)
	}
	for _, v := range formValues(c, "link") {
		l, ok := parseDocLink(v)
		if !ok {
			return invalid("links", "error.invalid")
		}
		nd.Links = append(nd.Links, l)
	}
	if s := c.FormValue("client_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return invalid("client_id", "error.number")
		}
		nd.ClientID = id
	}
	shared, err := formBool(c, "shared")
	if err != nil {
		return err
	}
	nd.Shared = shared
	name, content, closeFile, err := apiFile(c)
	if err != nil {
		return err
	}
	defer closeFile()
	nd.FileName, nd.Content = name, content
	doc, err := h.Documents.Upload(c.UserContext(), nd)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(doc)
}

// apiFile opens the multipart "file" field; without one, the content is
// nil and the service says the file is required.
func apiFile(c *fiber.Ctx) (string, io.Reader, func(), error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, func() {}, nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, func() {}, err
	}
	return fh.Filename, f, func() { f.Close() }, nil
}

// formBool reads a boolean form field: true/1/on or false/0/off, empty is false.
func formBool(c *fiber.Ctx, name string) (bool, error) {
	switch strings.ToLower(c.FormValue(name)) {
	case "", "false", "0", "off":
		return false, nil
	case "true", "1", "on":
		return true, nil
	}
	return false, invalid(name, "error.invalid")
}

func (h *handlers) apiDocumentGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	doc, err := h.Documents.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(doc)
}

// apiDocumentVersions lists a document's versions, newest first.
func (h *handlers) apiDocumentVersions(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	versions, err := h.Documents.Versions(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(versions))
}

// apiDocumentAddVersion uploads the next version (multipart "file"); an
// immutable document answers 409.
func (h *handlers) apiDocumentAddVersion(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	name, content, closeFile, err := apiFile(c)
	if err != nil {
		return err
	}
	defer closeFile()
	doc, err := h.Documents.AddVersion(c.UserContext(), id, name, content)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(doc)
}

// apiDocumentDownload sends a version's file (?version=N, current by default), always as an attachment.
func (h *handlers) apiDocumentDownload(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.sendDocument(c, id, false)
}

// apiDocumentCompare lists what changed in the data of a generated document
// from one version to another (?from=1&to=2).
func (h *handlers) apiDocumentCompare(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	from, to := c.QueryInt("from"), c.QueryInt("to")
	if from <= 0 || to <= 0 {
		return invalid("version", "error.required")
	}
	changes, err := h.Documents.CompareSnapshots(c.UserContext(), id, from, to)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"from": from, "to": to, "changes": changes})
}

// apiDocumentTags replaces the tags: {"tags": ["devis", "2026"]}.
func (h *handlers) apiDocumentTags(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Tags []string `json:"tags"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	doc, err := h.Documents.SetTags(c.UserContext(), id, in.Tags)
	if err != nil {
		return err
	}
	return c.JSON(doc)
}

// apiDocumentLink links more records: {"links": [{"type": "request", "id": 12}]}.
func (h *handlers) apiDocumentLink(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Links []documents.Link `json:"links"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	doc, err := h.Documents.Link(c.UserContext(), id, in.Links...)
	if err != nil {
		return err
	}
	return c.JSON(doc)
}

// apiDocumentUnlink removes the link to a record: DELETE …/links/request/12.
func (h *handlers) apiDocumentUnlink(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	rid, err := paramID(c, "rid")
	if err != nil {
		return err
	}
	doc, err := h.Documents.Unlink(c.UserContext(), id, documents.Link{Type: c.Params("type"), ID: rid})
	if err != nil {
		return err
	}
	return c.JSON(doc)
}

// apiDocumentShare shows the document on a linked client's extranet: {"client_id": 3}.
func (h *handlers) apiDocumentShare(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		ClientID int64 `json:"client_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	doc, err := h.Documents.Share(c.UserContext(), id, in.ClientID)
	if err != nil {
		return err
	}
	return c.JSON(doc)
}

func (h *handlers) apiDocumentUnshare(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	doc, err := h.Documents.Unshare(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(doc)
}

// apiDocumentDelete deletes an uploaded document; a generated one answers 409.
func (h *handlers) apiDocumentDelete(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Documents.Delete(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
