-- A private key given with a script run is held in the accepting server's memory until the
-- distributor takes the run (scriptruns/GivenKeys): a cleared column left it in the database
-- file's old row versions.
ALTER TABLE script_runs DROP COLUMN private_key;
