-- The nearest relay (docs/MESH.md, "Which relay"). Agents that measure probe every relay of their
-- network and report the round trip to each (rtt_micros), or that it did not answer (NULL).
CREATE TABLE mesh_relay_rtts (
    node_id     BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    relay_id    BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    rtt_micros  BIGINT,
    measured_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (node_id, relay_id)
);
CREATE INDEX mesh_relay_rtts_relay ON mesh_relay_rtts (relay_id);

-- The relay each relayed pair goes through (node_a < node_b), chosen from those measurements with
-- hysteresis (core RelayChoice); a pair without a row, or whose relay is down, uses the lowest relay
-- that is up. Changed only together with a change of the two nodes' peer maps.
CREATE TABLE mesh_relay_choices (
    node_a   BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    node_b   BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    relay_id BIGINT NOT NULL REFERENCES mesh_nodes (id) ON DELETE CASCADE,
    PRIMARY KEY (node_a, node_b),
    CONSTRAINT mesh_relay_choices_ordered CHECK (node_a < node_b)
);
CREATE INDEX mesh_relay_choices_b ON mesh_relay_choices (node_b);
CREATE INDEX mesh_relay_choices_relay ON mesh_relay_choices (relay_id);
