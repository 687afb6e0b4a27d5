"""Resolve free location text to exactly one administrative division. Pure: no database.

Location cells in key-project lists are written top-down, the way a Chinese address is: province, city, district or
county, town or street, then the street address ("潍坊市潍城区于河街道长松路以东…", "寒亭经济开发区海龙路以西",
"聊城市临清市").
:class:`Gazetteer` reads the administrative prefix of such a text as a chain of names and returns the one division it
names, or says why it cannot (not found, ambiguous, contradictory, several districts) — it never guesses.

Rules, in the order they apply:

* A chain starts at the beginning of the text, after a lead-in such as "位于", or right after a separator ("、",
  "（" …). Names are matched leftmost-longest, and each name must start where the previous one ended: in
  "昌邑市北孟镇" the text is read as 昌邑市 + 北孟镇, so 市北(区) inside it is never considered. The street part ends
  the chain.
* Official names, full names and aliases always count ("潍坊高新区", "潍坊综合保税区"). A short form without its
  suffix (寒亭, 潍城) counts only when followed by the end of the text, another name, or a zone word
  ("寒亭经济开发区" → 寒亭区), so that "寒亭路" or "高密大街" are not read as districts. No name counts when a road
  word follows it ("莘县路", "潍城区大街"): that is a road named after the place.
* The deepest level named wins: a district beats its city ("潍坊市潍城区…" → 潍城区), and a town gives its district
  when no district is named ("诸城市辛兴镇" → 诸城市, "开元街道" inside 潍坊市 → 寒亭区). A town that contradicts
  the district named before it is ignored, since the district is authoritative ("潍坊高新区清池街道" → 高新区), but
  it still helps to choose between districts of the same name in different cities.
* The city is the answer when the text names no district ("潍坊市主城区" → 潍坊市).
* A list of places ("寒亭区、坊子区") naming different districts is reported, not resolved to the first.
* ``within`` restricts the answer to a subtree (a district's own list resolves "开元街道" inside that district only).

The index maps every name to its divisions and records, per first character, the name lengths that exist, so resolving a
text costs a few dictionary look-ups per character; results are memoised since a list repeats the same places.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache

from keyprojects.core.i18n import active_language
from keyprojects.core.i18n import gettext as _
from keyprojects.regions.divisions import Division, load_divisions

__all__ = ["Gazetteer", "MatchKind", "Resolution", "gazetteer", "resolve_region"]

# Words that may follow a district's short form: "寒亭经济开发区", "潍坊城区", "诸城境内".
_ZONE_WORDS: tuple[str, ...] = (
    "经济技术开发区", "高新技术产业开发区", "经济开发区", "旅游度假区", "工业园区", "开发区", "高新区", "经济区",
    "工业园", "产业园", "园区", "新区", "主城区", "老城区", "中心城区", "城区", "市区", "县城", "境内", "辖区",
    "全域", "全区", "全市", "全县", "各县市区", "市直", "区直", "县直",
)
# A name followed by one of these names a road or a place named after the division ("莘县路", "寒亭大街"), not it.
_ROAD_WORDS: tuple[str, ...] = ("路", "街", "大街", "大道", "道", "巷", "胡同", "桥", "广场", "小区", "花园", "公园")
# A chain may start after one of these (list separators, brackets).
_SEPARATORS = frozenset("、,;/()[]【】<>《》|&+和及与或至")
_LEAD_IN_RE = re.compile(
    r"^(?:项目)?(?:建设)?(?:地点|地址|位置|所在地)?[:：]?(?:位于|地处|坐落于|坐落在|落户|选址于?|在)?")
_WHITESPACE_RE = re.compile(r"\s+")
# Levels from top to bottom; a zone sits at the county level.
_DEPTH = {"province": 0, "city": 1, "county": 2, "zone": 2, "town": 3}


class MatchKind(Enum):
    NAME = "name"  # official name, full name or alias
    SHORT = "short"  # name without its suffix: 寒亭, 潍城


@dataclass(frozen=True)
class _Entry:
    division: Division
    kind: MatchKind


@dataclass(frozen=True)
class _Token:
    start: int
    text: str
    entries: tuple[_Entry, ...]


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one text: ``division`` when exactly one region is named, else ``error`` (in the
    language active when it was resolved: Chinese unless the page is shown in another language)."""

    text: str
    division: Division | None
    candidates: tuple[Division, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.division is not None


def _normalise(text: str) -> str:
    # NFKC turns full-width brackets and commas into ASCII; spaces inside names ("寒 亭 区") are layout, not content.
    return _WHITESPACE_RE.sub("", unicodedata.normalize("NFKC", text))


class Gazetteer:
    """An index of division names built once from :func:`load_divisions`."""

    def __init__(self, divisions: Iterable[Division]) -> None:
        self._divisions = tuple(divisions)
        self._by_code: dict[str, Division] = {d.code: d for d in self._divisions if d.code}
        self._index: dict[str, list[_Entry]] = defaultdict(list)
        for division in self._divisions:
            for key, kind in self._keys(division):
                if all(e.division is not division for e in self._index[key]):
                    self._index[key].append(_Entry(division, kind))
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in self._index:
            lengths[key[0]].add(len(key))
        self._lengths: dict[str, tuple[int, ...]] = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}
        self._resolve_cached = lru_cache(maxsize=65536)(self._resolve)

    @staticmethod
    def _keys(division: Division) -> Iterable[tuple[str, MatchKind]]:
        names = {_normalise(n) for n in (division.name, division.full_name, *division.aliases) if n}
        for name in names:
            yield name, MatchKind.NAME
        short = _normalise(division.short_name)
        # Town short forms (辛兴 for 辛兴镇) are too often parts of road and village names to count.
        if division.level != "town" and len(short) >= 2 and short not in names:
            yield short, MatchKind.SHORT

    # -- look-ups ---------------------------------------------------------------------------------------------------
    def by_code(self, code: str) -> Division | None:
        return self._by_code.get(code)

    def parent(self, division: Division) -> Division | None:
        return self._by_code.get(division.parent_code) if division.parent_code else None

    def ancestors(self, division: Division) -> list[Division]:
        """The division's ancestors, nearest first (for a town: its district, city, province)."""
        found: list[Division] = []
        current = self.parent(division)
        while current is not None and len(found) < 5:
            found.append(current)
            current = self.parent(current)
        return found

    def is_within(self, division: Division, code: str) -> bool:
        """True when ``division`` is the division with ``code`` or lies below it."""
        return division.code == code or any(a.code == code for a in self.ancestors(division))

    def label(self, division: Division) -> str:
        """A name that identifies the division in messages: 潍坊市高新区, 济南市市中区, 山东省."""
        if division.level in ("province", "city"):
            return division.name
        city = next((a for a in self.ancestors(division) if a.level == "city"), None)
        if city is None or division.name.startswith((city.name, city.short_name)):
            return division.name
        return f"{city.name}{division.name}"

    # -- resolving --------------------------------------------------------------------------------------------------
    def resolve(self, text: str, within: str | None = None) -> Resolution:
        """Resolve ``text`` to one province-city-district division, optionally restricted to the subtree ``within``."""
        # The language is part of the key: the error messages are in the language of the page that asked.
        return self._resolve_cached(text, within, active_language())

    def _resolve(self, text: str, within: str | None, language: str | None = None) -> Resolution:
        scope = self._by_code.get(within) if within else None
        if within and scope is None:
            raise ValueError(f"unknown division code {within!r}")
        normalised = _normalise(text)
        if not normalised:
            return Resolution(text, None, error=_("地点为空"))
        chains = self._chains(normalised, scope)
        if not chains:
            if scope:
                error = _("无法从“%(text)s”识别%(scope)s范围内的区县") % {"text": text, "scope": scope.name}
            else:
                error = _("无法从“%(text)s”识别山东省的区县") % {"text": text}
            return Resolution(text, None, error=error)
        first = self._resolve_chain(text, chains[0], scope)
        if not first.ok:
            return first
        assert first.division is not None
        for chain in chains[1:]:
            other = self._resolve_chain(text, chain, scope)
            if other.division is None or other.division.level not in ("county", "zone"):
                continue
            if not (self.is_within(other.division, first.division.code or "")
                    or (other.division.code and self.is_within(first.division, other.division.code))):
                labels = _("、").join(self.label(d) for d in (first.division, other.division))
                return Resolution(text, None, (first.division, other.division),
                                  error=_("“%(text)s”涉及多个区县（%(labels)s），请只填写一个")
                                  % {"text": text, "labels": labels})
        return first

    def _chains(self, text: str, scope: Division | None) -> list[list[_Token]]:
        """Chains of consecutive names: the first from the start of the text, then any after a separator."""
        chains: list[list[_Token]] = []
        lead = _LEAD_IN_RE.match(text)
        starts = [lead.end() if lead else 0]
        starts += [i + 1 for i, ch in enumerate(text) if ch in _SEPARATORS and i + 1 < len(text)]
        covered = -1
        for start in starts:
            if start <= covered:
                continue
            chain: list[_Token] = []
            pos = start
            while pos < len(text):
                token = self._match_at(text, pos, scope)
                if token is None:
                    break
                chain.append(token)
                pos += len(token.text)
            if chain:
                if chains:
                    # Only a full district or city name opens a second chain: street details after a comma must not.
                    chain = chain[:1] if any(e.kind is MatchKind.NAME and e.division.level in ("city", "county", "zone")
                                             for e in chain[0].entries) else []
                if chain:
                    chains.append(chain)
                covered = pos
        return chains

    def _match_at(self, text: str, pos: int, scope: Division | None, *, lookahead: bool = True) -> _Token | None:
        for length in self._lengths.get(text[pos], ()):
            key = text[pos:pos + length]
            entries = self._index.get(key)
            if not entries or len(key) != length:
                continue
            end = pos + length
            if text.startswith(_ROAD_WORDS, end) and self._match_at(text, end, scope, lookahead=False) is None:
                continue  # "莘县路", but not "沂水县道托镇" (a town that begins with a road word)
            usable = tuple(
                e for e in entries
                if self._in_scope(e.division, scope)
                and (e.kind is MatchKind.NAME or not lookahead or self._short_may_end(text, end, scope))
            )
            if usable:
                return _Token(pos, key, usable)
        return None

    def _short_may_end(self, text: str, end: int, scope: Division | None) -> bool:
        if end == len(text) or text[end] in _SEPARATORS or text.startswith(_ZONE_WORDS, end):
            return True
        return self._match_at(text, end, scope, lookahead=False) is not None

    def _in_scope(self, division: Division, scope: Division | None) -> bool:
        # Ancestors of the scope may be named as context ("潍坊市寒亭区…" within 寒亭区); the answer is checked later.
        if scope is None or scope.code is None:
            return True
        if self.is_within(division, scope.code):
            return True
        return division.code is not None and self.is_within(scope, division.code)

    def _resolve_chain(self, text: str, chain: Sequence[_Token], scope: Division | None) -> Resolution:
        places = [t for t in chain if any(e.division.level != "town" for e in t.entries)]
        towns = [t for t in chain if t not in places]
        results = self._consistent(places + towns)
        if not results and towns:
            # The district named is authoritative; a town that contradicts it (清池街道 after 潍坊高新区) is dropped,
            # but its city still tells apart districts of the same name.
            results = self._consistent(places)
            hint_cities = {a.code for t in towns for e in t.entries for a in self.ancestors(e.division)
                           if a.level == "city"}
            narrowed = {d for d in results if any(self.is_within(d, c) for c in hint_cities if c)}
            if narrowed:
                results = narrowed
        if not results:
            names = _("”与“").join(t.text for t in chain)
            return Resolution(text, None,
                              error=_("“%(text)s”中的“%(names)s”不属于同一地区") % {"text": text, "names": names})
        if scope is not None and scope.code is not None:
            inside = {d for d in results if self.is_within(d, scope.code)}
            if not inside:
                labels = _("、").join(sorted(self.label(d) for d in results))
                return Resolution(text, None, tuple(results),
                                  error=_("“%(text)s”指%(labels)s，不在%(scope)s范围内")
                                  % {"text": text, "labels": labels, "scope": self.label(scope)})
            results = inside
        if len(results) > 1:
            ordered = tuple(sorted(results, key=lambda d: d.code or ""))
            labels = _("、").join(self.label(d) for d in ordered)
            return Resolution(text, None, ordered, error=_("“%(text)s”可能指%(labels)s，无法确定，请写明所属市或区县")
                              % {"text": text, "labels": labels})
        (division,) = results
        if division.level == "province":
            return Resolution(text, None, (division,),
                              error=_("“%(text)s”只写了省份，无法确定所属市或区县") % {"text": text})
        return Resolution(text, division, (division,))

    def _consistent(self, tokens: Sequence[_Token]) -> set[Division]:
        """Divisions named by every consistent reading of ``tokens``: one division per token on one line of descent."""
        if not tokens:
            return set()
        results: set[Division] = set()
        options = [[e.division for e in t.entries] for t in tokens]
        combinations = itertools.islice(itertools.product(*options), 4096)
        for combo in combinations:
            deepest = max(combo, key=lambda d: _DEPTH[d.level])
            lineage = {deepest, *self.ancestors(deepest)}
            if all(d in lineage for d in combo):
                # A town stands for its district: the region of a project is a district, zone or city.
                results.add(self.parent(deepest) or deepest if deepest.level == "town" else deepest)
        return results


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer of Shandong's divisions and Weifang's functional zones (built once per process)."""
    return Gazetteer(load_divisions())


def resolve_region(text: str, within: str | None = None) -> Resolution:
    return gazetteer().resolve(text, within)
