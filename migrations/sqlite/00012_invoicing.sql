-- Invoicing (DOMAIN.md §3–8). Issued invoices and credit notes are legal
-- documents: issuing freezes them (lines with their tax decisions, parties,
-- mention texts: the snapshot) and takes their number from a per-series
-- counter in the same transaction. After that the database itself refuses
-- any change or deletion, whatever the code does.

-- The broker's VAT set-up, dated: the version in force on an invoice's date
-- decides it (an attestation granted or revoked, a change of number format).
-- The legal identity (name, SIRET, RCS, VAT number, NDA) is broker_profile.
CREATE TABLE seller_profiles (
    id INTEGER PRIMARY KEY,
    valid_from DATE NOT NULL UNIQUE,
    vat_scheme TEXT NOT NULL DEFAULT 'NORMAL' CHECK (vat_scheme IN ('NORMAL', 'FRANCHISE_293B')),
    -- The 261-4-4° a attestation (form 3511-SD): training is exempt while it holds.
    attestation_granted BOOLEAN NOT NULL DEFAULT FALSE,
    attestation_from DATE,
    attestation_revoked_on DATE,
    attestation_ref TEXT NOT NULL DEFAULT '',
    vat_on_debits BOOLEAN NOT NULL DEFAULT FALSE,
    share_capital_cents BIGINT NOT NULL DEFAULT 0 CHECK (share_capital_cents >= 0),
    iban TEXT NOT NULL DEFAULT '',
    bic TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '',
    payment_terms_days INTEGER NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 60),
    invoice_format TEXT NOT NULL,
    credit_format TEXT NOT NULL,
    -- JSON object of accounts that differ from the PCG defaults (invoicing/tax).
    accounts TEXT NOT NULL DEFAULT '{}',
    created_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);

