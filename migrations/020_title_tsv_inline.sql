-- Keep the title vector in the row (compressed) rather than out of line: ranking a common word reads it
-- for thousands of rows, and out of line each read cost three more page fetches (at 100,000 records,
-- 30,700 pages for 'Daten' instead of 4,800). Rows take the new storage when next written.
ALTER TABLE search_docs ALTER COLUMN title_tsv SET STORAGE MAIN;
