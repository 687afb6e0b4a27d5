import datetime as dt

import pytest

from keyprojects.core.clock import SHANGHAI
from keyprojects.core.jobs import period_key


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_weekly_is_due_from_its_time_until_the_next_week() -> None:
    assert period_key("weekly:0:06:00", at("2024-04-01T05:59")) is None  # Monday before 06:00
    assert period_key("weekly:0:06:00", at("2024-04-01T06:00")) == "2024-W14"
    assert period_key("weekly:0:06:00", at("2024-04-07T23:00")) == "2024-W14"  # still the same week's run
    assert period_key("weekly:4:18:00", at("2024-04-04T12:00")) is None  # Friday 18:00 not reached on Thursday


def test_daily_and_every() -> None:
    assert period_key("daily:07:30", at("2024-04-01T07:29")) is None
    assert period_key("daily:07:30", at("2024-04-01T07:30")) == "2024-04-01"
    assert period_key("every:5", at("2024-04-01T00:07")) == "2024-04-01#1"
    with pytest.raises(ValueError, match="bad cadence"):
        period_key("monthly:1", at("2024-04-01T00:00"))
