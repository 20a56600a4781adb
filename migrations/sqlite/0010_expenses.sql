-- Building expenses (issue 13, legacy `pmpayment`): what a building pays each month. A pinned
-- item is copied into the next month once: UNIQUE (source_id, month). Items are never deleted
-- (deleted_at), so a copy removed by hand is not made again by a later run.
CREATE TABLE expenses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    month       TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    vendor      TEXT    NOT NULL DEFAULT '',
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    vat         INTEGER NOT NULL DEFAULT 0 CHECK (vat >= 0),
    pay_date    TEXT,
    paid_on     TEXT,
    pinned      BOOLEAN NOT NULL DEFAULT 0,
    source_id   INTEGER REFERENCES expenses (id),
    memo        TEXT    NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    deleted_at  TEXT,
    deleted_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (source_id, month)
);
CREATE INDEX expenses_building_month ON expenses (building_id, month);
CREATE INDEX expenses_month_pinned ON expenses (month, pinned);

-- Files may now belong to an expense item (the vendor's bill). SQLite cannot change a CHECK in
-- place: the table is rebuilt with the same rows.
CREATE TABLE files_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind   TEXT    NOT NULL CHECK (owner_kind IN ('building', 'contract', 'lease', 'tenant', 'expense')),
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
-- Ids of deleted files are not given out again (the audit log names them).
DELETE FROM sqlite_sequence WHERE name = 'files_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'files_new', seq FROM sqlite_sequence WHERE name = 'files';
DROP TABLE files;
ALTER TABLE files_new RENAME TO files;
CREATE INDEX files_owner ON files (owner_kind, owner_id);
