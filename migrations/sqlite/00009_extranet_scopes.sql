-- What an extranet user may see (docs/extranet-access.md): the departments a
-- manager answers for, the employee record a user is, and the individual
-- requests (wishes) employees submit, which their manager and HR decide on
-- before HR sends them to the broker as requests.

-- A manager sees the records of the employees of these departments; the
-- departments are of the user's company (checked in Go).
CREATE TABLE extranet_user_departments (
    user_id INTEGER NOT NULL REFERENCES extranet_users (id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES client_departments (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, department_id)
);
CREATE INDEX extranet_user_departments_department_idx ON extranet_user_departments (department_id);

-- The employee record a user is: required to submit one's own wish (employee
-- role), optional for the others. One account per person.
ALTER TABLE extranet_users ADD COLUMN employee_id INTEGER REFERENCES employees (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX extranet_users_employee_idx ON extranet_users (employee_id) WHERE employee_id IS NOT NULL;

-- The scoping conditions look requests up by their extranet author and
-- employees by department.
CREATE INDEX requests_created_by_extranet_idx ON requests (created_by_extranet_id) WHERE created_by_extranet_id IS NOT NULL;
CREATE INDEX employees_department_idx ON employees (department_id);

-- An individual request (the employee's own wish, formerly the DIF, today
-- often raised at the professional interview, art. L6315-1 of the Code du
-- travail, or co-funded by the employee's CPF). The columns hold the latest
-- decision of each step; wish_changes keeps every move.
CREATE TABLE wishes (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    submitted_by INTEGER NOT NULL REFERENCES extranet_users (id),
    -- Submitted by someone else than the employee (HR or their manager).
    on_behalf BOOLEAN NOT NULL DEFAULT FALSE,
    topic TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    justification TEXT NOT NULL DEFAULT '',
    period_from DATE,
    period_to DATE,
    estimated_cost_cents BIGINT CHECK (estimated_cost_cents >= 0),
    cpf_cofunding BOOLEAN NOT NULL DEFAULT FALSE,
    cpf_amount_cents BIGINT CHECK (cpf_amount_cents >= 0),
    interview_date DATE,
    status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'manager_approved', 'manager_refused',
        'hr_approved', 'hr_refused', 'sent', 'withdrawn')),
    manager_decided_by INTEGER REFERENCES extranet_users (id),
    manager_decided_at TIMESTAMP,
    manager_reason TEXT NOT NULL DEFAULT '',
    hr_decided_by INTEGER REFERENCES extranet_users (id),
    hr_decided_at TIMESTAMP,
    hr_reason TEXT NOT NULL DEFAULT '',
    -- HR decided against the manager's decision (arbitration).
    hr_overrode BOOLEAN NOT NULL DEFAULT FALSE,
    -- The request sent to the broker once HR approved.
    request_id INTEGER REFERENCES requests (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (period_to IS NULL OR period_from IS NULL OR period_to >= period_from),
    CHECK (cpf_cofunding OR cpf_amount_cents IS NULL),
    CHECK ((status = 'sent') = (request_id IS NOT NULL))
);
CREATE INDEX wishes_client_idx ON wishes (client_id, status, created_at);
CREATE INDEX wishes_employee_idx ON wishes (employee_id);
CREATE INDEX wishes_submitted_by_idx ON wishes (submitted_by);
CREATE UNIQUE INDEX wishes_request_idx ON wishes (request_id) WHERE request_id IS NOT NULL;

-- Every move of a wish, by which extranet user, with the reason given.
CREATE TABLE wish_changes (
    id INTEGER PRIMARY KEY,
    wish_id INTEGER NOT NULL REFERENCES wishes (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    extranet_user_id INTEGER REFERENCES extranet_users (id),
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX wish_changes_wish_idx ON wish_changes (wish_id, at, id);
