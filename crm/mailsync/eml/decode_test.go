package eml

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func newTestParser() *parser {
	return &parser{msg: &Message{}, seen: map[string]bool{}, textLeft: MaxText, htmlLeft: maxHTML}
}

func hasProblem(p *parser, sub string) bool {
	return slices.ContainsFunc(p.msg.Problems, func(s string) bool { return strings.Contains(s, sub) })
}

func TestDecodeWords(t *testing.T) {
	tests := []struct {
		name, in, want, problem string
	}{
		{"plain", "Bonjour", "Bonjour", ""},
		{"Q utf-8", "=?utf-8?q?R=C3=A9ponse_=C3=A0_Marie?=", "Réponse à Marie", ""},
		{"Q latin-1 with cp1252 quote", "=?iso-8859-1?Q?l=92offre?=", "l’offre", ""},
		{"B utf-8", "=?UTF-8?B?w6l0w6k=?=", "été", ""},
		{"B without padding", "=?UTF-8?B?w6l0w6k?=", "été", ""},
		{"adjacent words drop the blank", "=?utf-8?q?a?= \r\n =?utf-8?q?b?=", "ab", ""},
		{"text between words kept", "=?utf-8?q?a?= et =?utf-8?q?b?=", "a et b", ""},
		{"character split across B words", "=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?= =?UTF-8?B?w7?= =?UTF-8?B?qQ==?=", "ééé", ""},
		{"mixed charsets", "=?utf-8?q?caf=C3=A9?= =?iso-8859-15?q?_=A4?=", "café €", ""},
		{"prefix and suffix", "Re: =?utf-8?q?d=C3=A9j=C3=A0?= vu", "Re: déjà vu", ""},
		{"no blank before word", "Re:=?utf-8?q?d=C3=A9j=C3=A0?=", "Re:déjà", ""},
		{"Q word with a space", "=?utf-8?q?deux mots?=", "deux mots", ""},
		{"language suffix", "=?utf-8*fr?q?fran=C3=A7ais?=", "français", ""},
		{"unknown charset, latin bytes", "=?x-unknown-cs?q?r=E9union?=", "réunion", `unknown charset "x-unknown-cs"`},
		{"invalid word kept", "=?utf-8?x?abc?=", "=?utf-8?x?abc?=", ""},
		{"raw utf-8", "Réunion déjà", "Réunion déjà", ""},
		{"raw latin-1", "R\xe9union", "Réunion", "8-bit bytes that are not UTF-8"},
		{"bad utf-8 in word", "=?utf-8?q?r=E9union?=", "réunion", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestParser()
			if got := p.decodeWords(tt.in, "header Subject"); got != tt.want {
				t.Errorf("decodeWords(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.problem != "" && !hasProblem(p, tt.problem) {
				t.Errorf("problems %q lack %q", p.msg.Problems, tt.problem)
			}
			if tt.problem == "" && len(p.msg.Problems) > 0 {
				t.Errorf("unexpected problems %q", p.msg.Problems)
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name, label, in, want, problem string
	}{
		{"utf-8", "utf-8", "été", "été", ""},
		{"no label ascii", "", "hello", "hello", ""},
		{"no label utf-8", "", "été", "été", ""},
		{"no label latin-1", "", "\xe9t\xe9", "été", "without charset"},
		{"utf-8 with BOM", "UTF-8", "\xef\xbb\xbfbonjour", "bonjour", ""},
		{"quoted label", `"ISO-8859-1"`, "\xe9", "é", ""},
		{"latin-1 is read as cp1252", "iso-8859-1", "\x80 \x92\x93\x94 \x9c", "€ ’“” œ", ""},
		{"latin-9 euro", "ISO-8859-15", "\xa4 \xbd", "€ œ", ""},
		{"cp1252", "windows-1252", "\x80\x85", "€…", ""},
		{"latin-1 label on utf-8", "iso-8859-1", "été", "été", "text is UTF-8"},
		{"utf-8 label on mixed bytes", "utf-8", "déjà \xe9t\xe9", "déjà été", "invalid bytes decoded as Windows-1252"},
		{"koi8-r via go-message", "koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет", ""},
		{"shift_jis via go-message", "shift_jis", "\x82\xb1\x82\xf1", "こん", ""},
		{"unknown, valid utf-8", "x-foo", "été", "été", `unknown charset "x-foo", decoded as UTF-8`},
		{"unknown, not utf-8", "x-foo", "\xe9t\xe9", "été", `unknown charset "x-foo", decoded as Windows-1252`},
		{"unknown, ascii only", "x-foo", "hello", "hello", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestParser()
			if got := p.decodeText([]byte(tt.in), tt.label, "body"); got != tt.want {
				t.Errorf("decodeText(%q, %q) = %q, want %q", tt.in, tt.label, got, tt.want)
			}
			if tt.problem != "" && !hasProblem(p, tt.problem) {
				t.Errorf("problems %q lack %q", p.msg.Problems, tt.problem)
			}
			if tt.problem == "" && len(p.msg.Problems) > 0 {
				t.Errorf("unexpected problems %q", p.msg.Problems)
			}
		})
	}
}

func TestParseParams(t *testing.T) {
	tests := []struct {
		name, in, value string
		params          map[string]string
	}{
		{"simple", `text/plain; charset=utf-8`, "text/plain", map[string]string{"charset": "utf-8"}},
		{"case and quotes", `Text/HTML; Charset="ISO-8859-1"`, "text/html", map[string]string{"charset": "ISO-8859-1"}},
		{"quoted semicolon", `attachment; filename="a;b.pdf"`, "attachment", map[string]string{"filename": "a;b.pdf"}},
		{"escaped quote", `attachment; filename="say \"hi\".txt"`, "attachment", map[string]string{"filename": `say "hi".txt`}},
		{"windows path kept", `attachment; filename="C:\docs\devis.pdf"`, "attachment", map[string]string{"filename": `C:\docs\devis.pdf`}},
		{"unquoted with blanks", `attachment; filename=Devis signé.pdf`, "attachment", map[string]string{"filename": "Devis signé.pdf"}},
		{"unclosed quote", `attachment; filename="devis.pdf`, "attachment", map[string]string{"filename": "devis.pdf"}},
		{"duplicate: first wins", `attachment; filename=a.pdf; filename=b.pdf`, "attachment", map[string]string{"filename": "a.pdf"}},
		{"rfc2231 utf-8", `attachment; filename*=UTF-8''%C3%A9t%C3%A9.pdf`, "attachment", map[string]string{"filename": "été.pdf"}},
		{"rfc2231 latin-1 with language", `attachment; filename*=iso-8859-1'fr'%E9t%E9.pdf`, "attachment", map[string]string{"filename": "été.pdf"}},
		{"rfc2231 wins over plain", `attachment; filename="ete.pdf"; filename*=utf-8''%C3%A9t%C3%A9.pdf`, "attachment", map[string]string{"filename": "été.pdf"}},
		{"continuations out of order", `attachment; filename*1="b"; filename*0="a"; filename*2="c.txt"`, "attachment", map[string]string{"filename": "abc.txt"}},
		{"mixed continuations", `attachment; filename*0*=utf-8''%C3%A9; filename*1=" t"; filename*2*=%C3%A9`, "attachment", map[string]string{"filename": "é té"}},
		{"character split across sections", `attachment; filename*0*=utf-8''%C3; filename*1*=%A9`, "attachment", map[string]string{"filename": "é"}},
		{"rfc2231 without charset", `attachment; filename*=''abc.pdf`, "attachment", map[string]string{"filename": "abc.pdf"}},
		{"bad percent kept", `attachment; filename*=utf-8''100%.pdf`, "attachment", map[string]string{"filename": "100%.pdf"}},
		{"boundary with specials", `multipart/mixed; boundary="----=_Part_1_2.3"`, "multipart/mixed", map[string]string{"boundary": "----=_Part_1_2.3"}},
		{"empty", ``, "", map[string]string{}},
		{"only params", `; charset=utf-8`, "", map[string]string{"charset": "utf-8"}},
		{"name without value", `inline; foo; bar=1`, "inline", map[string]string{"bar": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestParser()
			value, params := p.parseParams(tt.in, "header Content-Type")
			if value != tt.value {
				t.Errorf("value = %q, want %q", value, tt.value)
			}
			if len(params) != len(tt.params) {
				t.Errorf("params = %q, want %q", params, tt.params)
			}
			for k, v := range tt.params {
				if params[k] != v {
					t.Errorf("param %s = %q, want %q", k, params[k], v)
				}
			}
		})
	}
}

func TestSanitizeFilename(t *testing.T) {
	tests := []struct{ in, want string }{
		{"devis.pdf", "devis.pdf"},
		{"../../etc/passwd", "_.._etc_passwd"},
		{`C:\Users\marie\devis.pdf`, "C:_Users_marie_devis.pdf"},
		{"rapport\x00\x07.pdf", "rapport.pdf"},
		{"facture\u202egpj.exe", "facturegpj.exe"},
		{"  trop   d'espaces\t.pdf ", "trop d'espaces .pdf"},
		{".htaccess", "htaccess"},
		{"..", ""},
		{"", ""},
		{"bad\xffutf8.txt", "badutf8.txt"},
		{strings.Repeat("é", 150) + ".pdf", strings.Repeat("é", 98) + ".pdf"},
	}
	for _, tt := range tests {
		if got := sanitizeFilename(tt.in); got != tt.want {
			t.Errorf("sanitizeFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// chunkReader hands out data a few bytes at a time, to exercise state kept
// between reads.
type chunkReader struct {
	data string
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.data == "" {
		return 0, io.EOF
	}
	k := min(len(p), c.n, len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

func TestTransferDecoders(t *testing.T) {
	tests := []struct {
		name, cte, in, want, problem string
	}{
		{"base64", "base64", "w6l0w6k=\r\n", "été", ""},
		{"base64 upper-case cte", " BASE64 ", "aGVsbG8=", "hello", ""},
		{"base64 lines", "base64", "aGVs\r\nbG8g\r\nd29y\r\nbGQ=", "hello world", ""},
		{"base64 invalid characters", "base64", "aGV!sbG*8=", "hello", "invalid characters skipped"},
		{"base64 concatenated chunks", "base64", "aGk=aGk=", "hihi", ""},
		{"base64 truncated", "base64", "aGVsbG", "hell", "middle of a group"},
		{"base64 no padding", "base64", "aGVsbG8", "hello", "middle of a group"},
		{"base64 garbage only", "base64", "!!!", "", "invalid characters skipped"},
		{"qp", "quoted-printable", "caf=C3=A9 cr=C3=A8me", "café crème", ""},
		{"qp lower-case hex", "quoted-printable", "caf=c3=a9", "café", ""},
		{"qp soft break", "quoted-printable", "long=\r\nue ligne", "longue ligne", ""},
		{"qp soft break LF", "quoted-printable", "long=\nue", "longue", ""},
		{"qp soft break with padding", "quoted-printable", "long= \t\r\nue", "longue", ""},
		{"qp trailing blanks dropped", "quoted-printable", "fin   \r\nsuite", "fin\r\nsuite", ""},
		{"qp encoded trailing blank kept", "quoted-printable", "fin=20\r\n", "fin \r\n", ""},
		{"qp inner blanks kept", "quoted-printable", "a  b", "a  b", ""},
		{"qp invalid escape kept", "quoted-printable", "a=b et 100=%", "a=b et 100=%", "invalid escape"},
		{"qp half escape", "quoted-printable", "a=Cx", "a=Cx", "invalid escape"},
		{"qp = at end", "quoted-printable", "fin=", "fin", ""},
		{"qp bare CR kept", "quoted-printable", "a\rb", "a\rb", ""},
		{"7bit", "7bit", "as is=41", "as is=41", ""},
		{"binary", "binary", "\x00\x01", "\x00\x01", ""},
		{"unknown", "x-uuencode", "begin 644", "begin 644", "unknown transfer encoding"},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1, 3, 4096} {
			p := newTestParser()
			out, err := io.ReadAll(p.transferDecoder(tt.cte, &chunkReader{data: tt.in, n: chunk}))
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("%s (chunks of %d): got %q, want %q", tt.name, chunk, out, tt.want)
			}
			if tt.problem != "" && !hasProblem(p, tt.problem) {
				t.Errorf("%s: problems %q lack %q", tt.name, p.msg.Problems, tt.problem)
			}
			if tt.problem == "" && len(p.msg.Problems) > 0 {
				t.Errorf("%s: unexpected problems %q", tt.name, p.msg.Problems)
			}
		}
	}
}

func TestAddresses(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Address
		problem  bool
	}{
		{"simple", `Marie Durand <Marie.Durand@ACME-industrie.fr>`, []Address{{"Marie Durand", "marie.durand@acme-industrie.fr"}}, false},
		{"list with quoted comma", `"Martin, Paul" <paul.martin@acme-industrie.fr>, crm@courtier.test`,
			[]Address{{"Martin, Paul", "paul.martin@acme-industrie.fr"}, {"", "crm@courtier.test"}}, false},
		{"encoded name", `=?utf-8?q?H=C3=A9l=C3=A8ne?= <h@x.fr>`, []Address{{"Hélène", "h@x.fr"}}, false},
		{"encoded name in quotes", `"=?utf-8?q?H=C3=A9l=C3=A8ne?=" <h@x.fr>`, []Address{{"Hélène", "h@x.fr"}}, false},
		{"raw utf-8 name", `Hélène Garçon <h@x.fr>`, []Address{{"Hélène Garçon", "h@x.fr"}}, false},
		{"raw latin-1 name", "H\xe9l\xe8ne <h@x.fr>", []Address{{"Hélène", "h@x.fr"}}, true},
		{"group", `Formateurs: a@x.fr, b@x.fr;`, []Address{{"", "a@x.fr"}, {"", "b@x.fr"}}, false},
		{"undisclosed recipients", `undisclosed-recipients:;`, nil, false},
		{"duplicates", `a@x.fr, A@X.FR`, []Address{{"", "a@x.fr"}}, false},
		{"unquoted dot in name", `Marie D. Durand <m@x.fr>`, []Address{{"Marie D. Durand", "m@x.fr"}}, false},
		{"semicolon separated", `a@x.fr; b@x.fr`, []Address{{"", "a@x.fr"}, {"", "b@x.fr"}}, true},
		{"unquoted special in name", `Durand, Marie <m@x.fr>`, []Address{{"Marie", "m@x.fr"}}, true},
		{"no address", `Marie Durand`, nil, true},
		{"empty", ``, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestParser()
			got := p.addresses(header{{"To", tt.in}}, "To")
			if !slices.Equal(got, tt.want) {
				t.Errorf("addresses(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.problem != (len(p.msg.Problems) > 0) {
				t.Errorf("problems = %q, want some: %v", p.msg.Problems, tt.problem)
			}
		})
	}
}

func TestDate(t *testing.T) {
	utc := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Tue, 03 Mar 2026 09:15:00 +0100", utc("2026-03-03T08:15:00Z")},
		{"3 Mar 2026 09:15:00 +0100 (CET)", utc("2026-03-03T08:15:00Z")},
		{"Tue, 3 Mar 2026 09:15 +0100", utc("2026-03-03T08:15:00Z")},
		{"Tue, 03 Mar 2026 09:15:00 CET", utc("2026-03-03T08:15:00Z")},
		{"Tue, 30 Jun 2026 09:15:00 CEST", utc("2026-06-30T07:15:00Z")},
		{"Tue, 03 Mar 2026 09:15:00 GMT", utc("2026-03-03T09:15:00Z")},
		{"2026-03-03T09:15:00+01:00", utc("2026-03-03T08:15:00Z")},
		{"Tue Mar  3 09:15:00 2026", utc("2026-03-03T09:15:00Z")},
		{"demain", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		p := newTestParser()
		got := p.date(header{{"Date", tt.in}})
		if !got.Equal(tt.want) {
			t.Errorf("date(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if tt.want.IsZero() != (len(p.msg.Problems) > 0) {
			t.Errorf("date(%q): problems %q", tt.in, p.msg.Problems)
		}
	}
}
