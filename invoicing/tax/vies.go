package tax

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// VIES checks that an EU VAT number is registered. Store the result and its
// date on the client: VIES is online only, and a manual confirmation may
// stand in for it when it is down (DOMAIN §3.4).
type VIES interface {
	Check(ctx context.Context, country, number string) (VIESResult, error)
}

// VIESResult is the answer of VIES for one number.
type VIESResult struct {
	Valid         bool
	Name, Address string // "" when the member state does not disclose them
	CheckedAt     time.Time
	Reference     string // consultation number, given when a requester VAT id is sent
}

// ErrVIESUnavailable is returned when VIES or the member state's service
// does not answer: try again later or confirm the number by hand.
var ErrVIESUnavailable = errors.New("tax: VIES unavailable")

// CheckVAT checks a VAT number's format, then asks VIES.
func CheckVAT(ctx context.Context, v VIES, vat string) (VIESResult, error) {
	country, err := CheckVATFormat(vat)
	if err != nil {
		return VIESResult{}, err
	}
	return v.Check(ctx, country, NormalizeVAT(vat)[2:])
}

// FakeVIES answers from a map, for tests: Valid maps a full number with its
// prefix ("DE123456789") to the registered name; anything else is invalid.
type FakeVIES struct {
	Valid       map[string]string
	Unavailable bool      // every call fails with ErrVIESUnavailable
	Now         time.Time // CheckedAt; zero means time.Now()
}

// Check implements VIES.
func (f *FakeVIES) Check(ctx context.Context, country, number string) (VIESResult, error) {
	if err := ctx.Err(); err != nil {
		return VIESResult{}, err
	}
	if f.Unavailable {
		return VIESResult{}, fmt.Errorf("%w: fake set unavailable", ErrVIESUnavailable)
	}
	at := f.Now
	if at.IsZero() {
		at = time.Now()
	}
	name, ok := f.Valid[strings.ToUpper(country)+NormalizeVAT(number)]
	return VIESResult{Valid: ok, Name: name, CheckedAt: at}, nil
}

// DefaultVIESBaseURL is the European Commission's VIES REST API.
const DefaultVIESBaseURL = "https://ec.europa.eu/taxation_customs/vies/rest-api"

// HTTPVIES calls the VIES REST API.
type HTTPVIES struct {
	Client  *http.Client  // nil: http.DefaultClient, bounded by Timeout
	BaseURL string        // "": DefaultVIESBaseURL
	Timeout time.Duration // per call; 0: 15 s
	// The seller's own VAT number, sent so that VIES returns a consultation
	// number (proof of the check for an audit). Optional.
	RequesterCountry, RequesterNumber string
}

type viesRequest struct {
	CountryCode              string `json:"countryCode"`
	VATNumber                string `json:"vatNumber"`
	RequesterMemberStateCode string `json:"requesterMemberStateCode,omitempty"`
	RequesterNumber          string `json:"requesterNumber,omitempty"`
}

type viesResponse struct {
	Valid             bool   `json:"valid"`
	Name              string `json:"name"`
	Address           string `json:"address"`
	RequestDate       string `json:"requestDate"`
	RequestIdentifier string `json:"requestIdentifier"`
	UserError         string `json:"userError"`
	ActionSucceed     *bool  `json:"actionSucceed"`
	ErrorWrappers     []struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	} `json:"errorWrappers"`
}

// Check implements VIES.
func (v *HTTPVIES) Check(ctx context.Context, country, number string) (VIESResult, error) {
	country = strings.ToUpper(strings.TrimSpace(country))
	number = NormalizeVAT(number)
	timeout := v.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	base := strings.TrimSuffix(v.BaseURL, "/")
	if base == "" {
		base = DefaultVIESBaseURL
	}
	body, err := json.Marshal(viesRequest{CountryCode: country, VATNumber: number,
		RequesterMemberStateCode: v.RequesterCountry, RequesterNumber: v.RequesterNumber})
	if err != nil {
		return VIESResult{}, fmt.Errorf("tax: vies request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/check-vat-number", bytes.NewReader(body))
	if err != nil {
		return VIESResult{}, fmt.Errorf("tax: vies request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	client := v.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return VIESResult{}, fmt.Errorf("%w: check %s%s: %v", ErrVIESUnavailable, country, number, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return VIESResult{}, fmt.Errorf("%w: check %s%s: read answer: %v", ErrVIESUnavailable, country, number, err)
	}
	var r viesResponse
	jsonErr := json.Unmarshal(raw, &r)
	if code := viesError(r); code != "" {
		return VIESResult{}, classifyVIES(code, country+number)
	}
	if resp.StatusCode != http.StatusOK {
		return VIESResult{}, fmt.Errorf("%w: check %s%s: HTTP %d", ErrVIESUnavailable, country, number, resp.StatusCode)
	}
	if jsonErr != nil {
		return VIESResult{}, fmt.Errorf("%w: check %s%s: unreadable answer: %v", ErrVIESUnavailable, country, number, jsonErr)
	}
	return VIESResult{
		Valid:     r.Valid,
		Name:      undisclosed(r.Name),
		Address:   undisclosed(r.Address),
		CheckedAt: parseVIESDate(r.RequestDate),
		Reference: r.RequestIdentifier,
	}, nil
}

// viesError returns the error code of an answer, "" when it has none.
func viesError(r viesResponse) string {
	if len(r.ErrorWrappers) > 0 {
		return r.ErrorWrappers[0].Error
	}
	switch r.UserError {
	case "", "VALID", "INVALID":
		return ""
	}
	return r.UserError
}

// classifyVIES: input errors are the number's fault, the rest is VIES's.
func classifyVIES(code, vat string) error {
	switch code {
	case "INVALID_INPUT", "INVALID_REQUESTER_INFO":
		return &VATFormatError{Number: vat, Reason: "VIES rejected the request (" + code + ")"}
	}
	return fmt.Errorf("%w: check %s: %s, try again later or confirm the number by hand", ErrVIESUnavailable, vat, code)
}

// undisclosed: some member states answer "---" instead of the name and address.
func undisclosed(s string) string {
	s = strings.TrimSpace(s)
	if s == "---" {
		return ""
	}
	return s
}

func parseVIESDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02Z07:00", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Now()
}
