-- Training plans and budgets. A plan is a client's plan de développement
-- des compétences for one year: its lines are the planned actions. Once the
-- works council (CSE) has been consulted the plan is frozen: a copy of its
-- lines is kept as a numbered version that never changes, and the plan may
-- be reopened as the next working version. Requests are linked to plan
-- lines through requests.plan_line_id (no foreign key: 00005 created it
-- before this table; crm checks the link). Budget envelopes are the amounts
-- a client sets aside per year, department and funding source; their
-- planned, committed and consumed figures are computed in Go, never stored.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'frozen')),
    -- The working version: the number the next frozen copy will take.
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (client_id, year)
);

-- A planned action; a line without department is for the whole company.
-- Versions are compared line by line on the id, so an id is never reused
-- (AUTOINCREMENT: SQLite would otherwise give a new line the id of the
-- last one removed).
CREATE TABLE plan_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    title TEXT NOT NULL,
    department_id INTEGER REFERENCES client_departments (id) ON DELETE SET NULL,
    population TEXT NOT NULL DEFAULT '',
    trainees INTEGER NOT NULL CHECK (trainees > 0),
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    category TEXT NOT NULL CHECK (category IN ('mandatory', 'development')),
    period_from DATE,
    period_to DATE,
    estimated_cost_cents BIGINT NOT NULL DEFAULT 0 CHECK (estimated_cost_cents >= 0),
    funding_source TEXT NOT NULL DEFAULT 'company' CHECK (funding_source IN ('company', 'opco', 'cpf')),
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (period_to IS NULL OR period_from IS NULL OR period_to >= period_from)
);
CREATE INDEX plan_lines_plan_idx ON plan_lines (plan_id, id);
CREATE INDEX plan_lines_department_idx ON plan_lines (department_id);

-- The frozen copies: the lines (JSON) as they were when the plan was
-- frozen after the CSE consultation of cse_date, by a staff or a client user.
CREATE TABLE plan_versions (
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    version INTEGER NOT NULL,
    cse_date DATE NOT NULL,
    frozen_at TIMESTAMP NOT NULL,
    frozen_by_staff_id INTEGER REFERENCES staff_users (id),
    frozen_by_extranet_id INTEGER REFERENCES extranet_users (id),
    lines TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
);
-- A frozen copy is what the CSE was consulted on: the database refuses to change it.
CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'a frozen plan version cannot be changed');
END;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'a frozen plan version cannot be deleted');
END;

-- Budget envelopes: one per client, year, department (none: the whole
-- company) and funding source. The unique index reads a missing department
-- as 0, since NULLs never collide in a UNIQUE constraint.
CREATE TABLE budget_envelopes (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    department_id INTEGER REFERENCES client_departments (id),
    funding_source TEXT NOT NULL CHECK (funding_source IN ('company', 'opco', 'cpf')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    label TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX budget_envelopes_key_idx ON budget_envelopes (client_id, year, COALESCE(department_id, 0), funding_source);
