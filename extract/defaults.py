"""Defaults the command line shows in its help, named once here and used by the modules they tune,
so that `plans --help` need not import the pipeline to print them."""
from __future__ import annotations

MAX_PAGES = 5000
"""More pages than this fails a PDF (too_many_pages) before any page is read."""
DOCUMENT_TIMEOUT = 900.0
"""Seconds one document may take before its worker is stopped and the file fails (timeout)."""
FUZZY_THRESHOLD = 95.0
"""rapidfuzz ratio at which a title not matched exactly still matches its gold."""
LOCK_TIMEOUT = 30.0
"""Seconds to wait while another plans process writes to the warehouse."""
