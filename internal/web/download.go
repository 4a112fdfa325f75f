package web

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"strconv"
	"strings"
	"unicode"

	"github.com/courtier-crm/courtier/internal/i18n"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"
)

// Download is a stored file to send to the browser.
type Download struct {
	Name string // file name offered to save as
	Type string // MIME type, as stored
	Size int64  // bytes recorded for the content
	// Body is read once and closed by SendDownload. It may fail at its end
	// (a content that no longer matches its hash).
	Body io.ReadCloser
	// Inline asks to show the file in the browser; honoured for InlineSafe types only.
	Inline bool
}

// inlineTypes are the types a browser may render in place: they run no
// script in the app's origin. HTML, SVG, XML and the rest are downloads.
var inlineTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// InlineSafe reports whether a MIME type may be shown inline (PDF, raster images).
func InlineSafe(mimeType string) bool {
	t, _, err := mime.ParseMediaType(mimeType)
	return err == nil && inlineTypes[t]
}

// bufferedDownload is the size up to which a content is read whole before
// anything is sent, so that a damaged one is a clean error page; larger ones
// are streamed (the reader cannot seek) and cut short when damaged.
const bufferedDownload = 1 << 20

// SendDownload sends a stored file with the headers of a download: its MIME
// type, Content-Length, Content-Disposition (attachment unless Inline for a
// safe type) with an ASCII and a UTF-8 file name, nosniff, no caching, and a
// CSP that lets nothing run. A content that fails while being read is a 500
// when small, and otherwise a response cut short (never complete), logged.
func SendDownload(c *fiber.Ctx, d Download, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	disposition := "attachment"
	if d.Inline && InlineSafe(d.Type) {
		disposition = "inline"
	}
	typ := d.Type
	if typ == "" {
		typ = "application/octet-stream"
	}
	if d.Size <= bufferedDownload {
		data, err := io.ReadAll(io.LimitReader(d.Body, d.Size+1))
		d.Body.Close()
		if err == nil && int64(len(data)) != d.Size {
			err = fmt.Errorf("web: download %q: %d bytes read, %d recorded", d.Name, len(data), d.Size)
		}
		if err != nil {
			return err
		}
		downloadHeaders(c, typ, disposition, d.Name)
		return c.Send(data)
	}
	downloadHeaders(c, typ, disposition, d.Name)
	reqID, _ := c.Locals("requestid").(string)
	path := LoggedPath(c)
	c.Response().SetBodyStream(&guardedBody{r: d.Body, size: d.Size, fail: func(err error) {
		log.Error("download cut short", "request_id", reqID, "path", path, "file", d.Name, "err", err)
	}}, int(d.Size))
	return nil
}

func downloadHeaders(c *fiber.Ctx, typ, disposition, name string) {
	c.Set(fiber.HeaderContentType, typ)
	c.Set(fiber.HeaderContentDisposition, ContentDisposition(disposition, name))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	// A file shown inline runs nothing and embeds nothing but itself.
	c.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
}

// ContentDisposition writes the header for a file name (RFC 6266): a
// quoted ASCII fallback (accents dropped, other characters as "_") for old
// clients and the exact name as filename* in UTF-8 (RFC 8187).
func ContentDisposition(disposition, name string) string {
	return disposition + `; filename="` + asciiFileName(name) + `"; filename*=UTF-8''` + encodeRFC8187(name)
}

// asciiFileName keeps the printable ASCII of a name, letters without their
// accents, and makes the rest "_"; quotes, backslashes and percent signs
// (which some browsers decode) too.
func asciiFileName(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent: the letter before it stays
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == '/':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	if strings.Trim(b.String(), "_. ") == "" {
		return "document"
	}
	return b.String()
}

// encodeRFC8187 percent-encodes the UTF-8 bytes of s outside attr-char.
func encodeRFC8187(s string) string {
	const attrChar = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(attrChar, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// guardedBody streams a content of a known size and never lets it end
// complete unless it was read whole without error: the last expected byte
// is held back until the source ends cleanly at exactly that size. A damaged
// content thus leaves the client a response shorter than its Content-Length,
// which browsers and HTTP clients report as failed, instead of a silent success.
type guardedBody struct {
	r       io.ReadCloser
	size    int64 // bytes recorded
	read    int64 // bytes read from r
	sent    int64 // bytes handed on
	pending []byte
	buf     []byte
	done    bool // r ended cleanly with size bytes
	err     error
	fail    func(error)
}

func (g *guardedBody) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if g.err != nil {
			return 0, g.err
		}
		if n := g.release(); n > 0 {
			n = copy(p, g.pending[:n])
			g.pending = g.pending[n:]
			g.sent += int64(n)
			return n, nil
		}
		if g.done {
			return 0, io.EOF
		}
		if g.buf == nil {
			g.buf = make([]byte, 32<<10+1)
		}
		k := copy(g.buf, g.pending) // at most the one byte held back
		n, err := g.r.Read(g.buf[k:])
		g.pending = g.buf[:k+n]
		g.read += int64(n)
		switch {
		case err == io.EOF && g.read == g.size:
			g.done = true
		case err == io.EOF:
			g.err = fmt.Errorf("web: download: %d bytes stored, %d recorded", g.read, g.size)
		case err != nil:
			g.err = err
		case g.read > g.size:
			g.err = fmt.Errorf("web: download: more than the %d bytes recorded", g.size)
		}
		if g.err != nil {
			if g.fail != nil {
				g.fail(g.err)
			}
			return 0, g.err
		}
	}
}

// release is how many pending bytes may be handed on: all once the source
// ended cleanly, else all but the last byte expected.
func (g *guardedBody) release() int {
	if g.done {
		return len(g.pending)
	}
	return int(max(0, min(int64(len(g.pending)), g.size-1-g.sent)))
}

func (g *guardedBody) Close() error { return g.r.Close() }

// FileSize writes a size for people, in units of 1024 as upload limits are
// set: "830 o", "12 Ko", "1,5 Mo" in French; "830 B", "12 KB", "1.5 MB" in English.
func FileSize(lang string, n int64) string {
	unit, v := "b", float64(n)
	for _, u := range []string{"kb", "mb", "gb"} {
		if v < 1024 {
			break
		}
		unit, v = u, v/1024
	}
	prec := 1
	if unit == "b" || unit == "kb" || v >= 100 {
		prec = 0
	}
	v = math.Round(v*math.Pow10(prec)) / math.Pow10(prec)
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i18n.Normalize(lang) == i18n.FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return i18n.T(lang, "documents.size."+unit, s)
}
