package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// exportBatch is how many clients the export reads at a time (the
// service's largest page).
const exportBatch = 500

// clientExport downloads every client of the list's filters as CSV for
// French Excel, whatever page the list was on.
func (h *handlers) clientExport(c *fiber.Ctx) error {
	f := clientFilter(c)
	f.Page = crm.Page{Number: 1, Size: exportBatch}
	var rows [][]string
	for {
		batch, total, err := h.Clients.List(c.UserContext(), f)
		if err != nil {
			return err
		}
		for _, r := range batch {
			rows = append(rows, clientCSVRow(r))
		}
		if len(batch) < exportBatch || len(rows) >= total {
			break
		}
		f.Page.Number++
	}
	header := make([]string, 0, len(clientCSVHeader))
	for _, k := range clientCSVHeader {
		header = append(header, i18n.T(i18n.FR, k))
	}
	return web.SendCSV(c, "clients.csv", header, rows)
}

// clientCSVHeader are the column titles (i18n keys, written in French).
var clientCSVHeader = []string{"client.legal_name", "client.siren", "client.vat_number", "client.status", "client.account_manager",
	"client.city", "client.phone", "client.website", "client.billing_email", "client.payment_terms_days", "client.created_at"}

func clientCSVRow(r crm.ClientRow) []string {
	terms := ""
	if r.PaymentTermsDays != nil {
		terms = strconv.Itoa(*r.PaymentTermsDays)
	}
	return []string{r.LegalName, r.SIREN, r.VATNumber, i18n.T(i18n.FR, "client.status."+r.Status), r.AccountManagerName,
		r.City, r.Phone, r.Website, r.BillingEmail, terms, i18n.Date(i18n.FR, r.CreatedAt)}
}
