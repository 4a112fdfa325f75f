// Package backoffice is the staff web app (Fiber): its pages and the /api/v1
// JSON API. Handlers parse the request, call one service method and render;
// they never write SQL.
package backoffice

import (
	"embed"
	"io/fs"
)

//go:embed templates
var templateFiles embed.FS

func templates() fs.FS {
	sub, _ := fs.Sub(templateFiles, "templates")
	return sub
}
