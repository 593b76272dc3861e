-- Relays (docs/MESH.md, "Behind NAT"): nodes of role relay forward WireGuard datagrams between pairs of
-- nodes that have no endpoint. Each relay gives each node of a relayed pair a port of its own: from_id's
-- datagrams to to_id arrive at the relay's port (from_id's endpoint for to_id).
ALTER TABLE mesh_join_tokens DROP CONSTRAINT mesh_join_tokens_role_known;
ALTER TABLE mesh_join_tokens ADD CONSTRAINT mesh_join_tokens_role_known
    CHECK (role IN ('auto', 'master', 'worker', 'bridge', 'relay'));
ALTER TABLE mesh_nodes DROP CONSTRAINT mesh_nodes_role_known;
ALTER TABLE mesh_nodes ADD CONSTRAINT mesh_nodes_role_known CHECK (role IN ('master', 'worker', 'bridge', 'relay'));

CREATE TABLE mesh_relay_ports (
    relay_id BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    from_id  BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    to_id    BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    port     INTEGER NOT NULL,
    PRIMARY KEY (relay_id, from_id, to_id),
    CONSTRAINT mesh_relay_ports_port_unique UNIQUE (relay_id, port)
);
CREATE INDEX mesh_relay_ports_from ON mesh_relay_ports (from_id);
CREATE INDEX mesh_relay_ports_to ON mesh_relay_ports (to_id);
