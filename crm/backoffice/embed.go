// Package backoffice is the staff web app (Fiber): its pages and the /api/v1
// JSON API. Handlers parse the request, call one service method and render;
// they never write SQL.
package backoffice

import "embed"

// templateFiles holds templates/: layout.html, partials/ and pages/.
//
//go:embed templates
var templateFiles embed.FS
