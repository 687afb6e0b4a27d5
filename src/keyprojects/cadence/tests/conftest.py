from __future__ import annotations

from typing import Any

import pytest

from keyprojects.cadence.tests.builders import Scenario, build_month
from keyprojects.core.testing.fixtures import World


@pytest.fixture
def month(world: World) -> Scenario:
    return build_month(world)


def login(client: Any, world: World, role: str) -> Any:
    from keyprojects.core.testing.fixtures import PASSWORD

    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client
