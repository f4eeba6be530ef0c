-- Analytics: the index of archived time-series files. A row is written in the same transaction that
-- deletes the file's rows from the hot table, so rows in the hot table + rows listed here = every row
-- ever written (for the tables archived to files).
CREATE TABLE archive_files (
    file_id      UUID        PRIMARY KEY,
    table_name   TEXT        NOT NULL,
    path         TEXT        NOT NULL UNIQUE,
    ts_from      TIMESTAMPTZ NOT NULL,
    ts_to        TIMESTAMPTZ NOT NULL,
    row_count    BIGINT      NOT NULL CHECK (row_count >= 0),
    bytes        BIGINT      NOT NULL,
    sha256       TEXT        NOT NULL,
    archived_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ts_from <= ts_to)
);
CREATE INDEX archive_files_table_ts ON archive_files (table_name, ts_from);
