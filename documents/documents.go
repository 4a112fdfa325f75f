// Package documents will own the document store (GED): metadata, versions,
// links to records, sharing with clients, and the content-addressed blob
// store behind a BlobStore interface. It is built by the documents issue;
// this file fixes its place in the layout and its import rules (internal/db only).
package documents
