package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// contactRows is how many e-mail and phone inputs the contact form offers
// at least (one more than the contact has, when it has more).
const contactRows = 3

// contactFields are the single-valued inputs of the contact form.
var contactFields = []string{"civility", "first_name", "last_name", "role", "job_title", "department_id", "language", "notes", "active"}

type contactFormData struct {
	Owner       recordLink
	ID          int64 // 0 for a new contact
	Action      string
	Roles       []string
	Departments []crm.Department
	EmailRows   []int
	PhoneRows   []int
}

// contactForm reads the submitted contact form into p.Form and the input
// (without its owner).
func contactForm(c *fiber.Ctx, p *web.Page) crm.ContactInput {
	for _, f := range contactFields {
		p.Form[f] = c.FormValue(f)
	}
	in := crm.ContactInput{Civility: p.Form["civility"], FirstName: p.Form["first_name"], LastName: p.Form["last_name"],
		Role: p.Form["role"], JobTitle: p.Form["job_title"], DepartmentID: optionalID(p.Form["department_id"]),
		Language: p.Form["language"], Notes: p.Form["notes"], Active: p.Form["active"] != ""}
	for i := 0; i < 20; i++ {
		n := strconv.Itoa(i)
		email, number, label := c.FormValue("email_"+n), c.FormValue("phone_"+n), c.FormValue("phone_label_"+n)
		p.Form["email_"+n], p.Form["phone_"+n], p.Form["phone_label_"+n] = email, number, label
		in.Emails = append(in.Emails, email)
		in.Phones = append(in.Phones, crm.Phone{Number: number, Label: label})
	}
	return in
}

// fillContactForm puts a saved contact in the form.
func fillContactForm(p *web.Page, k crm.Contact) {
	in := k.ContactInput
	for f, v := range map[string]string{"civility": in.Civility, "first_name": in.FirstName, "last_name": in.LastName,
		"role": in.Role, "job_title": in.JobTitle, "department_id": idString(in.DepartmentID), "language": in.Language,
		"notes": in.Notes, "active": checked(in.Active)} {
		p.Form[f] = v
	}
	for i, e := range in.Emails {
		p.Form["email_"+strconv.Itoa(i)] = e
	}
	for i, ph := range in.Phones {
		p.Form["phone_"+strconv.Itoa(i)], p.Form["phone_label_"+strconv.Itoa(i)] = ph.Number, ph.Label
	}
}

// renderContactForm shows the form of a contact of owner (id 0: a new one).
func (h *handlers) renderContactForm(c *fiber.Ctx, p *web.Page, owner crm.Ref, id int64) error {
	ctx := c.UserContext()
	d := contactFormData{ID: id, Roles: crm.ClientContactRoles}
	n := h.newNames()
	n.want(owner)
	if err := n.load(ctx); err != nil {
		return err
	}
	if d.Owner = n.known[owner]; d.Owner.URL == "" {
		return fiber.ErrNotFound
	}
	if owner.Type == crm.RecordProvider {
		d.Roles = crm.ProviderContactRoles
	} else {
		var err error
		if d.Departments, err = h.Establishments.Departments(ctx, owner.ID); err != nil {
			return err
		}
	}
	d.Action = recordURL(owner) + "/contacts"
	if id != 0 {
		d.Action = recordURL(crm.Ref{Type: crm.RecordContact, ID: id})
	}
	d.EmailRows, d.PhoneRows = formRows(p.Form, "email_"), formRows(p.Form, "phone_")
	p.Data = d
	return h.tpl.Render(c, "contact_form", p)
}

// formRows numbers the input rows of a repeated field: the filled ones
// plus one empty, and at least contactRows.
func formRows(form map[string]string, prefix string) []int {
	n := 0
	for i := 0; i < 20; i++ {
		if form[prefix+strconv.Itoa(i)] != "" {
			n = i + 1
		}
	}
	rows := make([]int, max(contactRows, n+1))
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// ownerRef is the owner of the contact form's page: /clients/:id or /providers/:id.
func ownerRef(c *fiber.Ctx, side string) (crm.Ref, error) {
	id, err := paramID(c, "id")
	return crm.Ref{Type: side, ID: id}, err
}

func (h *handlers) contactNew(side string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		owner, err := ownerRef(c, side)
		if err != nil {
			return err
		}
		p := h.page(c, "contacts.new", "contacts")
		p.Form["language"], p.Form["active"] = "fr", "on"
		return h.renderContactForm(c, p, owner, 0)
	}
}

// contactCreate adds a contact to a client or provider and opens its page.
func (h *handlers) contactCreate(side string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		owner, err := ownerRef(c, side)
		if err != nil {
			return err
		}
		p := h.page(c, "contacts.new", "contacts")
		in := contactForm(c, p)
		if side == crm.RecordClient {
			in.ClientID = &owner.ID
		} else {
			in.ProviderID = &owner.ID
		}
		k, err := h.Contacts.Create(c.UserContext(), in)
		if err != nil {
			return h.contactFormFailed(c, p, owner, 0, err)
		}
		web.Flash(c, "contacts.created")
		return c.Redirect(recordURL(crm.Ref{Type: crm.RecordContact, ID: k.ID}), fiber.StatusSeeOther)
	}
}

func (h *handlers) contactEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.Contacts.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := h.page(c, "contacts.edit", "contacts")
	p.Title = p.T("contacts.edit_of", k.Name())
	fillContactForm(p, k)
	return h.renderContactForm(c, p, k.Owner(), id)
}

// contactUpdate saves an edited contact and goes back to its page.
func (h *handlers) contactUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "contacts.edit", "contacts")
	k, err := h.Contacts.Update(c.UserContext(), id, contactForm(c, p))
	if err != nil {
		cur, gerr := h.Contacts.Get(c.UserContext(), id)
		if gerr != nil {
			return gerr
		}
		return h.contactFormFailed(c, p, cur.Owner(), id, err)
	}
	web.Flash(c, "contacts.saved")
	return c.Redirect(recordURL(crm.Ref{Type: crm.RecordContact, ID: k.ID}), fiber.StatusSeeOther)
}

// contactFormFailed shows the form again with the messages of a validation
// error, or returns any other error.
func (h *handlers) contactFormFailed(c *fiber.Ctx, p *web.Page, owner crm.Ref, id int64, err error) error {
	if !fieldErrors(p, err, "") {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return h.renderContactForm(c, p, owner, id)
}
