-- 0008_avatars.sql: profile pictures (a PNG blob made by a sandboxed
-- worker from the uploaded image).
ALTER TABLE users ADD COLUMN avatar_sha256 TEXT REFERENCES blobs (sha256);
