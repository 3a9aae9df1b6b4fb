"""The Katrineholm corpus PDF read and segmented once for the family tests (parsing takes seconds)."""
from __future__ import annotations

import pytest

from extract.records.extraction import segments_to_extraction

KATRINEHOLM = "katrineholm-halvtidsuppfoljning-2019-2022.pdf"


@pytest.fixture(scope="session")
def katrineholm_segments(segmented_pdf):
    return segmented_pdf(KATRINEHOLM)


@pytest.fixture(scope="session")
def katrineholm(katrineholm_segments):
    return segments_to_extraction(katrineholm_segments)


@pytest.fixture(scope="session")
def katrineholm_gold(gold):
    return gold(KATRINEHOLM)
