// Package crm owns the broker's CRM records and their rules: client
// companies (here), and with the next issues their contacts and employees,
// providers and courses, requests, consultations, proposals, bookings, plans,
// budgets and the timeline of every exchange. It knows nothing of HTTP.
package crm
