// Package extranet is the client web app (Fiber) on its own listener, with
// its own user realm, sessions, cookie and templates. It mounts no
// back-office route, and every query it makes is scoped to the signed-in
// user's client company.
package extranet

import "embed"

// templateFiles holds templates/: layout.html, partials/ and pages/.
//
//go:embed templates
var templateFiles embed.FS
