package backoffice_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

var inviteLink = regexp.MustCompile(`http://ex\.test/password/reset\?token=(\S+)`)

// TestExtranetInvitations: staff invite a manager of a department from the
// client page; the mailed link, single use, sets the password and the
// account signs in with its scope. Another client's department is refused.
func TestExtranetInvitations(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := login(t, f)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie", Status: crm.ClientActive}))
		other := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Perrin"}))
		sales := must(f.crm.establishments.AddDepartment(ctx, acme.ID, "Ventes"))
		foreign := must(f.crm.establishments.AddDepartment(ctx, other.ID, "Atelier"))
		page := fmt.Sprintf("/clients/%d", acme.ID)
		want(t, "client page", c.Get(page), 200, "Accès à l&#39;espace client", "Inviter un utilisateur", `value="manager"`)

		post := func(dept int64) url.Values {
			return url.Values{"invite_name": {"Paul Martin"}, "invite_email": {"paul.martin@acme.test"}, "role": {"manager"},
				"department_ids": {fmt.Sprint(dept)}}
		}
		want(t, "another client's department", c.Post(page+"/extranet-users", post(foreign.ID)), 422)
		want(t, "invite", c.Post(page+"/extranet-users", post(sales.ID)), http.StatusSeeOther)
		want(t, "listed", c.Get(page), 200, "paul.martin@acme.test", "Jamais connecté")
		want(t, "same address again", c.Post(page+"/extranet-users", post(sales.ID)), 422)

		var link []string
		for _, m := range f.mail.Messages() {
			if len(m.To) == 1 && m.To[0].Address == "paul.martin@acme.test" {
				link = inviteLink.FindStringSubmatch(m.Text)
			}
		}
		if link == nil {
			t.Fatalf("no invitation with an extranet link: %+v", f.mail.Messages())
		}
		token, _ := url.QueryUnescape(link[1])
		ext := auth.New(d, auth.Extranet, auth.Options{})
		if _, err := ext.CompleteReset(context.Background(), token, "un mot de passe solide"); err != nil {
			t.Fatalf("set the password: %v", err)
		}
		if _, err := ext.CompleteReset(context.Background(), token, "un autre mot de passe"); err == nil {
			t.Error("the link was used twice")
		}
		if _, _, err := ext.Login(context.Background(), "paul.martin@acme.test", "un mot de passe solide", "127.0.0.1", "test"); err != nil {
			t.Fatalf("login: %v", err)
		}
		u := must(ext.UserByEmail(context.Background(), "paul.martin@acme.test"))
		v := must(crm.NewViewers(d).Load(context.Background(), u.ID))
		if v.ClientID != acme.ID || v.Role != "manager" || len(v.DepartmentIDs) != 1 || v.DepartmentIDs[0] != sales.ID {
			t.Errorf("viewer: %+v", v)
		}

		token2, _, _ := f.auth.CreateToken(context.Background(), f.admin.ID, "test")
		for _, tc := range []apiCase{
			{"list", "GET", fmt.Sprintf("/api/v1/clients/%d/extranet-users", acme.ID), "", 200, []string{`"email":"paul.martin@acme.test"`}, []string{"password"}},
			{"invite by API", "POST", fmt.Sprintf("/api/v1/clients/%d/extranet-users", acme.ID),
				`{"name":"Marie RH","email":"marie@acme.test","role":"hr_admin"}`, 201, []string{`"role":"hr_admin"`}, nil},
			{"bad role", "POST", fmt.Sprintf("/api/v1/clients/%d/extranet-users", acme.ID),
				`{"name":"X","email":"x@acme.test","role":"admin"}`, 422, nil, nil},
			{"unknown client", "POST", "/api/v1/clients/999999/extranet-users", `{"name":"X","email":"y@acme.test","role":"hr_admin"}`, 404, nil, nil},
		} {
			tc.check(t, f.app, token2)
		}
		if !strings.Contains(fmt.Sprint(f.mail.Messages()), "marie@acme.test") {
			t.Error("no invitation mailed through the API")
		}
	})
}
