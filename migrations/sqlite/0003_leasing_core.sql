-- Leasing core (SPEC §2–§3): clients, building details, units, utility records, tenants,
-- leases with their units and history, the audit log and domain events.
CREATE TABLE clients (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL CHECK (kind IN ('person', 'company')),
    name             TEXT    NOT NULL,
    business_number  TEXT,
    representative   TEXT    NOT NULL DEFAULT '',
    contact_phone    TEXT    NOT NULL DEFAULT '',
    contact_email    TEXT    NOT NULL DEFAULT '',
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

-- Client users (role client) see only the buildings of the clients they are linked to.
CREATE TABLE client_users (
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, user_id)
);

ALTER TABLE buildings ADD COLUMN client_id INTEGER REFERENCES clients (id);
ALTER TABLE buildings ADD COLUMN region_class TEXT NOT NULL DEFAULT 'seoul';

CREATE TABLE units (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id       INTEGER NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    floor             INTEGER NOT NULL,
    name              TEXT    NOT NULL,
    exclusive_area_m2 REAL    NOT NULL DEFAULT 0,
    common_area_m2    REAL    NOT NULL DEFAULT 0,
    created_at        TEXT    NOT NULL,
    UNIQUE (building_id, name)
);

CREATE TABLE building_utilities (
    building_id INTEGER NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('electricity', 'water', 'gas')),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (building_id, kind)
);

CREATE TABLE tenants (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('person', 'company')),
    name            TEXT    NOT NULL,
    business_number TEXT,
    representative  TEXT    NOT NULL DEFAULT '',
    contact_name    TEXT    NOT NULL DEFAULT '',
    mobile          TEXT    NOT NULL,
    email           TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE leases (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id),
    building_id      INTEGER NOT NULL REFERENCES buildings (id),
    start_date       TEXT    NOT NULL,
    end_date         TEXT    NOT NULL,
    deposit          INTEGER NOT NULL CHECK (deposit >= 0),
    monthly_rent     INTEGER NOT NULL CHECK (monthly_rent >= 0),
    management_fee   INTEGER NOT NULL CHECK (management_fee >= 0),
    vat_applies      BOOLEAN NOT NULL,
    payment_day      INTEGER NOT NULL CHECK (payment_day BETWEEN 1 AND 31),
    late_fee_rate_bp INTEGER NOT NULL DEFAULT 0,
    grace_days       INTEGER NOT NULL DEFAULT 0,
    status           TEXT    NOT NULL CHECK (status IN ('scheduled', 'active', 'ending', 'ended', 'terminated')),
    last_increase_on TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX leases_building_status ON leases (building_id, status);
CREATE INDEX leases_end_date ON leases (end_date);
CREATE INDEX leases_tenant ON leases (tenant_id);
CREATE INDEX leases_status_end ON leases (status, end_date);

CREATE TABLE lease_units (
    lease_id INTEGER NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
    unit_id  INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (lease_id, unit_id)
);
CREATE INDEX lease_units_unit ON lease_units (unit_id);

-- The previous version of a lease, written before every change (old trigger lmcontract_update).
CREATE TABLE lease_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    lease_id   INTEGER NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    snapshot   TEXT    NOT NULL,
    change_kind TEXT   NOT NULL,
    changed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    changed_at TEXT    NOT NULL,
    UNIQUE (lease_id, version)
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,
    user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    action    TEXT    NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user ON audit_log (user_id, at);

CREATE TABLE domain_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    entity       TEXT    NOT NULL,
    entity_id    INTEGER NOT NULL,
    payload      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    processed_at TEXT
);
CREATE INDEX domain_events_unprocessed ON domain_events (processed_at, id);
