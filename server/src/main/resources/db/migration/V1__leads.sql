-- Leads, sessions, sales and call rows (server README, "Leads, sessions and sales").
-- One set of migrations for DuckDB and PostgreSQL: portable types only, ids made in Java.

CREATE TABLE calls (
    id                VARCHAR PRIMARY KEY,
    node              VARCHAR NOT NULL,
    received_ms       BIGINT NOT NULL,
    -- received_ms / 900000, computed in Java: reports group by 15-minute UTC buckets
    quarter           BIGINT NOT NULL,
    answered_ms       BIGINT,
    ended_ms          BIGINT,
    status            VARCHAR NOT NULL,
    sip_status        INTEGER NOT NULL,
    campaign          VARCHAR,
    source            VARCHAR,
    handler           VARCHAR,
    caller            VARCHAR,
    dialed            VARCHAR,
    answered          BOOLEAN NOT NULL,
    converted         BOOLEAN NOT NULL,
    campaign_converts BOOLEAN NOT NULL,
    revenue           DECIMAL(18,4) NOT NULL,
    payout            DECIMAL(18,4) NOT NULL,
    talk_ms           BIGINT NOT NULL,
    visitor_session   VARCHAR,
    utm_source        VARCHAR,
    utm_campaign      VARCHAR,
    utm_term          VARCHAR,
    landing_page      VARCHAR,
    -- the handlers tried, ' h1 h2 ' (space-delimited), for the handler filter of call queries
    tried             VARCHAR NOT NULL,
    record_line       VARCHAR NOT NULL
);

-- conversion lines; a call row takes the figures of its latest (also when it arrives first)
CREATE TABLE call_conversions (
    call_id    VARCHAR NOT NULL,
    at_ms      BIGINT NOT NULL,
    converted  BOOLEAN NOT NULL,
    revenue    DECIMAL(18,4) NOT NULL,
    payout     DECIMAL(18,4) NOT NULL,
    line       VARCHAR NOT NULL,
    PRIMARY KEY (call_id, at_ms)
);

CREATE TABLE leads (
    id           VARCHAR PRIMARY KEY,
    created_ms   BIGINT NOT NULL,
    merged_into  VARCHAR,
    merged_ms    BIGINT
);

CREATE TABLE identities (
    kind       VARCHAR NOT NULL,
    value      VARCHAR NOT NULL,
    lead_id    VARCHAR NOT NULL,
    linked_ms  BIGINT NOT NULL,
    PRIMARY KEY (kind, value)
);
CREATE INDEX identities_lead ON identities (lead_id);

CREATE TABLE lead_sessions (
    kind          VARCHAR NOT NULL,
    id            VARCHAR NOT NULL,
    -- null for a call without a usable identity (anonymous caller, no visitor session)
    lead_id       VARCHAR,
    via_kind      VARCHAR,
    via_value     VARCHAR,
    status        VARCHAR NOT NULL,
    started_ms    BIGINT NOT NULL,
    ended_ms      BIGINT,
    campaign      VARCHAR,
    source        VARCHAR,
    handler       VARCHAR,
    utm_source    VARCHAR,
    utm_campaign  VARCHAR,
    utm_term      VARCHAR,
    landing_page  VARCHAR,
    -- JSON object: every tracking value (UTM, click ids, referrer, sales code, ref1..3)
    tracking      VARCHAR NOT NULL,
    -- a web session some call came through (it never expires)
    called        BOOLEAN NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX lead_sessions_lead ON lead_sessions (lead_id);

CREATE TABLE sales (
    id           VARCHAR PRIMARY KEY,
    order_id     VARCHAR UNIQUE,
    lead_id      VARCHAR NOT NULL,
    amount       DECIMAL(18,4) NOT NULL,
    currency     VARCHAR NOT NULL,
    sold_ms      BIGINT NOT NULL,
    quarter      BIGINT NOT NULL,
    recorded_ms  BIGINT NOT NULL,
    via_kind     VARCHAR NOT NULL,
    via_value    VARCHAR NOT NULL,
    actor        VARCHAR NOT NULL
);
CREATE INDEX sales_lead ON sales (lead_id);

CREATE TABLE lead_audit (
    id             VARCHAR PRIMARY KEY,
    at_ms          BIGINT NOT NULL,
    actor          VARCHAR NOT NULL,
    action         VARCHAR NOT NULL,
    lead_id        VARCHAR NOT NULL,
    other_lead_id  VARCHAR NOT NULL,
    detail         VARCHAR NOT NULL
);

CREATE TABLE ingest_positions (
    node         VARCHAR NOT NULL,
    stream       VARCHAR NOT NULL,
    file         VARCHAR NOT NULL,
    file_offset  BIGINT NOT NULL,
    PRIMARY KEY (node, stream)
);

-- One row every writing transaction updates first: on PostgreSQL it serialises writers of
-- several routers (a row lock), so merges of two transactions cannot cross.
CREATE TABLE store_lock (
    id     INTEGER PRIMARY KEY,
    turns  BIGINT NOT NULL
);
INSERT INTO store_lock VALUES (1, 0);
