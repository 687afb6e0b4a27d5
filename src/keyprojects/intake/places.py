"""Find the places a report names, in running prose. Pure: no database.

Place names are matched against our own tables — Shandong's divisions with GB/T 2260 codes and Weifang's functional
zones
(:func:`keyprojects.regions.divisions.load_divisions`), plus the provinces and prefecture-level cities of the rest of
China
(``data/china-places.txt``) — not guessed by a statistical recogniser (jionlp's gave precision 0.36 on these texts:
高新区 matches 36 zones in China). The guards:

* a short form that is also an ordinary word (惠民 in 惠民生, 平原, 泰山, 牡丹) or that starts with 市/区 (市南 in
  我市南水北调)
  counts only with its suffix (惠民县, 市南区);
* a generic zone name (高新区, 经开区) resolves only inside the configured supervised area;
* adjacent names make one mention as written (甘肃兰州, 内蒙古阿拉善盟), and a zone word after a place stays with it
  (兰州新区, 海南自由贸易港, 阿拉善左旗);
* a county's short form is expanded to its official name (高唐 → 高唐县); provinces and cities keep the form written
  (青岛).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from keyprojects.regions.divisions import load_divisions

__all__ = ["Place", "Mention", "PlaceMatcher", "DEFAULT_AREA", "matcher_for"]

DEFAULT_AREA = "370700"  # 潍坊市: the demo's supervised area
DATA = Path(__file__).resolve().parent / "data" / "china-places.txt"

# Short forms that are ordinary words or parts of common phrases: they count only when written with their suffix.
AMBIGUOUS_SHORT = frozenset(
    "惠民 平原 天桥 牡丹 泰山 河东 河口 市中 市南 市北 高新 东港 梁山 东明 周村 长清 金乡 山亭 城阳 钢城 槐荫 微山 沂水 兰陵 庆云 "  # noqa: E501 (Chinese text is double width)
    "齐河 东阿 东平 罗庄 兰山 即墨 海阳 莱山 新泰 经开 临港 高青 历城 历下 文登 芝罘 福山 环翠 岚山 五莲 宁阳 平阴 商河 "  # noqa: E501 (Chinese text is double width)
    "朝阳 长治 白银 安康 来宾 中山 红河 文山 普洱 大理 黄山 白山 山南 海东 海北 海西 黄南 玉树 新乡 开封 天门 三明 大同 "  # noqa: E501 (Chinese text is double width)
    "阿里 哈密 北海".split()
)
ZONE_WORDS = ("高新技术产业开发区", "经济技术开发区", "自由贸易试验区", "经济开发区", "综合保税区", "自由贸易港", "开发区",  # noqa: E501 (Chinese text is double width)
              "高新区", "经开区", "自贸港", "自贸区", "保税区", "新区")
_EXTENSION_RE = re.compile(
    "(?:(?P<zone>" + "|".join(ZONE_WORDS) + ")|(?P<head>[\u4e00-\u9fff]{1,4}?)(?P<suffix>"
    + "|".join(ZONE_WORDS) + "|自治县|自治旗|县|区|旗))"
)
_EXTENSION_STOP = set("各全本该我两多市城地辖片园社街景老主县区省在的和与及了是为等一二三四五六七八九十")
_DIVISION_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "林区", "省", "市",  # noqa: E501 (Chinese text is double width)
                      "县", "区", "旗", "盟")


@dataclass(frozen=True)
class Place:
    name: str  # official name: 潍城区, 高唐县, 兰州市, 甘肃省
    level: str  # province / city / county / zone
    code: str | None = None  # GB/T 2260 (or our zone code) for Shandong; None elsewhere
    city: str | None = None  # official name of the city it belongs to (itself for a city)
    province: str | None = None  # official name of its province (itself for a province)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str  # as written, adjacent names joined (甘肃兰州)
    place: Place | None  # the deepest place resolved; None for a generic name outside the supervised area
    expanded: bool = False  # the surface is a county's short form (高唐)

    @property
    def region(self) -> str:
        """The region as a fact states it: the written form, a county's short form expanded to its official name."""
        if self.expanded and self.place is not None:
            return self.surface[: len(self.surface) - len(_short_tail(self.surface, self.place))] + self.place.name
        return self.surface


def _short_tail(surface: str, place: Place) -> str:
    for length in range(len(surface), 0, -1):
        if place.name.startswith(surface[-length:]):
            return surface[-length:]
    return ""


@dataclass(frozen=True)
class _Entry:
    places: tuple[Place, ...]
    short: bool  # the surface is a short form (needs guarding)


