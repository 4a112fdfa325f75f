-- Requests and what follows them: the request of a client company with its
-- tracks (sourcing, client decision, funding) and their history, the
-- consultations of providers (parallel RFQ) with their answers, the
-- proposals to the client, and the bookings with their half-day slots,
-- trainees and attendance. A request's stage is derived in Go from its
-- tracks, never stored.

CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
    topic TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    objectives TEXT NOT NULL DEFAULT '',
    period_from DATE,
    period_to DATE,
    remote BOOLEAN NOT NULL DEFAULT FALSE,
    place TEXT NOT NULL DEFAULT '',
    commune_code TEXT NOT NULL DEFAULT '',
    trainees INTEGER NOT NULL CHECK (trainees > 0),
    format TEXT NOT NULL CHECK (format IN ('intra', 'inter')),
    budget_cents BIGINT CHECK (budget_cents >= 0),
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    -- The line of the client's training plan (plans come with a later issue: no FK yet).
    plan_line_id BIGINT,
    owner_id INTEGER REFERENCES staff_users (id),
    created_by_staff_id INTEGER REFERENCES staff_users (id),
    created_by_extranet_id INTEGER REFERENCES extranet_users (id),
    channel TEXT NOT NULL CHECK (channel IN ('backoffice', 'extranet', 'email', 'phone', 'meeting', 'api')),
    funding_body TEXT NOT NULL DEFAULT '',
    funding_file TEXT NOT NULL DEFAULT '',
    -- Where each track stands; request_track_changes keeps how it got there.
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    sourcing TEXT NOT NULL DEFAULT 'qualifying' CHECK (sourcing IN ('qualifying', 'consulting', 'quotes_in', 'proposal_sent')),
    decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'accepted', 'declined')),
    funding TEXT NOT NULL DEFAULT 'not_needed' CHECK (funding IN ('not_needed', 'requested', 'agreed', 'refused')),
    -- Follows the bookings (booked while one is planned or confirmed, done when
    -- all are); stored like the other tracks so open requests are found by index.
    delivery TEXT NOT NULL DEFAULT 'none' CHECK (delivery IN ('none', 'booked', 'done')),
    funding_amount_cents BIGINT CHECK (funding_amount_cents >= 0),
    search_text TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (period_to IS NULL OR period_from IS NULL OR period_to >= period_from)
);
CREATE INDEX requests_client_idx ON requests (client_id, created_at);
CREATE INDEX requests_created_idx ON requests (created_at, id);
CREATE INDEX requests_owner_idx ON requests (owner_id, status);
CREATE INDEX requests_tracks_idx ON requests (status, delivery, decision, sourcing, funding);
CREATE INDEX requests_priority_idx ON requests (priority, created_at);
CREATE INDEX requests_plan_line_idx ON requests (plan_line_id);
CREATE INDEX requests_search_idx ON requests (search_text);

-- The employees an individual request is for.
CREATE TABLE request_employees (
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    PRIMARY KEY (request_id, employee_id)
);
CREATE INDEX request_employees_employee_idx ON request_employees (employee_id);

-- Every move of a track, by whom (a staff or an extranet user; neither for
-- the system or a provider's answer link): the source of "time in stage".
CREATE TABLE request_track_changes (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    track TEXT NOT NULL CHECK (track IN ('request', 'sourcing', 'decision', 'funding', 'delivery')),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    staff_user_id INTEGER REFERENCES staff_users (id),
    extranet_user_id INTEGER REFERENCES extranet_users (id),
    reason TEXT NOT NULL DEFAULT '',
    amount_cents BIGINT
);
CREATE INDEX request_track_changes_request_idx ON request_track_changes (request_id, at, id);

-- Mean hours a provider takes to answer a consultation (answer_rate is the share answered).
ALTER TABLE providers ADD COLUMN answer_hours REAL;

-- One consultation per provider and request. token_seq is in the signed
-- link; a re-send increments it, so only the latest link works.
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    course_id INTEGER REFERENCES courses (id) ON DELETE SET NULL,
    email TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'fr',
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'answered', 'declined', 'expired')),
    due_at TIMESTAMP NOT NULL,
    token_seq INTEGER NOT NULL DEFAULT 1,
    sent_at TIMESTAMP,
    reminded_at TIMESTAMP,
    reminders INTEGER NOT NULL DEFAULT 0,
    answered_at TIMESTAMP,
    answered_via TEXT NOT NULL DEFAULT '' CHECK (answered_via IN ('', 'form', 'phone', 'email')),
    answered_by_staff_id INTEGER REFERENCES staff_users (id),
    price_cents BIGINT CHECK (price_cents >= 0),
    vat_status TEXT NOT NULL DEFAULT '' CHECK (vat_status IN ('', 'exempt', 'franchise', 'taxable')),
    dates_offered TEXT NOT NULL DEFAULT '',
    trainer TEXT NOT NULL DEFAULT '',
    answer_note TEXT NOT NULL DEFAULT '',
    programme_sha256 TEXT NOT NULL DEFAULT '',
    programme_filename TEXT NOT NULL DEFAULT '',
    programme_type TEXT NOT NULL DEFAULT '',
    programme_size BIGINT NOT NULL DEFAULT 0,
    decline_reason TEXT NOT NULL DEFAULT '',
    retained BOOLEAN NOT NULL DEFAULT FALSE,
    not_retained_sent_at TIMESTAMP,
    created_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (request_id, provider_id)
);
-- Per-request counts by status (the request page, "waiting on me").
CREATE INDEX consultations_request_idx ON consultations (request_id, status);
CREATE INDEX consultations_provider_idx ON consultations (provider_id, status);
CREATE INDEX consultations_open_idx ON consultations (status, due_at);

CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'withdrawn')),
    contracting_mode TEXT NOT NULL CHECK (contracting_mode IN ('subcontracting', 'referral')),
    client_price_cents BIGINT NOT NULL CHECK (client_price_cents >= 0),
    cost_cents BIGINT NOT NULL CHECK (cost_cents >= 0),
    fee_cents BIGINT NOT NULL,
    valid_until DATE NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMP,
    sent_to TEXT NOT NULL DEFAULT '',
    mailed_at TIMESTAMP,
    decided_at TIMESTAMP,
    decision_reason TEXT NOT NULL DEFAULT '',
    -- A decision by staff is one taken on the client's behalf.
    decided_by_staff_id INTEGER REFERENCES staff_users (id),
    decided_by_extranet_id INTEGER REFERENCES extranet_users (id),
    created_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX proposals_request_idx ON proposals (request_id, status);
CREATE INDEX proposals_status_idx ON proposals (status, valid_until);

CREATE TABLE proposal_lines (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    cost_cents BIGINT NOT NULL CHECK (cost_cents >= 0),
    client_price_cents BIGINT NOT NULL CHECK (client_price_cents >= 0),
    UNIQUE (proposal_id, consultation_id)
);
CREATE INDEX proposal_lines_consultation_idx ON proposal_lines (consultation_id);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    proposal_line_id INTEGER NOT NULL REFERENCES proposal_lines (id),
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    course_id INTEGER REFERENCES courses (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'confirmed', 'done', 'cancelled')),
    remote BOOLEAN NOT NULL DEFAULT FALSE,
    place TEXT NOT NULL DEFAULT '',
    remote_url TEXT NOT NULL DEFAULT '',
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
    cost_cents BIGINT NOT NULL CHECK (cost_cents >= 0),
    cancel_reason TEXT NOT NULL DEFAULT '',
    cancel_cost_bearer TEXT NOT NULL DEFAULT '' CHECK (cancel_cost_bearer IN ('', 'client', 'provider', 'broker')),
    cancelled_at TIMESTAMP,
    done_at TIMESTAMP,
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    created_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX bookings_request_idx ON bookings (request_id, status);
CREATE INDEX bookings_provider_idx ON bookings (provider_id, status);
CREATE INDEX bookings_status_idx ON bookings (status);

-- Half-day slots; times are Paris wall-clock "HH:MM" on the day.
CREATE TABLE booking_slots (
    id INTEGER PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    half TEXT NOT NULL CHECK (half IN ('am', 'pm')),
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    UNIQUE (booking_id, day, half)
);
CREATE INDEX booking_slots_day_idx ON booking_slots (day, booking_id);

CREATE TABLE booking_trainees (
    booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    PRIMARY KEY (booking_id, employee_id)
);
CREATE INDEX booking_trainees_employee_idx ON booking_trainees (employee_id);

CREATE TABLE attendance (
    slot_id INTEGER NOT NULL REFERENCES booking_slots (id) ON DELETE CASCADE,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
    recorded_at TIMESTAMP NOT NULL,
    recorded_by INTEGER REFERENCES staff_users (id),
    PRIMARY KEY (slot_id, employee_id)
);
CREATE INDEX attendance_employee_idx ON attendance (employee_id);
