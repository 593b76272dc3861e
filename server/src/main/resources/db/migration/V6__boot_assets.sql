-- Boot assets (kernels, initrds) are stored like built artifacts, under the kind 'assets'.
ALTER TABLE artifact_files DROP CONSTRAINT artifact_files_kind_known;
ALTER TABLE artifact_files ADD CONSTRAINT artifact_files_kind_known
    CHECK (kind IN ('ipxes', 'grubs', 'syslinuxs', 'isos', 'assets'));
