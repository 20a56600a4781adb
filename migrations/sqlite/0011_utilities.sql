-- Utilities (issue 13, legacy `bldutilcal` / `lmutilcal` / `payment_utilusage`): the kinds of
-- bill a building gets and how each is shared, the building's bill per kind and month, meter
-- readings per unit, the split of a bill (per unit and lease, vacant days the owner's), and what
-- each lease owes for a kind and month with how much of it its invoices already carry.
CREATE TABLE utility_kinds (
    building_id INTEGER NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    basis       TEXT    NOT NULL CHECK (basis IN ('metered', 'exclusive_area', 'supply_area', 'contract_area', 'fixed_ratio', 'equal')),
    common_bp   INTEGER NOT NULL DEFAULT 0 CHECK (common_bp BETWEEN 0 AND 10000),
    position    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (building_id, kind)
);

-- A unit's fixed ratio for a kind shared by `fixed_ratio`.
CREATE TABLE utility_ratios (
    building_id INTEGER NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    ratio_bp    INTEGER NOT NULL CHECK (ratio_bp BETWEEN 0 AND 1000000),
    PRIMARY KEY (building_id, kind, unit_id)
);

CREATE TABLE utility_bills (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    kind        TEXT    NOT NULL,
    month       TEXT    NOT NULL,
    total       INTEGER NOT NULL CHECK (total >= 0),
    consumption INTEGER NOT NULL DEFAULT 0 CHECK (consumption >= 0),
    period_from TEXT,
    period_to   TEXT,
    memo        TEXT    NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (building_id, kind, month)
);
CREATE INDEX utility_bills_month ON utility_bills (month, building_id);

-- Readings in thousandths of the meter's unit; `consumption` (usage) as computed when saved.
CREATE TABLE meter_readings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id    INTEGER NOT NULL REFERENCES buildings (id),
    unit_id        INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    month          TEXT    NOT NULL,
    previous       INTEGER NOT NULL CHECK (previous >= 0),
    current        INTEGER NOT NULL CHECK (current >= 0),
    multiplier     INTEGER NOT NULL DEFAULT 1 CHECK (multiplier >= 1),
    event          TEXT    NOT NULL DEFAULT 'none' CHECK (event IN ('none', 'rollover', 'replaced')),
    digits         INTEGER,
    old_final      INTEGER,
    old_multiplier INTEGER,
    new_start      INTEGER,
    consumption INTEGER NOT NULL CHECK (consumption >= 0),
    updated_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_at     TEXT    NOT NULL,
    UNIQUE (unit_id, kind, month)
);
CREATE INDEX meter_readings_building ON meter_readings (building_id, kind, month);

-- A bill's split: one row per unit and lease (lease_id NULL: vacant days, the owner's cost;
-- unit_id 0: a building with no unit keeps its bill).
CREATE TABLE utility_shares (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    kind        TEXT    NOT NULL,
    month       TEXT    NOT NULL,
    unit_id     INTEGER NOT NULL,
    lease_id    INTEGER REFERENCES leases (id),
    days        INTEGER NOT NULL,
    weight      TEXT    NOT NULL DEFAULT '',
    amount      INTEGER NOT NULL
);
CREATE INDEX utility_shares_bill ON utility_shares (building_id, kind, month);

-- What a lease owes for a kind and month (`amount`) and how much of it invoice lines carry
-- (`billed`): the month's line while the month is open, adjustment lines after it closed.
CREATE TABLE utility_charges (
    lease_id    INTEGER NOT NULL REFERENCES leases (id),
    month       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    label       TEXT    NOT NULL,
    rule        TEXT    NOT NULL DEFAULT '',
    amount      INTEGER NOT NULL,
    billed      INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (lease_id, month, kind)
);
CREATE INDEX utility_charges_building ON utility_charges (building_id, month);

-- Files may now belong to a utility bill. SQLite cannot change a CHECK in place: the table is
-- rebuilt with the same rows, keeping its id sequence.
CREATE TABLE files_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind   TEXT    NOT NULL CHECK (owner_kind IN ('building', 'contract', 'lease', 'tenant', 'expense', 'utility_bill')),
    owner_id     INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    storage_key  TEXT    NOT NULL UNIQUE,
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL
);
INSERT INTO files_new (id, owner_kind, owner_id, name, content_type, size_bytes, storage_key, uploaded_by, created_at)
    SELECT id, owner_kind, owner_id, name, content_type, size_bytes, storage_key, uploaded_by, created_at FROM files;
DELETE FROM sqlite_sequence WHERE name = 'files_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'files_new', seq FROM sqlite_sequence WHERE name = 'files';
DROP TABLE files;
ALTER TABLE files_new RENAME TO files;
CREATE INDEX files_owner ON files (owner_kind, owner_id);
