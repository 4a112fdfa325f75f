package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "./courtier-data" || c.BackofficeAddr != "127.0.0.1:8080" || c.ExtranetAddr != "127.0.0.1:8081" {
		t.Errorf("defaults: %+v", c)
	}
	if c.DatabaseURL != "sqlite:courtier-data/courtier.db" {
		t.Errorf("database URL: %q", c.DatabaseURL)
	}
	if c.SessionIdle != 2*time.Hour || c.SMTPPort != 587 || c.ExtranetURL != "http://127.0.0.1:8081" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestEnvOverridesAndErrors(t *testing.T) {
	c, err := Load(env(map[string]string{"COURTIER_DATA_DIR": "/srv/c", "COURTIER_SESSION_IDLE": "30m", "COURTIER_EXTRANET_URL": "https://extranet.example.fr/"}))
	if err != nil {
		t.Fatal(err)
	}
	c.Finish()
	if c.DatabaseURL != "sqlite:/srv/c/courtier.db" || c.SessionIdle != 30*time.Minute || c.ExtranetURL != "https://extranet.example.fr" {
		t.Errorf("overrides: %+v", c)
	}
	_, err = Load(env(map[string]string{"COURTIER_SMTP_PORT": "http", "COURTIER_SESSION_IDLE": "-1h"}))
	if err == nil || !strings.Contains(err.Error(), "COURTIER_SMTP_PORT") || !strings.Contains(err.Error(), "COURTIER_SESSION_IDLE") {
		t.Errorf("want both bad settings named, got %v", err)
	}
}

func TestSecretIsCreatedOnceAndKept(t *testing.T) {
	c := Config{DataDir: filepath.Join(t.TempDir(), "data")}
	k1, err := c.Secret()
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := c.Secret()
	if len(k1) != 32 || !bytes.Equal(k1, k2) {
		t.Errorf("key not stable: %x %x", k1, k2)
	}
	st, _ := os.Stat(filepath.Join(c.DataDir, "secret.key"))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode %v, want 0600", st.Mode().Perm())
	}
	c.SecretKey = "tooshort"
	if _, err := c.Secret(); err == nil {
		t.Error("short COURTIER_SECRET_KEY accepted")
	}
}

// TestMailFromDefault: the default sender is an address, applied like any
// default (its angle brackets are not a derived-value placeholder).
func TestMailFromDefault(t *testing.T) {
	c, err := Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.MailFrom != "Courtier <noreply@courtier.localhost>" || c.MailPoll.String() != "5m0s" {
		t.Errorf("defaults: MailFrom %q, MailPoll %v", c.MailFrom, c.MailPoll)
	}
	if err := c.Finish(); err != nil || c.BlobDir == "" {
		t.Errorf("Finish: %v, BlobDir %q", err, c.BlobDir)
	}
	c.MailFrom = "not an address"
	if err := c.Finish(); err == nil {
		t.Error("a bad COURTIER_MAIL_FROM was accepted")
	}
}

// TestDocumentMaxSize: the upload limit reads bytes or a unit counted in
// 1024s, defaults to 25 MiB and refuses nonsense with the variable named.
func TestDocumentMaxSize(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.DocumentMaxSize != 25<<20 {
		t.Fatalf("default: %d %v", c.DocumentMaxSize, err)
	}
	for in, want := range map[string]int64{"26214400": 25 << 20, "25MB": 25 << 20, "25 MiB": 25 << 20, "512k": 512 << 10, "1G": 1 << 30, "2048B": 2048} {
		c, err := Load(env(map[string]string{"COURTIER_DOCUMENT_MAX_SIZE": in}))
		if err != nil || c.DocumentMaxSize != want {
			t.Errorf("%q: %d %v, want %d", in, c.DocumentMaxSize, err, want)
		}
	}
	for _, bad := range []string{"lots", "25TB", "-1", "12.5MB", "100", "2GB", "MB"} {
		if _, err := Load(env(map[string]string{"COURTIER_DOCUMENT_MAX_SIZE": bad})); err == nil || !strings.Contains(err.Error(), "COURTIER_DOCUMENT_MAX_SIZE") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}
