"""Resolving location text to one division: table tests, must-not-match cases, scope, and speed."""

from __future__ import annotations

import time

import pytest

from keyprojects.regions.divisions import load_divisions
from keyprojects.regions.gazetteer import Gazetteer, gazetteer, resolve_region


@pytest.mark.parametrize(("text", "name", "code"), [
    # a district beats its city; towns and street details after it do not matter
    ("潍坊市潍城区于河街道长松路以东", "潍城区", "370702"),
    ("潍坊市坊子区九龙街道志远路以南、龙泉街以西", "坊子区", "370704"),
    ("山东省潍坊市寒亭区", "寒亭区", "370703"),
    # a name without its suffix counts when a zone word or another name follows
    ("寒亭经济开发区海龙路以西", "寒亭区", "370703"),
    ("寒亭经济开发区通亭街以南", "寒亭区", "370703"),
    ("寿光侯镇商务路以南", "寿光市", "370783"),
    ("潍坊寒亭", "寒亭区", "370703"),
    # functional zones by their names and aliases; the town under them does not override them
    ("潍坊高新区清池街道惠贤路以东", "高新区", "3707Z1"),
    ("潍坊高新技术产业开发区", "高新区", "3707Z1"),
    ("潍坊综合保税区保税北区", "综合保税区", "3707Z2"),
    ("综保区", "综合保税区", "3707Z2"),
    ("峡山区太保庄街道", "峡山区", "3707Z3"),
    ("峡山生态经济开发区", "峡山区", "3707Z3"),
    ("滨海区大家洼街道临港路以南", "滨海区", "370772"),
    ("潍坊滨海经济技术开发区", "滨海区", "370772"),
    # the town tells apart the 高新区 of different cities
    ("高新区清池街道", "高新区", "3707Z1"),
    # the city when no district is named
    ("潍坊市主城区", "潍坊市", "370700"),
    ("聊城市", "聊城市", "371500"),
    ("潍坊城区", "潍坊市", "370700"),
    # other cities, county-level cities, one-character counties
    ("聊城市临清市", "临清市", "371581"),
    ("聊城市冠县", "冠县", "371525"),
    ("莘县", "莘县", "371522"),
    ("东昌府区", "东昌府区", "371502"),
    ("济南市市中区", "市中区", "370103"),
    ("市北区", "市北区", "370203"),
    # a town gives its district
    ("诸城市辛兴镇", "诸城市", "370782"),
    ("辛兴镇兴华路以北", "诸城市", "370782"),
    ("开元街道", "寒亭区", "370703"),
    ("昌邑市北孟镇", "昌邑市", "370786"),
    # towns whose names begin with a road word
    ("沂水县道托镇", "沂水县", "371323"),
    ("周村区大街街道", "周村区", "370306"),
    ("张店区公园街道", "张店区", "370303"),
    # lead-ins, spaces and full-width forms
    ("位于寒亭区", "寒亭区", "370703"),
    ("建设地点：潍城区", "潍城区", "370702"),
    ("潍 城 区", "潍城区", "370702"),
    ("（潍城区）", "潍城区", "370702"),
])
def test_resolves(text: str, name: str, code: str) -> None:
    resolution = resolve_region(text)
    assert resolution.division is not None, resolution.error
    assert (resolution.division.name, resolution.division.code) == (name, code)
    assert resolution.error is None


