-- Homepage content edited in the platform: settings (company info, service texts), posts,
-- inquiries, and the buildings shown in the public portfolio.
CREATE TABLE site_settings (
    setting_key TEXT NOT NULL PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE posts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    slug          TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL,
    summary       TEXT    NOT NULL DEFAULT '',
    body_markdown TEXT    NOT NULL,
    cover_image   TEXT,
    published     BOOLEAN NOT NULL DEFAULT 0,
    published_at  TEXT    NOT NULL,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX posts_published_at ON posts (published, published_at);

CREATE TABLE inquiries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    company     TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    area        TEXT    NOT NULL DEFAULT '',
    message     TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'closed')),
    assignee_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    notes       TEXT    NOT NULL DEFAULT '',
    source_ip   TEXT    NOT NULL DEFAULT '',
    consent_at  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX inquiries_status_created ON inquiries (status, created_at);

CREATE TABLE buildings (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               TEXT    NOT NULL,
    road_address       TEXT    NOT NULL DEFAULT '',
    lot_address        TEXT    NOT NULL DEFAULT '',
    main_use           TEXT    NOT NULL DEFAULT '',
    floors_above       INTEGER NOT NULL DEFAULT 0,
    floors_below       INTEGER NOT NULL DEFAULT 0,
    total_area_m2      REAL    NOT NULL DEFAULT 0,
    photo              TEXT,
    show_on_homepage   BOOLEAN NOT NULL DEFAULT 0,
    public_description TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX buildings_show_on_homepage ON buildings (show_on_homepage);
