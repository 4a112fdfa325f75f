package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Establishment is a site of a client company, identified by its SIRET.
type Establishment struct {
	ID       int64 `db:"id" json:"id"`
	ClientID int64 `db:"client_id" json:"client_id"`
	EstablishmentInput
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// EstablishmentInput is what staff edit on an establishment. A French postal
// code and city are checked against the embedded list of communes, which
// also gives the commune code (used for distances).
type EstablishmentInput struct {
	SIRET        string `db:"siret" json:"siret"`
	Name         string `db:"name" json:"name"`
	AddressLine1 string `db:"address_line1" json:"address_line1"`
	AddressLine2 string `db:"address_line2" json:"address_line2"`
	PostalCode   string `db:"postal_code" json:"postal_code"`
	City         string `db:"city" json:"city"`
	CommuneCode  string `db:"commune_code" json:"commune_code"`
	Country      string `db:"country" json:"country"`
	HeadOffice   bool   `db:"head_office" json:"head_office"`
	Billing      bool   `db:"billing" json:"billing"`
}

func (in *EstablishmentInput) normalize(siren string) error {
	inv := &errs.Invalid{}
	in.SIRET = digitsOnly(in.SIRET)
	if in.SIRET != "" && !ValidSIRET(in.SIRET) {
		inv.Add("siret", "error.siret_invalid")
	} else if in.SIRET != "" && siren != "" && !strings.HasPrefix(in.SIRET, siren) {
		inv.Add("siret", "error.siret_siren")
	}
	for _, f := range []*string{&in.Name, &in.AddressLine1, &in.AddressLine2, &in.PostalCode, &in.City} {
		*f = strings.TrimSpace(*f)
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.Country == "" {
		in.Country = "FR"
	}
	in.CommuneCode = ""
	if in.Country == "FR" && in.PostalCode != "" {
		communes := geo.CommunesByPostalCode(in.PostalCode)
		if len(communes) == 0 {
			inv.Add("postal_code", "error.postal_code_unknown")
		}
		city := textsearch.Fold(in.City)
		for _, c := range communes {
			if len(communes) == 1 && in.City == "" || textsearch.Fold(c.Name) == city {
				in.CommuneCode, in.City = c.Code, c.Name
				break
			}
		}
		if len(communes) > 0 && in.CommuneCode == "" {
			inv.Add("city", "error.city_postal_code")
		}
	}
	return inv.OrNil()
}

// Establishments is the establishment service.
type Establishments struct {
	db *db.DB
}

// NewEstablishments returns the establishment service.
func NewEstablishments(d *db.DB) *Establishments { return &Establishments{db: d} }

const establishmentColumns = `id, client_id, siret, name, address_line1, address_line2, postal_code, city, commune_code,
	country, head_office, billing, created_at, updated_at`

// Save creates (id 0) or updates an establishment of the client. Marking it
// head office or billing address takes that mark from the client's others.
func (s *Establishments) Save(ctx context.Context, clientID, id int64, in EstablishmentInput) (Establishment, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var siren string
		if err := tx.Get(ctx, &siren, "SELECT siren FROM clients WHERE id = ?", clientID); err != nil {
			return fmt.Errorf("crm: client %d: %w", clientID, err)
		}
		if err := in.normalize(siren); err != nil {
			return err
		}
		now := time.Now().UTC()
		if id == 0 {
			var err error
			if id, err = db.InsertID(ctx, tx, `INSERT INTO client_establishments (client_id, siret, name, address_line1,
				address_line2, postal_code, city, commune_code, country, head_office, billing, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, clientID, in.SIRET, in.Name, in.AddressLine1,
				in.AddressLine2, in.PostalCode, in.City, in.CommuneCode, in.Country, in.HeadOffice, in.Billing, now, now); err != nil {
				return fmt.Errorf("crm: create establishment: %w", err)
			}
		} else {
			res, err := tx.Exec(ctx, `UPDATE client_establishments SET siret = ?, name = ?, address_line1 = ?, address_line2 = ?,
				postal_code = ?, city = ?, commune_code = ?, country = ?, head_office = ?, billing = ?, updated_at = ?
				WHERE id = ? AND client_id = ?`, in.SIRET, in.Name, in.AddressLine1, in.AddressLine2, in.PostalCode, in.City,
				in.CommuneCode, in.Country, in.HeadOffice, in.Billing, now, id, clientID)
			if err != nil {
				return fmt.Errorf("crm: update establishment %d: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("crm: establishment %d of client %d: %w", id, clientID, errs.ErrNotFound)
			}
		}
		for col, on := range map[string]bool{"head_office": in.HeadOffice, "billing": in.Billing} {
			if on {
				if _, err := tx.Exec(ctx, "UPDATE client_establishments SET "+col+" = FALSE WHERE client_id = ? AND id <> ?", clientID, id); err != nil {
					return fmt.Errorf("crm: establishment %d: %w", id, err)
				}
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "establishment.save", Entity: RecordClient, EntityID: clientID,
			Details: map[string]any{"establishment": id}})
	})
	if err != nil {
		return Establishment{}, err
	}
	var e Establishment
	err = s.db.Get(ctx, &e, "SELECT "+establishmentColumns+" FROM client_establishments WHERE id = ?", id)
	return e, err
}

// List returns a client's establishments, head office first.
func (s *Establishments) List(ctx context.Context, clientID int64) ([]Establishment, error) {
	var out []Establishment
	err := s.db.Select(ctx, &out, "SELECT "+establishmentColumns+
		" FROM client_establishments WHERE client_id = ? ORDER BY head_office DESC, name, id", clientID)
	return out, err
}

// Department is a department (service) of a client company.
type Department struct {
	ID       int64  `db:"id" json:"id"`
	ClientID int64  `db:"client_id" json:"client_id"`
	Name     string `db:"name" json:"name"`
}

// Departments lists a client's departments by name.
func (s *Establishments) Departments(ctx context.Context, clientID int64) ([]Department, error) {
	var out []Department
	err := s.db.Select(ctx, &out, "SELECT id, client_id, name FROM client_departments WHERE client_id = ? ORDER BY name_key", clientID)
	return out, err
}

// AddDepartment returns the client's department of that name, creating it if needed.
func (s *Establishments) AddDepartment(ctx context.Context, clientID int64, name string) (Department, error) {
	var d Department
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		d, err = departmentNamed(ctx, tx, clientID, name)
		return err
	})
	return d, err
}

// departmentNamed finds or creates a department by name, ignoring case and accents.
func departmentNamed(ctx context.Context, q db.Querier, clientID int64, name string) (Department, error) {
	name = strings.TrimSpace(name)
	key := textsearch.Fold(name)
	if key == "" {
		return Department{}, errs.NewInvalid("department", "error.required")
	}
	d := Department{ClientID: clientID, Name: name}
	err := q.Get(ctx, &d.ID, "SELECT id FROM client_departments WHERE client_id = ? AND name_key = ?", clientID, key)
	if err == nil || !errors.Is(err, errs.ErrNotFound) {
		return d, err
	}
	d.ID, err = db.InsertID(ctx, q, "INSERT INTO client_departments (client_id, name, name_key) VALUES (?, ?, ?) RETURNING id",
		clientID, name, key)
	if err != nil {
		return Department{}, fmt.Errorf("crm: add department %q: %w", name, err)
	}
	return d, nil
}
