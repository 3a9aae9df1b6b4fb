"""Reading: a file into pages of lines, tables and marks (read, objects, marks), with OCR for scans."""
