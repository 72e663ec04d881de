-- A data key serves either to seal values ('data') or to compute blind
-- indexes ('index'): keyed hashes that let Approdo find a person by name or
-- code without storing either in clear. The index key never changes, so
-- that indexes stay valid; rotating the master key only re-wraps it.
ALTER TABLE data_keys ADD COLUMN purpose TEXT NOT NULL DEFAULT 'data';
