-- Homepage content edited in the platform: settings (company info, service texts), posts,
-- inquiries, and the buildings shown in the public portfolio.
CREATE TABLE site_settings (
    setting_key VARCHAR(64) NOT NULL PRIMARY KEY,
    value       TEXT        NOT NULL,
    updated_at  DATETIME    NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE posts (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    slug          VARCHAR(120) NOT NULL,
    title         VARCHAR(200) NOT NULL,
    summary       VARCHAR(500) NOT NULL DEFAULT '',
    body_markdown MEDIUMTEXT   NOT NULL,
    cover_image   VARCHAR(500) NULL,
    published     BOOLEAN      NOT NULL DEFAULT FALSE,
    published_at  DATETIME     NOT NULL,
    author_id     BIGINT       NULL,
    created_at    DATETIME     NOT NULL,
    updated_at    DATETIME     NOT NULL,
    CONSTRAINT posts_slug_unique UNIQUE (slug),
    CONSTRAINT posts_author_fk FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL,
    INDEX posts_published_at (published, published_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE inquiries (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    company     VARCHAR(200) NOT NULL DEFAULT '',
    phone       VARCHAR(30)  NOT NULL,
    email       VARCHAR(254) NOT NULL,
    area        VARCHAR(200) NOT NULL DEFAULT '',
    message     TEXT         NOT NULL,
    status      VARCHAR(16)  NOT NULL DEFAULT 'new',
    assignee_id BIGINT       NULL,
    notes       TEXT         NOT NULL,
    source_ip   VARCHAR(64)  NOT NULL DEFAULT '',
    consent_at  DATETIME     NOT NULL,
    created_at  DATETIME     NOT NULL,
    updated_at  DATETIME     NOT NULL,
    CONSTRAINT inquiries_status_check CHECK (status IN ('new', 'contacted', 'closed')),
    CONSTRAINT inquiries_assignee_fk FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE SET NULL,
    INDEX inquiries_status_created (status, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE buildings (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name               VARCHAR(200) NOT NULL,
    road_address       VARCHAR(300) NOT NULL DEFAULT '',
    lot_address        VARCHAR(300) NOT NULL DEFAULT '',
    main_use           VARCHAR(100) NOT NULL DEFAULT '',
    floors_above       INT          NOT NULL DEFAULT 0,
    floors_below       INT          NOT NULL DEFAULT 0,
    total_area_m2      DOUBLE       NOT NULL DEFAULT 0,
    photo              VARCHAR(500) NULL,
    show_on_homepage   BOOLEAN      NOT NULL DEFAULT FALSE,
    public_description TEXT         NOT NULL,
    created_at         DATETIME     NOT NULL,
    updated_at         DATETIME     NOT NULL,
    INDEX buildings_show_on_homepage (show_on_homepage)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
