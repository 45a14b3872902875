-- The values a succeeded task wrote for its declared outputs, as a JSON object (null: none).
ALTER TABLE tasks ADD COLUMN outputs TEXT;
