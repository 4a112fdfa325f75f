-- CRM core and history: client identity and invoicing fields, establishments,
-- departments, contacts (of clients and providers) with their e-mails and
-- phones, employees, the minimal provider table (the provider issue extends
-- it), the append-only timeline with its links and full-text index, tasks,
-- calls, mailboxes and ingested e-mail, and the job locks of background work.

ALTER TABLE clients ADD COLUMN siren TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN country TEXT NOT NULL DEFAULT 'FR';
ALTER TABLE clients ADD COLUMN vat_number TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN public_body BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN chorus_service_code TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN chorus_engagement_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN status TEXT NOT NULL DEFAULT 'prospect' CHECK (status IN ('prospect', 'active', 'former'));
ALTER TABLE clients ADD COLUMN account_manager_id INTEGER REFERENCES staff_users (id);
ALTER TABLE clients ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN billing_email TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN payment_terms_days INTEGER;
ALTER TABLE clients ADD COLUMN tax_regime TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
CREATE INDEX clients_search_name_idx ON clients (search_name);
CREATE INDEX clients_siren_idx ON clients (siren);

CREATE TABLE client_establishments (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    siret TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    address_line1 TEXT NOT NULL DEFAULT '',
    address_line2 TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    commune_code TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT 'FR',
    head_office BOOLEAN NOT NULL DEFAULT FALSE,
    billing BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX client_establishments_client_idx ON client_establishments (client_id);
CREATE UNIQUE INDEX client_establishments_siret_idx ON client_establishments (siret) WHERE siret <> '';

CREATE TABLE client_departments (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    UNIQUE (client_id, name_key)
);

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A contact belongs to exactly one client or one provider.
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    client_id INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    provider_id INTEGER REFERENCES providers (id) ON DELETE CASCADE,
    civility TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'other',
    job_title TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES client_departments (id) ON DELETE SET NULL,
    language TEXT NOT NULL DEFAULT 'fr',
    notes TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    search_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((client_id IS NULL) <> (provider_id IS NULL))
);
CREATE INDEX contacts_client_idx ON contacts (client_id);
CREATE INDEX contacts_provider_idx ON contacts (provider_id);

CREATE TABLE contact_emails (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, email)
);
CREATE INDEX contact_emails_email_idx ON contact_emails (email);

CREATE TABLE contact_phones (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, number)
);
CREATE INDEX contact_phones_number_idx ON contact_phones (number);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES client_departments (id) ON DELETE SET NULL,
    establishment_id INTEGER REFERENCES client_establishments (id) ON DELETE SET NULL,
    birth_date DATE,
    hire_date DATE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    search_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (client_id, external_id)
);

-- The timeline: one append-only table of typed entries, linked to any number
-- of records. search_text holds the entry's words normalised in Go (folded,
-- lower-cased, lightly stemmed) so that both databases match the same terms.
CREATE TABLE timeline_entries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('note', 'call', 'meeting', 'email_in', 'email_out', 'task', 'status_change', 'document')),
    occurred_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    author_id INTEGER REFERENCES staff_users (id),
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{}',
    search_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX timeline_entries_occurred_idx ON timeline_entries (occurred_at);
CREATE TRIGGER timeline_entries_no_update BEFORE UPDATE ON timeline_entries
BEGIN
    SELECT RAISE(ABORT, 'timeline_entries is append-only');
END;
CREATE TRIGGER timeline_entries_no_delete BEFORE DELETE ON timeline_entries
BEGIN
    SELECT RAISE(ABORT, 'timeline_entries is append-only');
END;

CREATE VIRTUAL TABLE timeline_fts USING fts5 (
    search_text, content = 'timeline_entries', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER timeline_entries_fts AFTER INSERT ON timeline_entries
BEGIN
    INSERT INTO timeline_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE timeline_links (
    entry_id INTEGER NOT NULL REFERENCES timeline_entries (id),
    record_type TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    PRIMARY KEY (entry_id, record_type, record_id)
);
CREATE INDEX timeline_links_record_idx ON timeline_links (record_type, record_id, entry_id);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL UNIQUE REFERENCES timeline_entries (id),
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    due_on DATE,
    assignee_id INTEGER REFERENCES staff_users (id),
    created_by INTEGER REFERENCES staff_users (id),
    done_at TIMESTAMP,
    done_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, done_at, due_on);

CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL UNIQUE REFERENCES timeline_entries (id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    number TEXT NOT NULL DEFAULT '',
    contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    started_at TIMESTAMP NOT NULL,
    duration_s INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'no_answer', 'busy', 'voicemail', 'failed')),
    source TEXT NOT NULL DEFAULT 'manual',
    external_id TEXT,
    triage TEXT NOT NULL DEFAULT 'none' CHECK (triage IN ('none', 'pending', 'dismissed')),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX calls_external_idx ON calls (source, external_id);
CREATE INDEX calls_triage_idx ON calls (triage);

CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    security TEXT NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username TEXT NOT NULL,
    password_sealed TEXT NOT NULL,
    folders TEXT NOT NULL DEFAULT 'INBOX',
    address TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    last_sync_at TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (host, port, username)
);

CREATE TABLE mailbox_folders (
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    uid_validity BIGINT NOT NULL DEFAULT 0,
    last_uid BIGINT NOT NULL DEFAULT 0,
    last_sync_at TIMESTAMP,
    PRIMARY KEY (mailbox_id, name)
);

-- One row per distinct message (by message_key); where it was found is in
-- mail_locations, so a message in two folders is stored once, linked twice.
CREATE TABLE mail_messages (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL UNIQUE REFERENCES timeline_entries (id),
    message_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    subject TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMP,
    in_reply_to TEXT NOT NULL DEFAULT '',
    ref_ids TEXT NOT NULL DEFAULT '',
    parent_id INTEGER REFERENCES mail_messages (id),
    thread_id INTEGER,
    html TEXT NOT NULL DEFAULT '',
    raw_sha256 TEXT NOT NULL DEFAULT '',
    raw_size BIGINT NOT NULL DEFAULT 0,
    problems TEXT NOT NULL DEFAULT '',
    broken BOOLEAN NOT NULL DEFAULT FALSE,
    triage TEXT NOT NULL DEFAULT 'none' CHECK (triage IN ('none', 'pending', 'dismissed')),
    reply_token TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mail_messages_reply_token_idx ON mail_messages (reply_token) WHERE reply_token <> '';
CREATE INDEX mail_messages_message_id_idx ON mail_messages (message_id);
CREATE INDEX mail_messages_triage_idx ON mail_messages (triage);
CREATE INDEX mail_messages_thread_idx ON mail_messages (thread_id);

CREATE TABLE mail_participants (
    message_id INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('from', 'to', 'cc', 'reply_to')),
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (message_id, role, email)
);
CREATE INDEX mail_participants_email_idx ON mail_participants (email);

CREATE TABLE mail_attachments (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    inline BOOLEAN NOT NULL DEFAULT FALSE,
    content_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_attachments_message_idx ON mail_attachments (message_id);

CREATE TABLE mail_locations (
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder TEXT NOT NULL,
    uid_validity BIGINT NOT NULL,
    uid BIGINT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    PRIMARY KEY (mailbox_id, folder, uid_validity, uid)
);
CREATE INDEX mail_locations_message_idx ON mail_locations (message_id);

-- Background jobs take a lease here so that one server process runs each.
CREATE TABLE job_locks (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
