from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

pytest_plugins = ["keyprojects.core.testing.fixtures"]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: LocaleMiddleware leaves a request's language active in the thread,
    so an English page in one test would otherwise turn the next test's Chinese assertions into English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