-- What the regime of a client is derived from, beyond clients.country,
-- vat_number and public_body: whether it is a private individual, and the
-- last check of its VAT number (VIES or confirmed by hand). A regime forced
-- on clients.tax_regime keeps its reason here.
CREATE TABLE client_tax (
    client_id INTEGER PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    individual BOOLEAN NOT NULL DEFAULT FALSE,
    override_reason TEXT NOT NULL DEFAULT '',
    vat_checked_number TEXT NOT NULL DEFAULT '',
    vat_valid BOOLEAN NOT NULL DEFAULT FALSE,
    vat_check_source TEXT NOT NULL DEFAULT '' CHECK (vat_check_source IN ('', 'vies', 'manual')),
    vat_check_reference TEXT NOT NULL DEFAULT '',
    vat_check_name TEXT NOT NULL DEFAULT '',
    vat_checked_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

-- One counter per series and year ("invoice", "credit_note"): numbers are
-- taken by UPDATE … RETURNING inside the issuing transaction, which locks
-- the row until commit, so a rolled-back issue leaves no hole.
CREATE TABLE invoice_series (
    series TEXT NOT NULL CHECK (series IN ('invoice', 'credit_note')),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    last_number BIGINT NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    PRIMARY KEY (series, year)
);

-- The OPCO share of a booking (subrogation de paiement, DOMAIN.md §7): the
-- OPCO is invoiced its agreed share, the client the remainder.
CREATE TABLE payer_plans (
    booking_id INTEGER PRIMARY KEY REFERENCES bookings (id),
    opco_name TEXT NOT NULL,
    opco_siren TEXT NOT NULL DEFAULT '',
    opco_address TEXT NOT NULL DEFAULT '',
    opco_postal_code TEXT NOT NULL DEFAULT '',
    opco_city TEXT NOT NULL DEFAULT '',
    opco_email TEXT NOT NULL DEFAULT '',
    file_number TEXT NOT NULL,
    agreed_cents BIGINT NOT NULL CHECK (agreed_cents > 0),
    agreed_basis TEXT NOT NULL DEFAULT 'HT' CHECK (agreed_basis IN ('HT', 'TTC')),
    hours_milli BIGINT NOT NULL DEFAULT 0 CHECK (hours_milli >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Invoices and credit notes. A draft has no number and may be edited or
-- deleted; issued, everything a reader needs is in snapshot (JSON) and the
-- stored PDF (pdf_document_id, immutable in the document store).
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    purpose TEXT NOT NULL DEFAULT 'standard' CHECK (purpose IN ('standard', 'deposit', 'final')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
    -- Who is invoiced: the client, or the OPCO paying for it (payer_plans).
    payer TEXT NOT NULL DEFAULT 'client' CHECK (payer IN ('client', 'opco')),
    series TEXT,
    year INTEGER,
    seq BIGINT,
    number TEXT UNIQUE,
    corrects_id INTEGER REFERENCES invoices (id),
    booking_id INTEGER REFERENCES bookings (id),
    proposal_id INTEGER REFERENCES proposals (id),
    lang TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
    currency TEXT NOT NULL DEFAULT 'EUR',
    regime TEXT NOT NULL DEFAULT '',
    issue_date DATE,
    due_date DATE,
    service_start DATE,
    service_end DATE,
    purchase_order TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    net_cents BIGINT NOT NULL DEFAULT 0,
    vat_cents BIGINT NOT NULL DEFAULT 0,
    out_of_base_cents BIGINT NOT NULL DEFAULT 0,
    gross_cents BIGINT NOT NULL DEFAULT 0,
    prepaid_cents BIGINT NOT NULL DEFAULT 0,
    due_cents BIGINT NOT NULL DEFAULT 0,
    snapshot TEXT NOT NULL DEFAULT '',
    pdf_document_id INTEGER REFERENCES documents (id),
    pdf_sha256 TEXT NOT NULL DEFAULT '',
    facturx BOOLEAN NOT NULL DEFAULT FALSE,
    xml_sha256 TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES staff_users (id),
    issued_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    issued_at TIMESTAMP,
    UNIQUE (series, year, seq),
    CHECK ((status = 'draft') = (number IS NULL)),
    CHECK (status = 'draft' OR (series IS NOT NULL AND seq IS NOT NULL AND issue_date IS NOT NULL AND due_date IS NOT NULL)),
    CHECK (kind = 'credit_note' OR corrects_id IS NULL)
);
CREATE INDEX invoices_client_idx ON invoices (client_id, issue_date);
CREATE INDEX invoices_booking_idx ON invoices (booking_id);
CREATE INDEX invoices_corrects_idx ON invoices (corrects_id);
CREATE INDEX invoices_issue_date_idx ON invoices (issue_date) WHERE status = 'issued';

-- A line and, once issued, its frozen tax decision (invoicing/tax).
CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    service_kind TEXT NOT NULL,
    event_country TEXT NOT NULL DEFAULT '',
    quantity_milli BIGINT NOT NULL CHECK (quantity_milli > 0),
    unit TEXT NOT NULL DEFAULT 'unit',
    unit_price_cents BIGINT NOT NULL CHECK (unit_price_cents >= 0),
    discount_cents BIGINT NOT NULL DEFAULT 0 CHECK (discount_cents >= 0),
    net_cents BIGINT NOT NULL,
    booking_id INTEGER REFERENCES bookings (id),
    tax_rule TEXT NOT NULL DEFAULT '',
    rate_bp BIGINT NOT NULL DEFAULT 0,
    vat_category TEXT NOT NULL DEFAULT '',
    vatex TEXT NOT NULL DEFAULT '',
    mention_key TEXT NOT NULL DEFAULT '',
    revenue_account TEXT NOT NULL DEFAULT '',
    vat_account TEXT NOT NULL DEFAULT '',
    out_of_base BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (invoice_id, position)
);

-- Deposit invoices a final invoice deducts.
CREATE TABLE invoice_deposits (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    deposit_id INTEGER NOT NULL REFERENCES invoices (id),
    PRIMARY KEY (invoice_id, deposit_id)
);

-- SQLite has no trigger functions: one trigger per table and operation.
CREATE TRIGGER invoices_frozen_update BEFORE UPDATE ON invoices
    WHEN OLD.status = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice can be neither changed nor deleted');
END;
CREATE TRIGGER invoices_frozen_delete BEFORE DELETE ON invoices
    WHEN OLD.status = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice can be neither changed nor deleted');
END;
CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines
    WHEN EXISTS (SELECT 1 FROM invoices WHERE id = NEW.invoice_id AND status = 'issued')
BEGIN
    SELECT RAISE(ABORT, 'invoice_lines of an issued invoice cannot change');
END;
CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines
    WHEN EXISTS (SELECT 1 FROM invoices WHERE id IN (OLD.invoice_id, NEW.invoice_id) AND status = 'issued')
BEGIN
    SELECT RAISE(ABORT, 'invoice_lines of an issued invoice cannot change');
END;
CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines
    WHEN EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND status = 'issued')
BEGIN
    SELECT RAISE(ABORT, 'invoice_lines of an issued invoice cannot change');
END;
CREATE TRIGGER invoice_deposits_frozen_insert BEFORE INSERT ON invoice_deposits
    WHEN EXISTS (SELECT 1 FROM invoices WHERE id = NEW.invoice_id AND status = 'issued')
BEGIN
    SELECT RAISE(ABORT, 'invoice_deposits of an issued invoice cannot change');
END;
CREATE TRIGGER invoice_deposits_frozen_update BEFORE UPDATE ON invoice_deposits
    WHEN EXISTS (SELECT 1 FROM invoices WHERE id IN (OLD.invoice_id, NEW.invoice_id) AND status = 'issued')
BEGIN
    SELECT RAISE(ABORT, 'invoice_deposits of an issued invoice cannot change');
END;
CREATE TRIGGER invoice_deposits_frozen_delete BEFORE DELETE ON invoice_deposits
    WHEN EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND status = 'issued')
BEGIN
    SELECT RAISE(ABORT, 'invoice_deposits of an issued invoice cannot change');
END;

-- Payments received against an issued invoice (a bank transfer from the
-- client or the OPCO). Status (paid, partly paid, overdue) is computed.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    received_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    method TEXT NOT NULL DEFAULT 'transfer' CHECK (method IN ('transfer', 'cheque', 'card', 'direct_debit', 'other')),
    reference TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);
CREATE INDEX payments_received_idx ON payments (received_on);

-- Each time an invoice or a reminder was e-mailed (also on the timeline).
CREATE TABLE invoice_mailings (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'reminder')),
    sent_to TEXT NOT NULL,
    sent_by INTEGER REFERENCES staff_users (id),
    sent_at TIMESTAMP NOT NULL
);
CREATE INDEX invoice_mailings_invoice_idx ON invoice_mailings (invoice_id, sent_at);

-- The provider's invoice to the broker for a booking (the purchase side):
-- with the sales invoices it gives the margin per booking and per client.
CREATE TABLE supplier_invoices (
    id INTEGER PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    number TEXT NOT NULL,
    issue_date DATE NOT NULL,
    due_date DATE,
    net_cents BIGINT NOT NULL CHECK (net_cents >= 0),
    vat_cents BIGINT NOT NULL CHECK (vat_cents >= 0),
    gross_cents BIGINT NOT NULL,
    document_id INTEGER REFERENCES documents (id),
    created_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, number),
    CHECK (gross_cents = net_cents + vat_cents)
);
CREATE INDEX supplier_invoices_booking_idx ON supplier_invoices (booking_id);
