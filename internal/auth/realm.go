package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Realm is one sealed user population: its tables and its cookie.
type Realm struct {
	Name     string // "staff" or "extranet", also the value stored in login_attempts
	users    string
	sessions string
	resets   string
	Cookie   string
	Roles    []string
}

// The two realms. Table names are constants, never user input.
var (
	Staff = Realm{Name: "staff", users: "staff_users", sessions: "staff_sessions", resets: "staff_password_resets",
		Cookie: "courtier_staff", Roles: []string{RoleAdmin, RoleConsultant, RoleAccountant}}
	Extranet = Realm{Name: "extranet", users: "extranet_users", sessions: "extranet_sessions", resets: "extranet_password_resets",
		Cookie: "courtier_client", Roles: []string{RoleHRAdmin, RoleTrainingOfficer, RoleManager, RoleEmployee}}
)

// Staff roles.
const (
	RoleAdmin      = "admin"
	RoleConsultant = "consultant"
	RoleAccountant = "accountant"
)

// Extranet roles.
const (
	RoleHRAdmin         = "hr_admin"
	RoleTrainingOfficer = "training_officer"
	RoleManager         = "manager"
	RoleEmployee        = "employee"
)

// HasRole reports whether role belongs to the realm.
func (r Realm) HasRole(role string) bool {
	for _, x := range r.Roles {
		if x == role {
			return true
		}
	}
	return false
}

// newSecret returns a random URL-safe secret of 32 bytes and the hex SHA-256
// under which it is stored: the database never holds a usable secret.
func newSecret() (plain, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, hashSecret(plain)
}

func hashSecret(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}