@pytest.mark.parametrize(("text", "error"), [
    # substrings: 市北 inside 昌邑市北孟镇, 寒亭 inside a road name, districts inside street details
    ("长松路以东", "无法从“长松路以东”识别山东省的区县"),
    ("寒亭路以西", "无法从“寒亭路以西”识别山东省的区县"),
    ("高密大街以东", "无法从“高密大街以东”识别山东省的区县"),
    ("北海路以北、莘县路以东", "无法从“北海路以北、莘县路以东”识别山东省的区县"),
    ("", "地点为空"),
    ("山东省", "“山东省”只写了省份，无法确定所属市或区县"),
    # ambiguous names are reported with their candidates, never guessed
    ("市中区", "“市中区”可能指济南市市中区、枣庄市市中区，无法确定，请写明所属市或区县"),
    ("新城街道", "“新城街道”可能指潍坊市奎文区、泰安市肥城市、聊城市东阿县，无法确定，请写明所属市或区县"),
    # contradictions and several districts
    ("聊城市高新区", "“聊城市高新区”中的“聊城市”与“高新区”不属于同一地区"),
    ("潍坊市临清市", "“潍坊市临清市”中的“潍坊市”与“临清市”不属于同一地区"),
    ("寒亭区、坊子区", "“寒亭区、坊子区”涉及多个区县（潍坊市寒亭区、潍坊市坊子区），请只填写一个"),
])
def test_does_not_guess(text: str, error: str) -> None:
    resolution = resolve_region(text)
    assert resolution.division is None
    assert resolution.error == error


def test_ambiguity_lists_every_candidate() -> None:
    resolution = resolve_region("高新区")
    assert resolution.division is None
    assert sorted(d.code or "" for d in resolution.candidates) == [
        "370171", "370271", "370671", "3707Z1", "370871", "371371", "371772"]


def test_substring_of_a_longer_name_is_never_matched() -> None:
    # 市北区 is a district of 青岛; in 昌邑市北孟镇 "市北" straddles two names and must not be seen
    resolution = resolve_region("昌邑市北孟镇")
    assert resolution.division is not None and resolution.division.name == "昌邑市"
    assert all(d.name != "市北区" for d in resolution.candidates)


def test_within_restricts_to_a_subtree() -> None:
    assert resolve_region("市中区", within="370400").division.code == "370402"  # type: ignore[union-attr]
    assert resolve_region("高新区", within="370700").division.code == "3707Z1"  # type: ignore[union-attr]
    assert resolve_region("新城街道", within="370700").division.name == "奎文区"  # type: ignore[union-attr]
    # ancestors of the scope may be named as context
    assert resolve_region("潍坊市寒亭区开元街道", within="370703").division.code == "370703"  # type: ignore[union-attr]
    assert resolve_region("潍坊市主城区", within="370703").error == "“潍坊市主城区”指潍坊市，不在潍坊市寒亭区范围内"
    assert resolve_region("聊城市临清市", within="370700").error == "无法从“聊城市临清市”识别潍坊市范围内的区县"
    with pytest.raises(ValueError, match="unknown division code"):
        resolve_region("潍城区", within="999999")


def test_lookups() -> None:
    g = gazetteer()
    zone = g.by_code("3707Z1")
    assert zone is not None and g.label(zone) == "潍坊市高新区"
    assert [a.name for a in g.ancestors(zone)] == ["潍坊市", "山东省"]
    assert g.is_within(zone, "370700") and not g.is_within(zone, "370705")


def test_every_district_resolves_by_its_own_name_within_its_city() -> None:
    g = gazetteer()
    for division in load_divisions():
        if division.level in ("county", "zone"):
            resolution = g.resolve(division.name, within=division.parent_code)
            assert resolution.division == division, (division, resolution.error)
            full = g.resolve(f"{division.parent_name}{division.name}")
            assert full.division == division, (division, full.error)


def test_twenty_thousand_rows_resolve_in_seconds_not_minutes() -> None:
    # a fresh gazetteer (no memo) resolving 20,000 distinct texts: ~0.7 s of CPU; CPU time, not wall time, so that a
    # loaded CI machine does not fail it
    g = Gazetteer(load_divisions())
    towns = [d for d in load_divisions() if d.level == "town" and d.parent_name]
    texts = [f"{towns[i % len(towns)].parent_name}{towns[i % len(towns)].name}{i}号" for i in range(20_000)]
    started = time.process_time()
    resolved = sum(1 for t in texts if g.resolve(t).ok)
    elapsed = time.process_time() - started
    assert resolved == 20_000
    assert elapsed < 3.0