def _strip_suffix(name: str) -> str:
    for suffix in _DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def _national() -> tuple[Place, ...]:
    places: list[Place] = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, cities = line.partition(":")
        province_name, _, _ = head.partition("/")
        if province_name == "山东省":
            continue
        places.append(Place(province_name, "province", province=province_name,
                            city=province_name if province_name.endswith("市") else None))
        for token in cities.split():
            full, _, _short = token.partition("/")
            full = full if "/" in token else full + "市"
            level = "zone" if full.endswith("新区") else "city"
            places.append(Place(full, level, city=full if level == "city" else None, province=province_name))
    return tuple(places)


def _short_of(token_line: str) -> dict[str, str]:
    shorts: dict[str, str] = {}
    for token in token_line.split():
        full, slash, short = token.partition("/")
        shorts[full if slash else full + "市"] = short if slash else full
    return shorts


@cache
def _national_shorts() -> dict[str, str]:
    shorts: dict[str, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, cities = line.partition(":")
        shorts.update(_short_of(head))
        shorts.update(_short_of(cities))
    return shorts


@cache
def _shandong() -> tuple[tuple[Place, tuple[str, ...]], ...]:
    """Shandong's province, cities, counties and zones with the surfaces that name each."""
    divisions = [d for d in load_divisions() if d.level != "town"]
    by_code = {d.code: d for d in divisions if d.code}
    result: list[tuple[Place, tuple[str, ...]]] = []
    for division in divisions:
        city: str | None = None
        province = "山东省"
        if division.level == "city":
            city = division.name
        elif division.level in ("county", "zone") and division.parent_code in by_code:
            city = by_code[division.parent_code].name
        level = "province" if division.level == "province" else division.level
        place = Place(division.name, level, division.code, city, province)
        surfaces = {division.name, division.short_name, division.full_name, *division.aliases}
        result.append((place, tuple(sorted(s for s in surfaces if s and len(s) >= 2))))
    return tuple(result)


def _within(place: Place, area: str) -> bool:
    if place.code is None:
        return False
    prefix = area.rstrip("0") if area.endswith("0000") or area.endswith("00") else area
    if area.endswith("0000"):
        prefix = area[:2]
    elif area.endswith("00"):
        prefix = area[:4]
    return place.code.startswith(prefix)


class PlaceMatcher:
    """Finds place mentions in text; ``area`` is the GB/T 2260 code of the supervised area (a city or the province)."""

    def __init__(self, area: str = DEFAULT_AREA) -> None:
        self.area = area
        table: dict[str, list[Place]] = {}
        short: set[str] = set()
        for place, surfaces in _shandong():
            for surface in surfaces:
                table.setdefault(surface, []).append(place)
                if surface != place.name and not surface.startswith(("潍坊", "山东")) and place.level in ("county",):
                    short.add(surface)
        national_shorts = _national_shorts()
        for place in _national():
            table.setdefault(place.name, []).append(place)
            stripped = national_shorts.get(place.name) or _strip_suffix(place.name)
            if stripped != place.name:
                table.setdefault(stripped, []).append(place)
        self._table: dict[str, _Entry] = {}
        self._guarded: dict[str, _Entry] = {}  # ambiguous short forms: only right after the place that contains them
        for surface, places in table.items():
            unique = tuple(dict.fromkeys(places))
            if len(unique) > 1:
                inside = tuple(p for p in unique if _within(p, area))
                # A generic name (高新区 is the short form of six zones) means the one inside the supervised area.
                # Otherwise it stays ambiguous: found as written, resolved to no division.
                unique = inside if len(inside) == 1 else (_prefer_higher(unique) or unique)
            if surface in AMBIGUOUS_SHORT or (surface[:1] in "市区县" and surface not in {p.name for p in unique}):
                self._guarded[surface] = _Entry(unique, surface in short)
                continue
            self._table[surface] = _Entry(unique, surface in short)
        self._by_first: dict[str, list[str]] = {}
        for surface in sorted(self._table, key=len, reverse=True):
            self._by_first.setdefault(surface[0], []).append(surface)
        self._guarded_by_first: dict[str, list[str]] = {}
        for surface in sorted(self._guarded, key=len, reverse=True):
            self._guarded_by_first.setdefault(surface[0], []).append(surface)

    def lookup(self, surface: str) -> Place | None:
        entry = self._table.get(surface)
        return entry.places[0] if entry and len(entry.places) == 1 else None

    def find(self, text: str) -> list[Mention]:
        raw: list[tuple[int, int, _Entry]] = []
        index = 0
        length = len(text)
        while index < length:
            found = self._match_at(text, index, self._by_first, self._table)
            if found is None and raw and raw[-1][1] == index:
                found = self._match_at(text, index, self._guarded_by_first, self._guarded)
                if found is not None and not _nested(_single(raw[-1][2]), _single(found[1])):
                    found = None
            if found is None:
                index += 1
                continue
            raw.append((index, index + len(found[0]), found[1]))
            index = raw[-1][1]
        return self._merge(text, raw)

    @staticmethod
    def _match_at(
        text: str, index: int, by_first: dict[str, list[str]], table: dict[str, _Entry]
    ) -> tuple[str, _Entry] | None:
        for surface in by_first.get(text[index], ()):
            if text.startswith(surface, index):
                return surface, table[surface]
        return None

    def _merge(self, text: str, raw: list[tuple[int, int, _Entry]]) -> list[Mention]:
        mentions: list[Mention] = []
        following = {start: _single(entry) for start, _, entry in raw}
        for start, end, entry in raw:
            if mentions and start < mentions[-1].end:
                continue  # inside a mention that was extended (重庆高新区)
            place = _single(entry)
            expanded = entry.short and place is not None and place.level == "county"
            mention = Mention(start, end, text[start:end], place, expanded)
            if not (end in following and _nested(place, following[end])):
                # A name inside this one right after it is merged below; anything else may be swallowed by a zone word.
                mention = self._extend(text, mention)
            if mentions and mentions[-1].end == start:
                previous = mentions[-1]
                extended = mention.end > end
                if _nested(previous.place, place) or (extended and previous.place == place):
                    mentions[-1] = Mention(previous.start, mention.end, text[previous.start:mention.end],
                                           place or previous.place, mention.expanded)
                    continue
            mentions.append(mention)
        return mentions

    def _extend(self, text: str, mention: Mention) -> Mention:
        match = _EXTENSION_RE.match(text, mention.end)
        if match is None or mention.place is None or mention.place.level in ("county", "zone"):
            return mention
        head = match.group("head") or ""
        if match.group("zone") is None and (not head or any(ch in _EXTENSION_STOP for ch in head)):
            return mention
        if head and self._starts_place(head) and not text.startswith(mention.surface, mention.end):
            return mention
        return Mention(mention.start, match.end(), text[mention.start:match.end()], mention.place, False)

    def _starts_place(self, text: str) -> bool:
        return any(text.startswith(surface) for surface in self._by_first.get(text[0], ()))


def _single(entry: _Entry) -> Place | None:
    return entry.places[0] if len(entry.places) == 1 else None


def _prefer_higher(places: tuple[Place, ...]) -> tuple[Place, ...]:
    """吉林 is a province and a city; as written alone it names the province. Otherwise the name stays unresolved."""
    provinces = [p for p in places if p.level == "province"]
    if len(provinces) == 1 and all(p.level in ("province", "city") for p in places):
        return (provinces[0],)
    return ()


def _nested(outer: Place | None, inner: Place | None) -> bool:
    """甘肃 then 兰州: the second lies inside the first, so the two are one mention."""
    if outer is None or inner is None or outer == inner:
        return False
    if outer.level == "province":
        return inner.province == outer.name and inner.level != "province"
    if outer.level == "city":
        return inner.city == outer.name and inner.level in ("county", "zone")
    return False


@cache
def matcher_for(area: str = DEFAULT_AREA) -> PlaceMatcher:
    return PlaceMatcher(area)


def home_places(mentions: Iterable[Mention], matcher: PlaceMatcher | None = None) -> dict[str, Place]:
    """The province, city and county an article is about: the ones it names most often (counting a county for its city)."""  # noqa: E501 (Chinese text is double width)
    counters: dict[str, Counter[Place]] = {"province": Counter(), "city": Counter(), "county": Counter()}
    places_by_name: dict[str, Place] = {}
    for mention in mentions:
        place = mention.place
        if place is None:
            continue
        places_by_name[place.name] = place
        if place.level in ("county", "zone"):
            counters["county"][place] += 1
        if place.level == "city":
            counters["city"][place] += 1
        if place.level == "province":
            counters["province"][place] += 1
    result: dict[str, Place] = {}
    for level, counter in counters.items():
        if counter:
            result[level] = counter.most_common(1)[0][0]
    if "city" not in result and "county" in result:
        # A county-only article (奎文区…) still says 全市 about the county's city.
        city_counter: Counter[str] = Counter(p.city for p in counters["county"].elements() if p.city)
        if city_counter:
            name = city_counter.most_common(1)[0][0]
            found = matcher.lookup(name) if matcher is not None else None
            result["city"] = found or Place(name, "city", city=name, province=result["county"].province)
    return result
