-- One row, written by the first server that creates the first operator token, so that several
-- replicas starting together on one PostgreSQL create (and print) only one.
CREATE TABLE bootstrap_marker (
    id         INTEGER PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT bootstrap_marker_single_row CHECK (id = 1)
);
