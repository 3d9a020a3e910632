-- 0017_rank_indexes.sql: the all-time reading ranking walks documents by
-- views through an index instead of sorting every published document
-- on each page that shows it.
CREATE INDEX documents_views ON documents (status, views, id);
