"""绩效考核 of units and leaders: inputs read from the ratings, problems and observation rounds; weights of the region
or of the nearest region above it; the page, the XLSX for the 综合绩效考核 and the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db.models import Count, Q, Sum
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.actions import do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.cadence import actions, selectors
from keyprojects.cadence.assessment import DEFAULT_WEIGHTS, Inputs, assess
from keyprojects.cadence.choices import AssessedKind, RoundStatus
from keyprojects.cadence.tests.builders import Scenario
from keyprojects.cadence.tests.conftest import login
from keyprojects.core.editing import VersionConflict
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM
from keyprojects.core.testing.queries import count_queries
from keyprojects.ratings.models import WeeklyRating

pytestmark = pytest.mark.django_db
D = Decimal
START, END = dt.date(2024, 1, 1), dt.date(2024, 3, 31)


def cards_of(**project_filter: object) -> tuple[int, float, int, int]:
    """Rated project-weeks, their score sum, blue and red weeks — straight from the ratings."""
    row = (
        WeeklyRating.objects.filter(week_start__range=(START, END), **project_filter)
        .exclude(colour="none")
        .aggregate(
            n=Count("pk"), s=Sum("score"), b=Count("pk", filter=Q(colour="blue")), r=Count("pk", filter=Q(colour="red"))
        )
    )
    return row["n"], row["s"], row["b"], row["r"]


def observe(month: Scenario) -> None:
    """A closed round on 28 March: three judges score the equipment park (工业和信息化局) and the care centre
    (发展和改革局)."""
    supervisor = Actor(user=month.world.users[Role.SUPERVISOR], source="ui")
    judges = [
        do_create_user(SYSTEM, f"j{i}", PASSWORD, Role.PANEL, f"评委{i}", regions=[month.world.inside.region])
        for i in range(3)
    ]
    park, care = month.projects["潍城智能装备产业园项目"], month.projects["潍城医养结合综合体项目"]
    round_ = actions.do_create_round(
        supervisor,
        actions.RoundSetup(
            title="潍城区一季度观摩", region=month.world.inside.region, year=2024, half=1, held_on=dt.date(2024, 3, 28),
            target_kind="project", criteria=[("综合", D(1))], projects=[park, care], regions=[], panel=judges,
        ),
    )
    round_ = actions.do_set_round_status(supervisor, round_, round_.version, RoundStatus.SCORING)
    criterion = round_.criteria.get()
    sheets = ((round_.targets.get(project=park), (90, 80, 70)), (round_.targets.get(project=care), (95, 85, 75)))
    for target, totals in sheets:
        for judge, total in zip(judges, totals, strict=True):
            actions.do_save_sheet(Actor(user=judge, source="ui"), target, {criterion.pk: D(total)})
    actions.do_set_round_status(supervisor, round_, round_.version, RoundStatus.CLOSED)


def test_units_of_weicheng_in_the_first_quarter(month: Scenario) -> None:
    observe(month)
    report = selectors.assessment(month.world.users[Role.SUPERVISOR], month.world.inside.region, START, END, "unit")
    assert (len(report.weeks), report.weights.source) == (13, "默认")
    rows = {r.name: r for r in report.rows}
    assert set(rows) == {"潍城区发展和改革局", "潍城区工业和信息化局"}

    industry = rows["潍城区工业和信息化局"]
    n, s, b, r = cards_of(project__unit=month.industry_unit)
    counts = (industry.inputs.rated_weeks, industry.inputs.blue_weeks, industry.inputs.red_weeks)
    assert counts == (n, b, r) == (15, 5, 6)  # the silent project red 5 weeks, the stalled one 1
    assert industry.inputs.score_sum == pytest.approx(s)
    # Its one problem fell due on 8 March and is still open; the park's result is the trimmed mean 80.00.
    assert (industry.inputs.problems_due, industry.inputs.problems_on_time) == (1, 0)
    assert industry.inputs.observation == D("80.00")
    assert industry.projects == 3
    assert industry.result.values["problems"] == 0 and industry.result.values["red"] == 60
    assert industry.result == assess(industry.inputs, DEFAULT_WEIGHTS)

    development = rows["潍城区发展和改革局"]
    assert (development.inputs.problems_due, development.inputs.problems_on_time) == (1, 1)  # resolved 15 March
    assert development.inputs.observation == D("85.00")
    assert development.result.values["problems"] == 100
    assert [r.rank for r in report.rows] == [1, 2]
    assert report.rows[0].result.total is not None and report.rows[1].result.total is not None
    assert report.rows[0].result.total >= report.rows[1].result.total


def test_leaders_and_their_problems(month: Scenario) -> None:
    report = selectors.assessment(month.world.users[Role.SUPERVISOR], month.world.inside.region, START, END, "leader")
    rows = {r.name: r for r in report.rows}
    assert set(rows) == {"潍城领导", "潍城第二领导"}
    second = rows["潍城第二领导"]
    assert (second.detail, second.projects) == ("副区长", 4)
    # Both problems that fell due in the period are on his projects: one on time, one overdue.
    assert (second.inputs.problems_due, second.inputs.problems_on_time, second.inputs.observation) == (2, 1, None)
    assert second.result.values["problems"] == 50
    n, _, b, r = cards_of(project__leader=month.second_leader)
    assert (second.inputs.rated_weeks, second.inputs.blue_weeks, second.inputs.red_weeks) == (n, b, r)


def test_weights_come_from_the_region_or_the_nearest_above(month: Scenario) -> None:
    supervisor = Actor(user=month.world.users[Role.ADMIN], source="ui")
    city = month.world.inside.region.parent
    assert city is not None
    rule = actions.do_save_assessment_rule(supervisor, city, None, weight_observation=D(0), note="观摩另行考核")
    weights = selectors.weights_for(month.world.inside.region)
    assert (weights.source, weights.observation, weights.score) == ("潍坊市", 0, 50)
    with pytest.raises(VersionConflict):
        actions.do_save_assessment_rule(supervisor, city, rule.version - 1, weight_score=D(60))
    actions.do_save_assessment_rule(supervisor, city, rule.version, weight_score=D(60))
    assert selectors.weights_for(month.world.inside.region).score == 60
    with pytest.raises(Exception, match="等次分数线须满足：100 ≥ 优秀 ≥ 良好 ≥ 一般 ≥ 0。"):
        actions.do_save_assessment_rule(supervisor, month.world.inside.region, None, good_min=D(95))
    client = login(Client(), month.world, Role.SUPERVISOR)
    response = client.post(
        reverse("cadence:assessment_rule_edit", args=[month.world.inside.region.pk]),
        {"weight_score": "40", "weight_blue": "20", "weight_red": "20", "weight_problems": "10",
         "weight_observation": "10", "excellent_min": "90", "good_min": "80", "fair_min": "60", "note": "区定"},
    )
    assert response.status_code == 302
    assert selectors.weights_for(month.world.inside.region).source == "潍城区"
    report = selectors.assessment(month.world.users[Role.SUPERVISOR], month.world.inside.region, START, END, "unit")
    assert report.weights.score == 40


def test_page_export_and_api(month: Scenario) -> None:
    observe(month)
    client = login(Client(), month.world, Role.SUPERVISOR)
    url = reverse("cadence:assessment") + "?start=2024-01-01&end=2024-03-31&kind=unit"
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "潍城区重点项目责任单位绩效考核" in text and "潍城区工业和信息化局" in text
    assert count_queries(lambda: client.get(url)) == 14
    xlsx = client.get(reverse("cadence:assessment_xlsx") + "?start=2024-01-01&end=2024-03-31&kind=unit")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["责任单位考核"]
    assert sheet["A1"].value == "潍城区重点项目责任单位绩效考核（2024年1月1日—2024年3月31日）"
    assert sheet["A2"].value == (
        "权重：周评均分50，蓝牌率15，红牌控制15，问题按期办结10，观摩得分10（默认）；等次：优秀≥90，良好≥80，一般≥60"
    )
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["排名", "责任单位", "所属区域", "项目数"] and header[-2:] == ["综合得分", "等次"]
    report = selectors.assessment(month.world.users[Role.SUPERVISOR], month.world.inside.region, START, END, "unit")
    first = report.rows[0]
    assert [c.value for c in sheet[4]][:2] == [1, first.name]
    assert sheet.cell(4, len(header) - 1).value == float(first.result.total)  # type: ignore[arg-type]
    assert sheet.cell(4, len(header)).value == first.result.grade
    assert sheet.freeze_panes == "C4"
    api = Client(headers={"Authorization": f"Bearer {month.world.tokens[Role.SUPERVISOR]}"})
    body = api.get("/api/cadence/assessment?start=2024-01-01&end=2024-03-31&kind=leader").json()
    assert {r["name"] for r in body["rows"]} == {"潍城领导", "潍城第二领导"}
    assert body["weights"]["score"] == "50"
    assert api.get("/api/cadence/assessment?kind=town").status_code == 422


def test_an_assessment_without_data_is_empty(month: Scenario) -> None:
    report = selectors.assessment(
        month.world.users[Role.SUPERVISOR], month.world.inside.region, dt.date(2023, 1, 1), dt.date(2023, 6, 30),
        AssessedKind.UNIT,
    )
    assert report.rows == [] and report.weeks
    assert assess(Inputs(rated_weeks=0)).total is None
