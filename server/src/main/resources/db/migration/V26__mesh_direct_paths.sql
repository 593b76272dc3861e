-- Direct paths through NAT (docs/MESH.md, "Direct paths"). A relay reports where each node's datagrams
-- come from at each of its ports (the node's NAT mapping towards that port): observed. A node whose
-- mappings agree across the relay's ports has one public mapping, its candidate for direct paths; one
-- whose mappings differ is behind a NAT that maps per destination (symmetric), and stays relayed.
ALTER TABLE mesh_relay_ports ADD COLUMN observed VARCHAR(60);

-- Whether the node's agent tries direct paths (the Java agent does, the shell agent does not): only
-- pairs whose two agents both try are given each other's candidates.
ALTER TABLE mesh_nodes ADD COLUMN direct_paths BOOLEAN DEFAULT FALSE NOT NULL;

-- The path a node's agent uses to each peer, as it reported it: where it sends the peer's datagrams
-- (WireGuard's endpoint for the peer) and the round trip of its latest probe over the overlay.
ALTER TABLE mesh_handshakes ADD COLUMN endpoint VARCHAR(60);
ALTER TABLE mesh_handshakes ADD COLUMN rtt_micros BIGINT;

-- Relay failover: a relay whose agent has not reported within provisioner.mesh.relay-timeout is down;
-- its pairs go through the next relay that is up until it reports again.
ALTER TABLE mesh_nodes ADD COLUMN relay_down BOOLEAN DEFAULT FALSE NOT NULL;
-- The relay watch looks for relays every second: by role, not through every node.
CREATE INDEX mesh_nodes_role ON mesh_nodes (role);
