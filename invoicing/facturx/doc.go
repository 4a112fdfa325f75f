// Package facturx writes Factur-X EN 16931 invoices: the CII XML
// (factur-x.xml, BT-24 urn:cen.eu:en16931:2017) and the PDF/A-3B file that
// carries it. Callers fill plain structs (Invoice, Party, Line...) from the
// frozen snapshot of an issued invoice; the package imports no domain code.
//
// Flow: Check(inv) → XML(inv) → CheckXML(xml) → Embed(pdf, xml, opts).
// XML does not call Check, so a caller sees every violation at once; the
// bytes of XML depend only on the Invoice (amounts in cents written with two
// decimals, quantities in thousandths, dates in CII format 102).
//
// Checks. Check applies our own reading of the EN 16931 rules that matter
// for the broker (totals BR-CO-10..16, one VAT breakdown row per category and
// rate whose base is the sum of its lines and whose VAT is round(base × rate)
// half away from zero, category rules BR-x-02/05/08/09/10) and of the French
// CTC rules (BR-FR-01/02 number, 04 type, 05/06 PMT PMD AAB notes, 08 BT-23,
// 09/10 SIREN and SIRET, 11..13 buyer SIREN and electronic addresses when the
// BAR note is B2B, 15/16 categories and rates, CO-05 credit-note reference,
// CO-07 due date). Each violation is a *RuleError naming its rule. CheckXML
// reads the XML back and runs the same checks on what the file says. Neither
// runs the official schematrons (EN 16931 CII, BR-FR-Flux2): that needs an
// XSLT 2 engine (Saxon) we do not ship; the PA runs them on reception. The
// tests validate against the Factur-X 1.09 XSD with xmllint. Document-level
// allowances and charges are not modelled: line discounts only, so BR-CO-13
// is TaxBasis = LineTotal.
//
// VAT categories. Exempt training is E + VATEX-FR-CGI261-4 with the printed
// mention as BT-120 (both are sent: French checks want both); EU reverse
// charge is AE + VATEX-EU-AE and needs both VAT numbers (BR-AE-02); non-EU
// business clients are G + VATEX-EU-G, as common tools emit, which keeps the
// seller VAT number. O (outside scope) forbids any VAT number on the invoice
// (BR-O-02) and any other category (BR-O-11), and carries no rate: it fits
// the untaxed DOM clients (Guyane, Mayotte, art. 294 CGI) only if the
// accountant accepts an invoice without our VAT number; the choice is the
// caller's, Check enforces whichever rules follow from it.
//
// PDF/A-3. gofpdf renders the page (embedded TrueType fonts only, no link
// annotations: Embed refuses both, because PDF/A forbids non-embedded fonts
// and non-printable annotations and neither can be fixed afterwards). Embed
// then uses pdfcpu to add what gofpdf lacks: the embedded file with its MIME
// type and /Params /ModDate, a file spec with /F, /UF and /AFRelationship
// listed in the EmbeddedFiles name tree and in the Catalog /AF, an
// OutputIntent GTS_PDFA1 with the sRGB profile of icc-profiles-free (gofpdf
// paints in DeviceRGB), and an uncompressed XMP stream with pdfaid part 3 /
// conformance B, the fx: Factur-X properties and the pdfaExtension block that
// declares them. pdfcpu's writer adds the binary header comment and the
// trailer /ID.
//
// AFRelationship defaults to Alternative, the value Factur-X 1.0.05+ gives
// for the EN 16931 profile; some older readers expect Data, so
// Options.Relationship can say Data (or Source).
//
// Dates. pdfcpu overwrites the Info /Producer, /CreationDate and /ModDate
// with its own name and the write time, whatever the input says. PDF/A-3
// does not require Info and XMP to agree (that rule is PDF/A-1's), but some
// Factur-X checkers still warn, so the XMP is written with fixed-width date
// placeholders and its Producer set to pdfcpu's, and after the write the
// placeholders are replaced in place by the Info dates pdfcpu chose (same
// length, uncompressed stream, so the xref stays valid). Options.Created
// dates the embedded XML. Two runs therefore differ in their dates and /ID:
// store the bytes once (content-addressed) and re-serve them, never re-render.
//
// Not verified here: a full PDF/A validator (veraPDF) run; the tests check the
// structure with qpdf and poppler instead.
package facturx
