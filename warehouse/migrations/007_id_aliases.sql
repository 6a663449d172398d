-- 007: one creator, one row. Instagram shows one account under two ids: the Graph API's account id
-- and a saved page's user id (or its handle). id_is_alias marks a creator_id that is such a stand-in;
-- the load merges stand-ins, by platform and normalised handle, into the platform's own id.
-- NULL: not known (rows loaded before this migration); every other platform's ids are its own.

ALTER TABLE creators ADD COLUMN id_is_alias BOOLEAN;
UPDATE creators SET id_is_alias = false WHERE platform <> 'instagram';
