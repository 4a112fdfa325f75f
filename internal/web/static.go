package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

//go:embed static
var static embed.FS

// versions maps each static file to a short hash of its content, so that
// URLs change when files do and browsers may cache them for a year.
var versions = func() map[string]string {
	out := map[string]string{}
	fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := static.ReadFile(p)
			sum := sha256.Sum256(b)
			out[p[len("static/"):]] = hex.EncodeToString(sum[:4])
		}
		return nil
	})
	return out
}()

// assetURL returns the versioned URL of a static file, e.g. /static/style.css?v=1a2b3c4d.
func assetURL(name string) string {
	return "/static/" + name + "?v=" + versions[name]
}

func serveStatic(c *fiber.Ctx) error {
	name := c.Params("*")
	v, ok := versions[name]
	if !ok {
		return fiber.ErrNotFound
	}
	b, err := static.ReadFile("static/" + name)
	if err != nil {
		return fiber.ErrNotFound
	}
	if c.Query("v") == v {
		c.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Set("Cache-Control", "public, max-age=300")
	}
	c.Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	return c.Send(b)
}
