-- A registration is a claim: the LAN prefixes a distributor reports (its interfaces' networks) tell
-- which node addresses are plausible for its site; other claims stay unverified and are not probed.
ALTER TABLE distributors ADD COLUMN lan_prefixes VARCHAR(4000);
ALTER TABLE localnodes ADD COLUMN verified BOOLEAN DEFAULT TRUE NOT NULL;
