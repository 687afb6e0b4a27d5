"""Test helpers of the cadence room (used by its tests and the permission matrix): a dispatch meeting and an observation
round per side of the test world, made through the actions by the administrator (whose scope covers both sides)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from keyprojects.accounts.actions import do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.cadence import actions
from keyprojects.cadence.choices import RoundStatus, TargetKind
from keyprojects.cadence.models import DispatchMeeting, ObservationRound, ObservationTarget
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM, Side
from keyprojects.directory.actions import do_create_entry
from keyprojects.directory.models import Unit

MEETING_DAY = dt.date(2024, 4, 1)
CRITERIA = [("建设进度", Decimal(40)), ("投资强度", Decimal(30)), ("科技含量", Decimal(20)), ("现场管理", Decimal(10))]


def admin_actor() -> Actor:
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    return Actor(user=admin, source=AuditSource.SYSTEM)


def meeting_of(side: Side) -> DispatchMeeting:
    found = DispatchMeeting.objects.filter(region=side.region, held_on=MEETING_DAY).first()
    return found or actions.do_create_meeting(admin_actor(), side.region, MEETING_DAY)


def round_of(side: Side) -> ObservationRound:
    """A round of the side's district observing its project, being scored; its panel is every 观摩评委 whose scope
    is that district (in the test world: the panel user of the inside district; the outside district gets a judge of
    its own, so that the world's panel user sits on the inside round only)."""
    title = f"{side.region.name}2024年上半年重点项目观摩"
    found = ObservationRound.objects.filter(region=side.region, title=title).first()
    if found is not None:
        return found
    panel = list(User.objects.filter(role=Role.PANEL, scope_regions=side.region).order_by("pk"))
    if not panel:
        judge = do_create_user(SYSTEM, f"judge_{side.region.code}", PASSWORD, Role.PANEL, "评委", regions=[side.region])
        panel = [judge]
    setup = actions.RoundSetup(
        title=title,
        region=side.region,
        year=2024,
        half=1,
        held_on=dt.date(2024, 3, 28),
        target_kind=TargetKind.PROJECT,
        criteria=CRITERIA,
        projects=[side.project],
        regions=[],
        panel=panel,
    )
    actor = admin_actor()
    round_ = actions.do_create_round(actor, setup)
    return actions.do_set_round_status(actor, round_, round_.version, RoundStatus.SCORING)


def decision_unit_of(side: Side) -> Unit:
    """A unit of the side's district to assign meeting decisions to (not the side's own unit, which other tests
    delete: a unit with problems assigned to it cannot be deleted)."""
    name = f"{side.region.name}住房和城乡建设局"
    return Unit.objects.filter(region=side.region, name=name).first() or do_create_entry(
        SYSTEM, Unit, name=name, region=side.region
    )


def target_of(side: Side) -> ObservationTarget:
    return ObservationTarget.objects.get(round=round_of(side), project=side.project)
