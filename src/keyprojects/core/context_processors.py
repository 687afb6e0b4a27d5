from __future__ import annotations

from django.http import HttpRequest

from keyprojects.core import clock


def platform(request: HttpRequest) -> dict[str, object]:
    return {"clock_fixed": clock.is_fixed(), "clock_today": clock.today()}
