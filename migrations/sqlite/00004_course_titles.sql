-- The folded words of each course title, kept beside the full search text:
-- the matching search ranks title matches first when a query matches more
-- courses than it can rank (crm/search.go). Courses written before this
-- migration get theirs on their next save or import.
ALTER TABLE courses ADD COLUMN title_text TEXT NOT NULL DEFAULT '';
