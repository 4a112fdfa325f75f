-- The provider database: identity from the DGEFP public list, Qualiopi
-- certification per category, location, NSF specialities, status, quality
-- fields fed by later modules, provenance of every field (import or staff
-- edit), courses with their places, full-text indexes, and the shortlist
-- staff build from search results.

ALTER TABLE providers ADD COLUMN nda TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN previous_ndas TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN siren TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN siret TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN commune_code TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN latitude REAL;
ALTER TABLE providers ADD COLUMN longitude REAL;
ALTER TABLE providers ADD COLUMN qualiopi_actions BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE providers ADD COLUMN qualiopi_skills BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE providers ADD COLUMN qualiopi_vae BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE providers ADD COLUMN qualiopi_apprenticeship BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE providers ADD COLUMN qualiopi_confirmed_on DATE;
ALTER TABLE providers ADD COLUMN nsf_codes TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN trainees INTEGER;
ALTER TABLE providers ADD COLUMN trainees_delegated INTEGER;
ALTER TABLE providers ADD COLUMN trainers INTEGER;
ALTER TABLE providers ADD COLUMN last_declaration_on DATE;
ALTER TABLE providers ADD COLUMN fiscal_start DATE;
ALTER TABLE providers ADD COLUMN fiscal_end DATE;
ALTER TABLE providers ADD COLUMN foreign_org TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN vat_exempt BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE providers ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'to_verify', 'blacklisted'));
ALTER TABLE providers ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN satisfaction REAL;
ALTER TABLE providers ADD COLUMN answer_rate REAL;
ALTER TABLE providers ADD COLUMN incidents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN quality_score REAL;
ALTER TABLE providers ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Where each field's value came from, as JSON {"field": {"source": "import"|"staff", "at": time}}:
-- an import never overwrites a field a staff member edited.
ALTER TABLE providers ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';
ALTER TABLE providers ADD COLUMN imported_at TIMESTAMP;
CREATE UNIQUE INDEX providers_nda_idx ON providers (nda) WHERE nda <> '';
CREATE INDEX providers_siret_idx ON providers (siret);
CREATE INDEX providers_location_idx ON providers (latitude, longitude);

CREATE VIRTUAL TABLE providers_fts USING fts5 (
    search_text, content = 'providers', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER providers_fts_insert AFTER INSERT ON providers
BEGIN
    INSERT INTO providers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER providers_fts_update AFTER UPDATE OF search_text ON providers
BEGIN
    INSERT INTO providers_fts (providers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO providers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER providers_fts_delete AFTER DELETE ON providers
BEGIN
    INSERT INTO providers_fts (providers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- Providers existing before this migration (created by staff) get indexed by name.
UPDATE providers SET search_text = lower(name);

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    title TEXT NOT NULL,
    objectives TEXT NOT NULL DEFAULT '',
    programme TEXT NOT NULL DEFAULT '',
    prerequisites TEXT NOT NULL DEFAULT '',
    duration_hours REAL,
    duration_days REAL,
    modality TEXT NOT NULL DEFAULT 'in_person' CHECK (modality IN ('in_person', 'remote', 'blended')),
    intra BOOLEAN NOT NULL DEFAULT FALSE,
    inter BOOLEAN NOT NULL DEFAULT FALSE,
    languages TEXT NOT NULL DEFAULT 'fr',
    price_trainee_cents BIGINT,
    price_group_day_cents BIGINT,
    max_group_size INTEGER,
    certification TEXT NOT NULL DEFAULT '',
    cpf BOOLEAN NOT NULL DEFAULT FALSE,
    nsf_code TEXT NOT NULL DEFAULT '',
    next_sessions TEXT NOT NULL DEFAULT '',
    last_confirmed_on DATE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    search_text TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, ref)
);
CREATE INDEX courses_nsf_idx ON courses (nsf_code);

CREATE VIRTUAL TABLE courses_fts USING fts5 (
    search_text, content = 'courses', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER courses_fts_insert AFTER INSERT ON courses
BEGIN
    INSERT INTO courses_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER courses_fts_update AFTER UPDATE OF search_text ON courses
BEGIN
    INSERT INTO courses_fts (courses_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO courses_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER courses_fts_delete AFTER DELETE ON courses
BEGIN
    INSERT INTO courses_fts (courses_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

-- The communes where a course runs, with their coordinates for radius search.
CREATE TABLE course_places (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    commune_code TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    PRIMARY KEY (course_id, commune_code)
);
CREATE INDEX course_places_location_idx ON course_places (latitude, longitude);

-- Providers (and courses) a staff member picked from search results.
CREATE TABLE shortlist_items (
    id INTEGER PRIMARY KEY,
    staff_user_id INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    course_id INTEGER REFERENCES courses (id) ON DELETE SET NULL,
    query TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX shortlist_items_unique_idx ON shortlist_items (staff_user_id, provider_id, COALESCE(course_id, 0));
