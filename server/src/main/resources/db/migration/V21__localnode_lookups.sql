-- Lookups of a node by the MAC or the address it last registered with (the boot timeline joins
-- DHCP and TFTP events to nodes by them): by index, not by a scan of every node.
CREATE INDEX localnodes_mac ON localnodes (mac);
CREATE INDEX localnodes_ip ON localnodes (ip);
