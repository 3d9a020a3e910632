-- 0021_fragment_html.sql: fragments may be sanitized HTML (stored
-- already sanitized: see domain/fragment.h), and record who changed them.
CREATE TABLE fragments_v2 (
	slot TEXT PRIMARY KEY,
	format TEXT NOT NULL DEFAULT 'text' CHECK (format IN ('text', 'html')),
	content TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	updated_by BIGINT REFERENCES users (id)
);
INSERT INTO fragments_v2 (slot, format, content, updated_at)
SELECT slot, format, content, updated_at FROM fragments;
DROP TABLE fragments;
ALTER TABLE fragments_v2 RENAME TO fragments;
