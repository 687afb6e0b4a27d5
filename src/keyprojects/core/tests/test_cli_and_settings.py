"""The `keyprojects` CLI and the environment-driven settings."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keyprojects.accounts.models import User
from keyprojects.audit.models import AuditEntry
from keyprojects.config.settings import database_from_url
from keyprojects.projects.models import BatchEvent, Project


def test_database_url() -> None:
    db = database_from_url("postgres://kp:s%40cret@db.local:5433/keyprojects")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "keyprojects",
        "kp",
        "s@cret",
        "db.local",
        "5433",
    )
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ValueError, match="unsupported scheme 'mysql'"):
        database_from_url("mysql://x@y/z")


@pytest.mark.django_db
def test_createuser() -> None:
    out = io.StringIO()
    call_command("createuser", "wc_admin", role="region_admin", region=["370702"], password="long-enough-1", stdout=out)
    user = User.objects.get(username="wc_admin")
    assert [r.name for r in user.scope_regions.all()] == ["潍城区"]
    assert "已创建用户 wc_admin（区县管理员）" in out.getvalue()
    assert AuditEntry.objects.filter(object_id=str(user.pk), source="cli").exists()
    with pytest.raises(CommandError, match="用户名“wc_admin”已存在"):
        call_command("createuser", "wc_admin", role="region_admin", password="long-enough-1")
    with pytest.raises(CommandError, match="区域“火星区”不存在"):
        call_command("createuser", "x", role="region_admin", region=["火星区"], password="long-enough-1")
    with pytest.raises(CommandError, match="密码至少8位"):
        call_command("createuser", "y", role="reporter", password="short")


@pytest.mark.django_db
def test_demo_loads_the_reports_figures() -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "admin" in text and "demo-2024" in text and "hanting" in text
    # The 2024-02-26 集中开工 batches: count and total computed from their projects equal the reported figures.
    batches = {b.region.name: b for b in BatchEvent.objects.select_related("region").with_totals()}
    assert (batches["潍城区"].project_count, batches["潍城区"].total_investment_wan) == (28, Decimal("1033000"))
    assert (batches["诸城市"].project_count, batches["诸城市"].total_investment_wan) == (65, Decimal("2859000"))
    assert batches["潍城区"].venue == "长松数智产业园项目现场"
    for batch in batches.values():
        assert (batch.project_count, batch.total_investment_wan) == (batch.reported_count, batch.reported_total_wan)
    maiwei = Project.objects.get(name="麦维年产30万吨高端玉米淀粉糖项目")
    assert (maiwei.total_investment_wan, maiwei.region.name) == (Decimal("150000"), "综合保税区")
    hanting = Project.objects.filter(region__name="寒亭区", tags="2024年寒亭区重点")
    assert hanting.count() == 50
    assert all(p.leader and p.leader.region.name == "寒亭区" for p in hanting)
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin",
        "supervisor",
        "region_admin",
        "reporter",
        "leader",
        "panel",
    }
    # Idempotent: a second run loads nothing more.
    count = Project.objects.count()
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert Project.objects.count() == count


def test_console_script_runs(tmp_path: Path) -> None:
    env = {**os.environ, "KEYPROJECTS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "keyprojects.cli", "migrate", "--plan"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "regions.0002_load_shandong" in done.stdout
