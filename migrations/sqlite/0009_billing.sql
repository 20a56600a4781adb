-- Billing (issue 12): a building's billing settings, invoices (one per lease per month) and
-- their lines, the lease's other recurring charges, payments and what each paid, and the
-- closing of a building's month (부과 마감).
CREATE TABLE billing_settings (
    building_id      INTEGER NOT NULL PRIMARY KEY REFERENCES buildings (id) ON DELETE CASCADE,
    payment_account  TEXT    NOT NULL DEFAULT '',
    late_fee_step_bp INTEGER NOT NULL DEFAULT 0 CHECK (late_fee_step_bp BETWEEN 0 AND 2000),
    updated_at       TEXT    NOT NULL
);

CREATE TABLE lease_charges (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    lease_id   INTEGER NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
    label      TEXT    NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    taxable    BOOLEAN NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX lease_charges_lease ON lease_charges (lease_id);

CREATE TABLE billing_months (
    building_id INTEGER NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    month       TEXT    NOT NULL,
    closed_at   TEXT,
    closed_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (building_id, month)
);

CREATE TABLE invoices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    lease_id      INTEGER NOT NULL REFERENCES leases (id),
    building_id   INTEGER NOT NULL REFERENCES buildings (id),
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id),
    month         TEXT    NOT NULL,
    lease_version INTEGER NOT NULL,
    due_date      TEXT    NOT NULL,
    total         INTEGER NOT NULL,
    paid          INTEGER NOT NULL DEFAULT 0,
    status        TEXT    NOT NULL CHECK (status IN ('unpaid', 'partial', 'paid', 'overdue')),
    paid_on       TEXT,
    created_at    TEXT    NOT NULL,
    UNIQUE (lease_id, month)
);
-- Covers the month's totals per building and per month without reading the rows.
CREATE INDEX invoices_month_building ON invoices (month, building_id, total, paid);
CREATE INDEX invoices_status_due ON invoices (status, due_date);
CREATE INDEX invoices_month_due ON invoices (month, due_date);
CREATE INDEX invoices_tenant ON invoices (tenant_id, month);

CREATE TABLE invoice_lines (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('rent', 'management_fee', 'charge', 'utility', 'adjustment', 'late_fee')),
    label        TEXT    NOT NULL,
    rule         TEXT    NOT NULL DEFAULT '',
    supply       INTEGER NOT NULL,
    vat          INTEGER NOT NULL,
    paid         INTEGER NOT NULL DEFAULT 0,
    source       TEXT,
    refers_to    INTEGER REFERENCES invoices (id),
    through_date TEXT,
    waived_at    TEXT,
    waived_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    waive_reason TEXT,
    created_at   TEXT    NOT NULL,
    UNIQUE (source)
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);
CREATE INDEX invoice_lines_refers ON invoice_lines (refers_to);

CREATE TABLE payments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    lease_id       INTEGER NOT NULL REFERENCES leases (id),
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
    paid_on        TEXT    NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    method         TEXT    NOT NULL CHECK (method IN ('transfer', 'cash', 'card', 'deposit', 'refund')),
    depositor      TEXT    NOT NULL DEFAULT '',
    memo           TEXT    NOT NULL DEFAULT '',
    unallocated    INTEGER NOT NULL CHECK (unallocated >= 0),
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     TEXT    NOT NULL,
    reversed_at    TEXT,
    reversed_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reverse_reason TEXT
);
CREATE INDEX payments_lease ON payments (lease_id, paid_on);
CREATE INDEX payments_tenant_credit ON payments (tenant_id, unallocated);

CREATE TABLE payment_allocations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    line_id    INTEGER NOT NULL REFERENCES invoice_lines (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount     INTEGER NOT NULL CHECK (amount > 0)
);
CREATE INDEX payment_allocations_payment ON payment_allocations (payment_id);
CREATE INDEX payment_allocations_line ON payment_allocations (line_id);
CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id);
