-- The files of built artifacts. The bytes live in the ArtifactStore (<data-dir>/artifacts/<kind>/<uuid>/<name>);
-- this table keeps what downloads and listings need without reading them again: size, sha256 and
-- the time of publication. A file is served only when it has a row here, so a file a crashed
-- publication left on disk without its row is never served.
CREATE TABLE artifact_files (
    kind          VARCHAR(20)  NOT NULL,
    artifact_id   UUID         NOT NULL,
    name          VARCHAR(255) NOT NULL,
    size          BIGINT       NOT NULL,
    -- lower-case hex
    sha256        CHAR(64)     NOT NULL,
    last_modified TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (kind, artifact_id, name),
    CONSTRAINT artifact_files_kind_known CHECK (kind IN ('ipxes', 'grubs', 'syslinuxs', 'isos')),
    CONSTRAINT artifact_files_size_positive CHECK (size >= 0)
);
