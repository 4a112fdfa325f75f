package tax

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// viesServer mimics the VIES REST API: it checks the request and answers
// with the handler's status and body.
func viesServer(t *testing.T, status int, body string) (*httptest.Server, *viesRequest) {
	t.Helper()
	var got viesRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/check-vat-number" {
			t.Errorf("%s %s, want POST /check-vat-number", r.Method, r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("request body: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestHTTPVIESValid(t *testing.T) {
	srv, req := viesServer(t, 200, `{"countryCode":"DE","vatNumber":"123456789","requestDate":"2026-10-15T09:30:12.345Z",
		"valid":true,"requestIdentifier":"WAPIAAAAYx1","name":"ACME GMBH","address":"Hauptstr. 1\n10115 Berlin","traderName":"---"}`)
	v := &HTTPVIES{BaseURL: srv.URL + "/", RequesterCountry: "FR", RequesterNumber: "40303265045"}
	res, err := v.Check(context.Background(), "de", "123 456 789")
	if err != nil {
		t.Fatal(err)
	}
	if req.CountryCode != "DE" || req.VATNumber != "123456789" || req.RequesterMemberStateCode != "FR" || req.RequesterNumber != "40303265045" {
		t.Errorf("request %+v", *req)
	}
	want := VIESResult{Valid: true, Name: "ACME GMBH", Address: "Hauptstr. 1\n10115 Berlin",
		CheckedAt: time.Date(2026, 10, 15, 9, 30, 12, 345e6, time.UTC), Reference: "WAPIAAAAYx1"}
	if !res.CheckedAt.Equal(want.CheckedAt) {
		t.Errorf("CheckedAt %s, want %s", res.CheckedAt, want.CheckedAt)
	}
	res.CheckedAt = want.CheckedAt
	if res != want {
		t.Errorf("got %+v, want %+v", res, want)
	}
}

func TestHTTPVIESInvalidNumber(t *testing.T) {
	srv, _ := viesServer(t, 200, `{"countryCode":"IT","vatNumber":"00000000000","requestDate":"2026-10-15+02:00","valid":false,"name":"---","address":"---"}`)
	res, err := (&HTTPVIES{BaseURL: srv.URL}).Check(context.Background(), "IT", "00000000000")
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid || res.Name != "" || res.Address != "" {
		t.Errorf("got %+v", res)
	}
	if y, m, d := res.CheckedAt.Date(); y != 2026 || m != 10 || d != 15 {
		t.Errorf("CheckedAt %s", res.CheckedAt)
	}
}

func TestHTTPVIESErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   error
		says   string
	}{
		{"member state down", 200, `{"actionSucceed":false,"errorWrappers":[{"error":"MS_UNAVAILABLE","message":"x"}]}`, ErrVIESUnavailable, "MS_UNAVAILABLE"},
		{"too many requests", 500, `{"actionSucceed":false,"errorWrappers":[{"error":"MS_MAX_CONCURRENT_REQ"}]}`, ErrVIESUnavailable, "try again later"},
		{"userError field", 200, `{"valid":false,"userError":"SERVICE_UNAVAILABLE"}`, ErrVIESUnavailable, "SERVICE_UNAVAILABLE"},
		{"bad input", 400, `{"actionSucceed":false,"errorWrappers":[{"error":"INVALID_INPUT"}]}`, ErrInvalidVAT, "INVALID_INPUT"},
		{"gateway error page", 502, `<html>Bad gateway</html>`, ErrVIESUnavailable, "HTTP 502"},
		{"garbage with 200", 200, `not json`, ErrVIESUnavailable, "unreadable answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := viesServer(t, tt.status, tt.body)
			_, err := (&HTTPVIES{BaseURL: srv.URL}).Check(context.Background(), "DE", "123456789")
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got %v, want %v saying %q", err, tt.want, tt.says)
			}
		})
	}
}

func TestHTTPVIESTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	_, err := (&HTTPVIES{BaseURL: srv.URL, Timeout: 50 * time.Millisecond}).Check(context.Background(), "DE", "123456789")
	if !errors.Is(err, ErrVIESUnavailable) {
		t.Errorf("got %v, want ErrVIESUnavailable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeout took %s", d)
	}
}

func TestHTTPVIESUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := (&HTTPVIES{BaseURL: url}).Check(context.Background(), "DE", "123456789")
	if !errors.Is(err, ErrVIESUnavailable) {
		t.Errorf("got %v, want ErrVIESUnavailable", err)
	}
}

func TestFakeVIESAndCheckVAT(t *testing.T) {
	at := time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	f := &FakeVIES{Valid: map[string]string{"DE123456789": "ACME GmbH"}, Now: at}
	var _ VIES = f
	var _ VIES = &HTTPVIES{}
	ctx := context.Background()
	res, err := CheckVAT(ctx, f, "de 123-456-789")
	if err != nil || !res.Valid || res.Name != "ACME GmbH" || !res.CheckedAt.Equal(at) {
		t.Errorf("valid number: %+v, %v", res, err)
	}
	res, err = CheckVAT(ctx, f, "DE987654321")
	if err != nil || res.Valid {
		t.Errorf("unknown number: %+v, %v", res, err)
	}
	if _, err := CheckVAT(ctx, f, "DE12"); !errors.Is(err, ErrInvalidVAT) {
		t.Errorf("bad format reached VIES: %v", err)
	}
	f.Unavailable = true
	if _, err := CheckVAT(ctx, f, "DE123456789"); !errors.Is(err, ErrVIESUnavailable) {
		t.Errorf("unavailable: %v", err)
	}
	// A Greek number typed with GR is asked to VIES as EL.
	g := &FakeVIES{Valid: map[string]string{"EL123456789": "Acme AE"}}
	if res, err := CheckVAT(ctx, g, "GR123456789"); err != nil || !res.Valid {
		t.Errorf("GR prefix: %+v, %v", res, err)
	}
}
