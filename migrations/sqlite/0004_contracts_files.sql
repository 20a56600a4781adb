-- Building register codes and areas, unit contract areas, building managers, management
-- contracts with their history, the deposit ledger, lease termination, and attached files.
ALTER TABLE buildings ADD COLUMN sigungu_cd TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN bjdong_cd TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN plat_gb_cd TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN bun TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN ji TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN land_area_m2 REAL NOT NULL DEFAULT 0;
ALTER TABLE buildings ADD COLUMN building_area_m2 REAL NOT NULL DEFAULT 0;
ALTER TABLE buildings ADD COLUMN approval_date TEXT;
CREATE INDEX buildings_client ON buildings (client_id);
CREATE INDEX buildings_name ON buildings (name);

ALTER TABLE units ADD COLUMN contract_area_m2 REAL NOT NULL DEFAULT 0;

CREATE TABLE building_managers (
    building_id INTEGER NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (building_id, user_id)
);
CREATE INDEX building_managers_user ON building_managers (user_id);

CREATE TABLE management_contracts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    start_date  TEXT    NOT NULL,
    end_date    TEXT    NOT NULL,
    scope       TEXT    NOT NULL,
    monthly_fee INTEGER NOT NULL CHECK (monthly_fee >= 0),
    vat_applies BOOLEAN NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('scheduled', 'active', 'ended', 'terminated')),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX management_contracts_building ON management_contracts (building_id, status);
CREATE INDEX management_contracts_client ON management_contracts (client_id);
CREATE INDEX management_contracts_status_end ON management_contracts (status, end_date);

CREATE TABLE management_contract_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id INTEGER NOT NULL REFERENCES management_contracts (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    snapshot    TEXT    NOT NULL,
    change_kind TEXT    NOT NULL,
    changed_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    changed_at  TEXT    NOT NULL,
    UNIQUE (contract_id, version)
);

ALTER TABLE leases ADD COLUMN terminated_on TEXT;
ALTER TABLE leases ADD COLUMN termination_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX leases_start_date ON leases (start_date);
CREATE INDEX leases_rent ON leases (monthly_rent);

CREATE TABLE deposit_entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    lease_id   INTEGER NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('received', 'returned')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    on_date    TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX deposit_entries_lease ON deposit_entries (lease_id, on_date);

CREATE INDEX tenants_name ON tenants (name);
CREATE INDEX tenants_business_number ON tenants (business_number);
CREATE INDEX clients_name ON clients (name);

-- Files attached to a building, a management contract, a lease or a tenant. The bytes live in
-- the object store under `storage_key`; this row is the only way to reach them.
CREATE TABLE files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind   TEXT    NOT NULL CHECK (owner_kind IN ('building', 'contract', 'lease', 'tenant')),
    owner_id     INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    storage_key  TEXT    NOT NULL UNIQUE,
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX files_owner ON files (owner_kind, owner_id);
CREATE INDEX audit_log_at ON audit_log (at);
