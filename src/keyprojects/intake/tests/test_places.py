"""Place mentions in prose, with the guards of issue 6. No database."""

import pytest

from keyprojects.intake.places import PlaceMatcher, home_places, matcher_for


@pytest.mark.parametrize(("text", "expected"), [
    ("惠民生、暖民心", []),  # 惠民生 is not 惠民县
    ("滨州惠民县今年", [("滨州惠民县", "惠民县", "371621")]),
    ("我市南水北调东线", []),  # 我市南水北调 is not 市南区
    ("市南区", [("市南区", "市南区", "370202")]),
    ("高唐奥博生物新型糖醇项目", [("高唐县", "高唐县", "371526")]),  # a county's short form is expanded
    ("高新区这次集中开工", [("高新区", "高新区", "3707Z1")]),  # the zone of the supervised area
    ("探索平原特色乡村振兴路径", []),
    ("潍坊市奎文区", [("潍坊市奎文区", "奎文区", "370705")]),
    ("甘肃兰州新区32个招商项目", [("甘肃兰州新区", "兰州市", None)]),
    ("内蒙古阿拉善盟阿拉善左旗通勤机场", [("内蒙古阿拉善盟阿拉善左旗", "阿拉善盟", None)]),
    ("在江西吉安的峡江灌区", [("江西吉安", "吉安市", None)]),
    ("海南自由贸易港首批项目", [("海南自由贸易港", "海南省", None)]),
    ("上海各区集中签约", [("上海", "上海市", None)]),
    ("重庆高新区以成渝地区", [("重庆高新区", "重庆市", None)]),
    ("潍坊综合保税区在保税北区", [("潍坊综合保税区", "综合保税区", "3707Z2")]),
    ("在青岛，一期投资", [("青岛", "青岛市", "370200")]),
])
def test_find(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    found = matcher_for().find(text)
    assert [(m.region, m.place.name if m.place else None, m.place.code if m.place else None) for m in found] == expected


def test_generic_zone_resolves_inside_the_supervised_area_only() -> None:
    [in_linyi] = PlaceMatcher("371300").find("高新区这次集中开工")
    assert in_linyi.place is not None and in_linyi.place.code == "371371"
    # 聊城市 has no 高新区 in the table: the name is kept as written, resolved to nothing.
    [in_liaocheng] = PlaceMatcher("371500").find("高新区这次集中开工")
    assert (in_liaocheng.region, in_liaocheng.place) == ("高新区", None)


def test_home_places_counts_a_county_for_its_city() -> None:
    matcher = matcher_for()
    home = home_places(matcher.find("奎文区集中开工。奎文区将继续。坊子区也开工。"), matcher)
    assert (home["county"].name, home["city"].name) == ("奎文区", "潍坊市")
