package web

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestContentDisposition(t *testing.T) {
	cases := map[string]string{
		"devis.pdf":               `attachment; filename="devis.pdf"; filename*=UTF-8''devis.pdf`,
		"Convention été 2026.pdf": `attachment; filename="Convention ete 2026.pdf"; filename*=UTF-8''Convention%20%C3%A9t%C3%A9%202026.pdf`,
		`a"b\c%d.txt`:             `attachment; filename="a_b_c_d.txt"; filename*=UTF-8''a%22b%5Cc%25d.txt`,
		"日本.txt":                  `attachment; filename="__.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`,
		"报告":                      `attachment; filename="document"; filename*=UTF-8''%E6%8A%A5%E5%91%8A`,
		"line\r\nX-Evil: 1.txt":   `attachment; filename="line__X-Evil: 1.txt"; filename*=UTF-8''line%0D%0AX-Evil%3A%201.txt`,
		"Œuvre.docx":              `attachment; filename="_uvre.docx"; filename*=UTF-8''%C5%92uvre.docx`,
	}
	for name, want := range cases {
		if got := ContentDisposition("attachment", name); got != want {
			t.Errorf("ContentDisposition(%q)\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestInlineSafe(t *testing.T) {
	for typ, want := range map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "image/webp": true,
		"image/gif": true, "text/html; charset=utf-8": false, "image/svg+xml": false, "text/plain": false, "application/xhtml+xml": false,
		"": false, "application/octet-stream": false} {
		if got := InlineSafe(typ); got != want {
			t.Errorf("InlineSafe(%q) = %v, want %v", typ, got, want)
		}
	}
}

// failingAtEnd reads its content, then fails instead of ending: what a
// blob whose hash no longer matches does.
type failingAtEnd struct{ r io.Reader }

func (f failingAtEnd) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("content damaged")
	}
	return n, err
}

// TestGuardedBodyNeverCompletesADamagedContent: whatever the reads' sizes,
// a sound content passes whole, and a damaged one never reaches its
// recorded size.
func TestGuardedBodyNeverCompletesADamagedContent(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789"), 10_000)
	for _, size := range []int{1, 2, 1000, len(content)} {
		data := content[:size]
		var out bytes.Buffer
		n, err := io.CopyBuffer(&out, &guardedBody{r: io.NopCloser(bytes.NewReader(data)), size: int64(size)}, make([]byte, 7))
		if err != nil || n != int64(size) || !bytes.Equal(out.Bytes(), data) {
			t.Errorf("sound %d bytes: %d %v", size, n, err)
		}
		failed := 0
		out.Reset()
		n, err = io.Copy(&out, &guardedBody{r: io.NopCloser(failingAtEnd{bytes.NewReader(data)}), size: int64(size), fail: func(error) { failed++ }})
		if err == nil || n >= int64(size) || failed != 1 {
			t.Errorf("damaged %d bytes: %d bytes passed, err %v, failures reported %d", size, n, err, failed)
		}
		// Longer or shorter than recorded: refused too.
		for _, recorded := range []int{size - 1, size + 1} {
			if recorded == 0 {
				continue
			}
			n, err = io.Copy(io.Discard, &guardedBody{r: io.NopCloser(bytes.NewReader(data)), size: int64(recorded)})
			if err == nil || n >= int64(recorded) {
				t.Errorf("%d bytes recorded as %d: %d passed, err %v", size, recorded, n, err)
			}
		}
	}
}

// TestSendDownload serves a small and a large file, sound and damaged,
// through a Fiber app.
func TestSendDownload(t *testing.T) {
	small, large := []byte("%PDF-1.4 small"), bytes.Repeat([]byte("x"), bufferedDownload+10)
	damaged := false
	app := fiber.New()
	app.Get("/:name", func(c *fiber.Ctx) error {
		data := small
		if strings.HasPrefix(c.Params("name"), "large") {
			data = large
		}
		var r io.Reader = bytes.NewReader(data)
		if strings.HasSuffix(c.Params("name"), "damaged") {
			r = failingAtEnd{r}
		}
		return SendDownload(c, Download{Name: "Relevé.pdf", Type: "application/pdf", Size: int64(len(data)), Body: io.NopCloser(r),
			Inline: c.Query("inline") == "1"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
	res, err := app.Test(httptest.NewRequest("GET", "/small?inline=1", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !bytes.Equal(body, small) || res.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline; ") || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		res.Header.Get("Content-Length") != "14" {
		t.Errorf("small: %d %v %q", res.StatusCode, res.Header, body)
	}
	res, _ = app.Test(httptest.NewRequest("GET", "/small-damaged", nil), -1)
	if res.StatusCode != 500 {
		t.Errorf("small damaged: %d, want 500", res.StatusCode)
	}
	res, _ = app.Test(httptest.NewRequest("GET", "/large", nil), -1)
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != 200 || len(body) != len(large) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; ") {
		t.Errorf("large: %d, %d bytes", res.StatusCode, len(body))
	}
	res, err = app.Test(httptest.NewRequest("GET", "/large-damaged", nil), -1)
	if err == nil {
		body, err = io.ReadAll(res.Body)
		damaged = err != nil || len(body) < len(large)
	} else {
		damaged = true
	}
	if !damaged {
		t.Error("large damaged: the whole content was served as a success")
	}
}
