-- The document store (GED): documents with their chain of versions, tags,
-- links to any record, sharing with the owner client, and the full-text
-- index of their title, file name, tags and extracted text. Contents are
-- blobs named by their SHA-256 in the blob folder: rows hold metadata only.
-- Kinds are checked in Go, so that a new kind needs no table rebuild.

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT '',
    current_version INTEGER NOT NULL DEFAULT 1,
    client_id INTEGER,
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    shared_at TIMESTAMP,
    shared_by INTEGER REFERENCES staff_users (id),
    immutable BOOLEAN NOT NULL DEFAULT FALSE,
    generated BOOLEAN NOT NULL DEFAULT FALSE,
    search_text TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER REFERENCES staff_users (id),
    updated_at TIMESTAMP NOT NULL,
    CHECK (NOT shared OR client_id IS NOT NULL)
);
CREATE INDEX documents_client_idx ON documents (client_id, shared);
CREATE INDEX documents_updated_idx ON documents (updated_at);

-- Generated legal documents and issued invoices are immutable: the database
-- refuses to delete them or to make them mutable again.
CREATE TRIGGER documents_immutable_no_delete BEFORE DELETE ON documents
WHEN old.immutable
BEGIN
    SELECT RAISE(ABORT, 'an immutable document cannot be deleted');
END;
CREATE TRIGGER documents_immutable_stays BEFORE UPDATE OF immutable ON documents
WHEN old.immutable AND NOT new.immutable
BEGIN
    SELECT RAISE(ABORT, 'an immutable document stays immutable');
END;

CREATE VIRTUAL TABLE documents_fts USING fts5 (
    search_text, content = 'documents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO documents_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_text ON documents
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO documents_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

-- One row per version; a version's content never changes once written.
-- text_status tells whether the text could be extracted (none, extracted,
-- truncated, failed); snapshot is the JSON a generated version was built from.
CREATE TABLE document_versions (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    mime_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    text_status TEXT NOT NULL DEFAULT 'none',
    text_error TEXT NOT NULL DEFAULT '',
    text_content TEXT NOT NULL DEFAULT '',
    snapshot TEXT,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER REFERENCES staff_users (id),
    PRIMARY KEY (document_id, version)
);
CREATE INDEX document_versions_sha256_idx ON document_versions (sha256);
CREATE TRIGGER document_versions_content_fixed BEFORE UPDATE OF sha256, size ON document_versions
BEGIN
    SELECT RAISE(ABORT, 'a document version keeps its content');
END;

CREATE TABLE document_tags (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag_idx ON document_tags (tag, document_id);

-- Links to records of any module, as (type, id) pairs without foreign keys,
-- like the timeline's: the store never depends on those tables.
CREATE TABLE document_links (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    record_type TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    PRIMARY KEY (document_id, record_type, record_id)
);
CREATE INDEX document_links_record_idx ON document_links (record_type, record_id, document_id);

-- The broker's own legal identity, printed on every generated document
-- (one row, id 1; crm/broker.go).
CREATE TABLE broker_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    legal_name TEXT NOT NULL,
    legal_form TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT 'FR',
    siret TEXT NOT NULL DEFAULT '',
    rcs TEXT NOT NULL DEFAULT '',
    vat_number TEXT NOT NULL DEFAULT '',
    nda TEXT NOT NULL DEFAULT '',
    nda_region TEXT NOT NULL DEFAULT '',
    qualiopi TEXT NOT NULL DEFAULT '',
    -- Holds the 261-4-4° a attestation: its training is VAT-exempt.
    vat_exempt BOOLEAN NOT NULL DEFAULT FALSE,
    representative TEXT NOT NULL DEFAULT '',
    representative_role TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '',
    logo_sum TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP
);

-- How a client's documents look: their language, its logo and colour, and
-- the layout variants it asked for ("kind=variant" lines; documents/pdf).
ALTER TABLE clients ADD COLUMN doc_language TEXT NOT NULL DEFAULT 'fr' CHECK (doc_language IN ('fr', 'en'));
ALTER TABLE clients ADD COLUMN doc_colour TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN doc_logo_sum TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN doc_variants TEXT NOT NULL DEFAULT '';
