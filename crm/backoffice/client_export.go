package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// exportBatch is how many rows an export reads at a time (the services'
// largest page).
const exportBatch = 500

// exportAll reads every page of a list, whatever page the screen was on.
func exportAll[T any](list func(crm.Page) ([]T, int, error)) ([]T, error) {
	var all []T
	for page := 1; ; page++ {
		batch, total, err := list(crm.Page{Number: page, Size: exportBatch})
		if err != nil {
			return nil, err
		}
		all = append(all, batch...)
		if len(batch) < exportBatch || len(all) >= total {
			return all, nil
		}
	}
}

// sendExport sends rows as CSV for French Excel, with the columns' i18n
// keys written in French.
func sendExport(c *fiber.Ctx, filename string, headerKeys []string, rows [][]string) error {
	header := make([]string, 0, len(headerKeys))
	for _, k := range headerKeys {
		header = append(header, i18n.T(i18n.FR, k))
	}
	return web.SendCSV(c, filename, header, rows)
}

// clientExport downloads every client of the list's filters.
func (h *handlers) clientExport(c *fiber.Ctx) error {
	f := clientFilter(c)
	clients, err := exportAll(func(p crm.Page) ([]crm.ClientRow, int, error) {
		f.Page = p
		return h.Clients.List(c.UserContext(), f)
	})
	if err != nil {
		return err
	}
	rows := make([][]string, len(clients))
	for i, r := range clients {
		rows[i] = clientCSVRow(r)
	}
	return sendExport(c, "clients.csv", clientCSVHeader, rows)
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
