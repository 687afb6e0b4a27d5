"""半月调度: the agenda of a region and day, meetings that keep it, decisions that become assigned problems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditEntry
from keyprojects.cadence import actions, selectors
from keyprojects.cadence.models import DispatchDecision, DispatchMeeting
from keyprojects.cadence.tests.builders import Scenario
from keyprojects.cadence.tests.conftest import login
from keyprojects.core.testing.queries import count_queries
from keyprojects.problems.choices import State
from keyprojects.problems.models import Problem

pytestmark = pytest.mark.django_db
APRIL_1 = dt.date(2024, 4, 1)


def supervisor(month: Scenario) -> Actor:
    return Actor(user=month.world.users[Role.SUPERVISOR], source="ui")


def test_the_agenda_of_weicheng_on_1_april(month: Scenario) -> None:
    agenda = selectors.agenda(month.world.users[Role.SUPERVISOR], month.world.inside.region, APRIL_1)
    assert (agenda.week, agenda.week_label, agenda.rated) == ("2024-W13", "2024年第13周（03.25—03.31）", True)
    assert agenda.counts() == {"red": 2, "newly_red": 1, "summons": 1, "direct": 1, "overdue": 1, "stalled": 1}
    # Newly red first: the cold-chain project turned red this week; the silent one has been red for five weeks.
    assert [(p.name, p.newly_red, p.red_weeks) for p in agenda.red] == [
        ("潍城冷链物流中心项目", True, 1),
        ("潍城新材料研发中心项目", False, 5),
    ]
    assert agenda.red[1].reasons[0] == "【直接红牌】连续2周未报送周报"
    assert [(p.name, p.note) for p in agenda.summons_projects] == [
        ("潍城新材料研发中心项目", "连续红牌5周，督办后仍无明显改善（2024-W12列入约谈名单）")
    ]
    direct = [(q.title, q.deadline, q.overdue_days) for q in agenda.direct]
    assert direct == [("冷库用地指标尚缺20亩", "2024-04-02", None)]
    assert [(q.title, q.unit, q.deadline, q.overdue_days) for q in agenda.overdue] == [
        ("施工用电增容未批复", "潍城区工业和信息化局", "2024-03-08", 24)
    ]
    stalled = [(p.name, p.note) for p in agenda.stalled]
    assert stalled == [("潍城冷链物流中心项目", "近4周本年完成投资未增加（1,200万元）")]
    # Nothing of 寒亭区, whose project is red too.
    assert "寒亭年产10万吨新材料项目" not in str(agenda.to_json())


def test_the_agenda_survives_its_json(month: Scenario) -> None:
    agenda = selectors.agenda(month.world.users[Role.SUPERVISOR], month.world.inside.region, APRIL_1)
    again = selectors.Agenda.from_json(agenda.to_json())
    assert again == agenda
    assert again.project_ids() == [month.projects[n].pk for n in ("潍城冷链物流中心项目", "潍城新材料研发中心项目",
                                                                     "潍城智能装备产业园项目")]


def test_agenda_page_in_and_out_of_scope(month: Scenario) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    page = client.get(reverse("cadence:agenda"), {"day": "2024-04-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="count-red">2<' in text and 'id="count-stalled">1<' in text
    assert "潍城冷链物流中心项目" in text and "新亮红牌" in text and "施工用电增容未批复" in text
    outside = client.get(reverse("cadence:agenda"), {"region": month.world.outside.region.pk})
    assert outside.status_code == 200 and "寒亭年产10万吨新材料项目" not in outside.content.decode()  # own region
    api = Client(headers={"Authorization": f"Bearer {month.world.tokens[Role.SUPERVISOR]}"})
    assert api.get(f"/api/cadence/agenda?region_id={month.world.outside.region.pk}").status_code == 404
    body = api.get("/api/cadence/agenda?date=2024-04-01").json()
    assert body["counts"]["red"] == 2 and body["stalled"][0]["name"] == "潍城冷链物流中心项目"


def test_agenda_page_runs_a_fixed_number_of_queries(month: Scenario) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    url = reverse("cadence:agenda") + "?day=2024-04-01"
    before = count_queries(lambda: client.get(url))
    # Two more red projects and another overdue problem: the same number of queries.
    from keyprojects.cadence.tests.builders import build_more_reds

    build_more_reds(month)
    assert count_queries(lambda: client.get(url)) == before == 14


def test_a_meeting_keeps_its_agenda_and_its_decisions_become_assigned_problems(month: Scenario) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    response = client.post(
        reverse("cadence:meeting_create"),
        {"region": month.world.inside.region.pk, "held_on": "2024-04-01", "chair": "王区长", "venue": "三楼会议室"},
    )
    meeting = DispatchMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cadence:meeting_detail", args=[meeting.pk])
    assert meeting.title == "潍城区2024年4月上半月重点项目调度会"
    assert meeting.week_start == dt.date(2024, 3, 25)
    assert selectors.Agenda.from_json(meeting.agenda).counts()["red"] == 2
    entry = AuditEntry.objects.filter(object_id=str(meeting.pk), content_type__model="dispatchmeeting").get()
    assert entry.message == "议程：红牌2个（新亮红牌1个），约谈1项，直通车问题1个，逾期问题1个，停滞项目1个"

    same_day = {"region": month.world.inside.region.pk, "held_on": "2024-04-01"}
    again = client.post(reverse("cadence:meeting_create"), same_day)
    assert again.status_code == 200 and "潍城区2024-04-01已有调度会。" in again.content.decode()

    park = month.projects["潍城智能装备产业园项目"]
    response = client.post(
        reverse("cadence:meeting_detail", args=[meeting.pk]),
        {
            "project": park.pk,
            "text": "协调供电公司4月9日前完成施工用电增容",
            "detail": "区发改局牵头，每周报告进展",
            "category": "水电气暖",
            "unit": month.industry_unit.pk,
            "working_days": 5,
        },
        follow=True,
    )
    decision = DispatchDecision.objects.get()
    problem = decision.problem
    assert problem is not None
    # 5 working days from 1 April 2024: 2, 3, 7 (a Sunday worked for 清明), 8, 9 April.
    assert (problem.state, problem.assigned_unit, problem.deadline) == (
        State.ASSIGNED,
        month.industry_unit,
        dt.date(2024, 4, 9),
    )
    assert problem.title == "协调供电公司4月9日前完成施工用电增容"
    assert problem.description == (
        "潍城区2024年4月上半月重点项目调度会（2024年4月1日）决定事项。区发改局牵头，每周报告进展。"
    )
    assert f"已记录决定事项，交办潍城区工业和信息化局，办理期限2024年4月9日（问题{problem.number}）。" in (
        response.content.decode()
    )
    assert "协调供电公司4月9日前完成施工用电增容" in response.content.decode()
    events = [(e.kind, e.to_state) for e in problem.events.order_by("at", "id")]
    assert events == [("raise", "raised"), ("transition", "assigned")]


def test_a_decision_must_be_about_a_project_of_the_meeting_region(month: Scenario) -> None:
    meeting = actions.do_create_meeting(supervisor(month), month.world.inside.region, APRIL_1)
    client = login(Client(), month.world, Role.ADMIN)
    response = client.post(
        reverse("cadence:meeting_detail", args=[meeting.pk]),
        {"project_code": month.world.outside.project.code, "text": "跨区事项", "category": "其他",
         "unit": month.industry_unit.pk, "working_days": 5},
    )
    assert response.status_code == 200
    assert f"未找到项目“{month.world.outside.project.code}”。" in response.content.decode()
    assert not Problem.objects.filter(title="跨区事项").exists()
    with pytest.raises(Exception, match="项目须在潍城区范围内。"):
        actions.do_record_decision(
            supervisor(month), meeting, month.world.outside.project, text="跨区事项", unit=month.industry_unit,
            working_days=5,
        )


def test_decisions_through_the_api(month: Scenario) -> None:
    api = Client(headers={"Authorization": f"Bearer {month.world.tokens[Role.SUPERVISOR]}"})
    created = api.post(
        "/api/cadence/meetings",
        {"region_id": month.world.inside.region.pk, "held_on": "2024-04-01", "chair": "王区长"},
        content_type="application/json",
    )
    assert created.status_code == 201
    meeting = created.json()
    assert meeting["agenda"]["counts"]["stalled"] == 1 and meeting["week"] == "2024-W13"
    decided = api.post(
        f"/api/cadence/meetings/{meeting['id']}/decisions",
        {"project_id": month.projects["潍城冷链物流中心项目"].pk, "text": "自然资源局两周内落实冷库用地指标",
         "unit_id": month.industry_unit.pk, "working_days": 10, "category": "土地"},
        content_type="application/json",
    )
    assert decided.status_code == 201
    body = decided.json()
    got = (body["problem_state"], body["deadline"], body["unit_name"])
    assert got == ("已交办", "2024-04-16", "潍城区工业和信息化局")
    detail = api.get(f"/api/cadence/meetings/{meeting['id']}").json()
    assert [d["text"] for d in detail["decisions"]] == ["自然资源局两周内落实冷库用地指标"]


def test_meeting_pages_query_counts(month: Scenario) -> None:
    sup = supervisor(month)
    meeting = actions.do_create_meeting(sup, month.world.inside.region, APRIL_1)
    for i in range(3):
        actions.do_record_decision(
            sup, meeting, month.projects["潍城智能装备产业园项目"], text=f"决定事项{i}", unit=month.industry_unit,
            working_days=5,
        )
    client = login(Client(), month.world, Role.SUPERVISOR)
    assert count_queries(lambda: client.get(reverse("cadence:meeting_list"))) == 6
    detail = reverse("cadence:meeting_detail", args=[meeting.pk])
    first = count_queries(lambda: client.get(detail))
    actions.do_record_decision(
        sup, meeting, month.projects["潍城冷链物流中心项目"], text="再一项", unit=month.industry_unit, working_days=5
    )
    assert count_queries(lambda: client.get(detail)) == first == 8
