import pytest

from opencers.library.services import library_load


@pytest.fixture
def ehs_library(db):
    """The small library: the 355 Extremely Hazardous Substances with the chemicals package's facts."""
    return library_load(ehs_only=True)
