// Package browsertest drives the client extranet in a real headless
// Chromium (chromedp): people log in, type into the forms and click the
// buttons, while the staff side moves the requests through the crm
// services. It holds tests only; see browser_test.go. Chromium comes from
// Debian (apt-get install chromium); without it the tests skip, except in
// CI (CI=true), where they fail.
package browsertest
