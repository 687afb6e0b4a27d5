"""Extract project facts from the articles of a page. Pure: no database.

Fact kinds (the schema of ``shared/intake/seed-facts.jsonl``):

* ``batch_event`` — 集中开工 / 集中签约 / 集中竣工 / 集中投产 (and 开复工, 开竣工): region, date, project_count,
  total_investment_wan, annual_investment_wan, venue. A trigger word counts when a number of projects or a total is
  attached
  to it, or, for the explicit 集中… words, when the sentence dates it; planned work (将, 计划, 力争, 推动 …) and subsets
  (其中, 参加…) are not events. Statements of one event spread over several sentences are merged.
* ``project`` — name, owner, region, investment_wan, capacity, annual_output_value_wan, and a milestone (开工/竣工/投产)
  with its date when the report says the project reached it.
* ``target`` — a region's plan for the year: project_count, key_project_count, total_investment_wan,
  annual_investment_target_wan, production_target_count.
* ``pipeline_stat`` — investment-attraction figures: signed_count, started_count, funds_in_place_wan.

Every fact carries its evidence sentence and its position. Rules are general (no report is special-cased): they read the
grammar of these reports — a place, a count, a trigger; 总投资 before an amount; 的 before a project's name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from keyprojects.intake.amounts import Count, Money, find_counts, find_money, json_number
from keyprojects.intake.clean import CleanText
from keyprojects.intake.dates import DateMention, find_dates, vague_time
from keyprojects.intake.places import Mention, Place, PlaceMatcher, home_places
from keyprojects.intake.split import Article

__all__ = ["Fact", "extract_facts", "Sentence", "sentences_of"]

FACT_KINDS = ("batch_event", "project", "target", "pipeline_stat")


@dataclass
class Fact:
    kind: str
    fields: dict[str, Any]
    evidence: str
    start: int  # offsets in the clean text
    end: int
    parts: list[tuple[int, int]] = field(default_factory=list)  # evidence sentences (clean offsets)

    def as_record(self, page: CleanText) -> dict[str, Any]:
        raw_start, raw_end = page.raw_span(self.start, self.end)
        record: dict[str, Any] = {"kind": self.kind}
        record.update({key: value for key, value in self.fields.items() if value not in (None, "")})
        record["evidence"] = self.evidence
        record["evidence_start"] = raw_start
        record["evidence_end"] = raw_end
        return record


@dataclass(frozen=True)
class Sentence:
    start: int  # clean offsets
    end: int
    text: str
    paragraph: int


_SENTENCE_END = "。！？；"


def sentences_of(article: Article) -> list[Sentence]:
    result: list[Sentence] = []
    for number, paragraph in enumerate(article.paragraphs):
        text = paragraph.text
        begin = 0
        for index, char in enumerate(text):
            if char in _SENTENCE_END or index == len(text) - 1:
                # A closing quote after the full stop belongs to the sentence.
                stop = index + 1
                while stop < len(text) and text[stop] in "”’）":
                    stop += 1
                piece = text[begin:stop]
                if piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    result.append(Sentence(paragraph.start + begin + lead, paragraph.start + stop, piece.strip(),
                                           number))
                begin = stop
        if begin < len(text) and text[begin:].strip():
            piece = text[begin:]
            lead = len(piece) - len(piece.lstrip())
            result.append(Sentence(paragraph.start + begin + lead, paragraph.end, piece.strip(), number))
    # Merge the fragments created by a closing quote consumed above (begin may skip past index).
    return [s for s in result if s.text]


# --- vocabulary ----------------------------------------------------------------------------------------------------

TRIGGER_RE = re.compile(
    r"集中开复工|集中开竣工|集中签约|集中开工|集中竣工|集中投产|集中开建|集中动工|签约动工|开复工|开竣工|签约仪式|签约|"
    r"开工建设|开工|动工|开建|竣工|投产"
)
STRONG_PREFIX = "集中"
EVENT_OF = {
    "开复工": "集中开复工", "开竣工": "集中开竣工", "签约动工": "集中签约、集中开工", "签约": "集中签约",
    "竣工": "集中竣工", "投产": "集中投产", "开工": "集中开工", "动工": "集中开工", "开建": "集中开工",
}
PLANNED_RE = re.compile(r"将|计划|力争|推动|确保|预计|拟|争取|要|谋划|力促|尽快|早日|即将|有望|准备|年内|加快")
SUBSET_RE = re.compile(r"^其中|参加|纳入|之一")
_PIPELINE_WORDS_RE = re.compile(r"新签约|新落地|新开工|到位资金")
ROLE_TOTAL_RE = re.compile(
    r"(?:估算总投资|计划总投资|总投资额|总投资|投资总额|签约总金额|总签约额|签约总额|签约金额|签约额|合同投资额|投资额|总金额|"
    r"总规模|涉及资金|签约)(?:达到|达|约为|为|共|计)?$"
)
ROLE_ANNUAL_RE = re.compile(r"(?:年度计划投资|年度计划完成|年度投资|计划投资|年计划投资|计划完成投资|计划完成)(?:达到|达|为)?$")  # noqa: E501 (Chinese text is double width)
ROLE_OTHER_RE = re.compile(r"(?:产值|营收|收入|税收|利税|交易|营业额|出口|进口|规模|贷款|融资|资金)(?:达到|达|为|约)?$")
COLLECTIVE = {"全市": "city", "我市": "city", "本市": "city", "全区": "county", "我区": "county", "全县": "county",
              "全省": "province", "我省": "province", "本省": "province"}
_COLLECTIVE_RE = re.compile("|".join(COLLECTIVE))
PROJECT_HEAD_RE = re.compile(r"项目|工程|产业园|基地|灌区|枢纽|装置|工厂|电站|机场|园区")
_NAME_CHARS = r"[^，。；：、！？\s（）()《》]"
# Words after which a project's name starts, and words that end it (a verb or time after the name).
_NAME_LEFT_CUT = re.compile(r".*(?:的|是|暨|了|——|—|位于|推动|实施|加快|建设了|建成|引进|开工|签约|落地|作为|其中|以及|包括)")  # noqa: E501 (Chinese text is double width)
_NAME_SPLIT_RE = re.compile(
    r"是|将|从|于|已|正在|位于|把|由|被|使|并|以|通过|截流|开工|动工|启用|启动|投产|竣工|落地|签约|开建|建成|全面|正式|今天|"
    r"昨天|今日|日前|近日|今年|目前|顺利|加紧|加快|预计|计划|总投资|投资|总耗资|占地|达产|在[^，。]{0,8}(?:举行|开工|现场)"
)
_NAME_LEADING_RE = re.compile(r"^(?:据悉|据了解|其中|同时|此外|随后|如|该|这个|这一|一批|新上|总投资|投资|今年|去年)+")
GENERIC_NAME_RE = re.compile(
    r"^(?:\d+个)?(?:[省市县区级、]|重点|重大|产业|招商|续建|新开工|固定资产|投资|技改|民生|城市更新|基础设施|社会|事业|"
    r"集中|开工|签约|今年|本次|此次|这次|一批|大|好|高质量|其他|所有|全部|部分|单体|最大|首个|亿元|以上|各类|这些|"
    r"建设|工业|类|龙头|好|优质|高端|外资|内资|全国|省市级|城市|首批|第一批|年度|当年|该|新|老|分会场|主会场|现场|"
    r"重点工程|国家|我国|合作|战略|全省|全市|全区)*(?:项目|工程|产业园|基地|灌区|枢纽|装置|工厂|电站|机场|园区)$"
)
ORG_RE = re.compile(r"[\u4e00-\u9fff（）()]{2,30}?(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团)")
INVEST_KEY_RE = re.compile(r"(?:项目|该项目|工程|该工程|该装置|装置|其)?(?:计划总投资|总投资额|总投资|总耗资|一期投资|投资)(?:达到|达|约为|为)?$")  # noqa: E501 (Chinese text is double width)
OUTPUT_KEY_RE = re.compile(r"(?:年产值|年销售收入|产值|年营业收入)(?:可达|达到|达|约为|为|约)?$")
CAPACITY_RE = re.compile(r"年产(?:能)?(?:\d+(?:\.\d+)?万?|[一二三四五六七八九十百千万]+)(?:吨|套|台|辆|件|片|平方米|千瓦|头|只|吨/年)")  # noqa: E501 (Chinese text is double width)
MILESTONE_RE = re.compile(r"开工仪式|开工建设|开工|动工|开建|奠基|竣工验收|竣工|建成投产|投产")
MILESTONE_OF = {"开工仪式": "开工", "开工建设": "开工", "开工": "开工", "动工": "开工", "开建": "开工", "奠基": "开工",
                "竣工验收": "竣工", "竣工": "竣工", "建成投产": "投产", "投产": "投产"}
_VENUE_RE = re.compile(r"在([^，。；]{2,30}?(?:项目现场|现场|会议中心|中心|广场|园区))(?:设分会场|举行|举办|召开|，)")


# --- helpers -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Clause:
    start: int  # offsets within the sentence
    end: int
    text: str


def _clauses(text: str) -> list[_Clause]:
    result: list[_Clause] = []
    begin = 0
    for index, char in enumerate(text + "，"):
        if char in "，：" or index == len(text):
            if index > begin:
                result.append(_Clause(begin, index, text[begin:index]))
            begin = index + 1
    return result


@dataclass
class _Context:
    article: Article
    page: CleanText
    matcher: PlaceMatcher
    published: dt.date | None
    home: dict[str, Place]
    page_home: dict[str, Place]
    last_date: tuple[dt.date, str] | None = None
    last_place: Mention | None = None
    sentence_index: int = 0
    # A 现场 named in a sentence ("2月26日，潍城区在长松数智产业园项目现场，举行…推进会") and the sentence's index: the
    # next sentence may report the event there ("推进会上，潍城区28个重大项目集中开工").
    last_venue: tuple[str, int] | None = None
    # The project names of the sentence before: "该工程…总投资357.36亿元" refers back to one of them.
    previous_names: list[str] = field(default_factory=list)

    def collective(self, word: str) -> Place | None:
        level = COLLECTIVE[word]
        return self.home.get(level) or self.page_home.get(level)


@dataclass
class _Candidate:
    event: str
    region: str | None
    region_code: str | None
    date: dt.date | None
    date_basis: str
    count: Count | None
    total: Money | None
    annual: Money | None
    venue: str | None
    sentence: Sentence
    paragraph: int


def _place_fields(mention: Mention | None, place: Place | None = None, region: str | None = None) -> tuple[str | None,
                                                                                                        str | None]:
    if mention is not None:
        return mention.region, mention.place.code if mention.place else None
    if place is not None:
        return region or place.name, place.code
    return None, None


def _region_mentions(context: _Context, text: str, offset: int = 0) -> list[tuple[int, str, str | None, Place | None]]:
    """Places in ``text``: (position, region as stated, code, place); 全市/我市 resolve to the article's own city."""
    found: list[tuple[int, str, str | None, Place | None]] = []
    for mention in context.matcher.find(text):
        found.append((offset + mention.start, mention.region, mention.place.code if mention.place else None,
                      mention.place))
    for match in _COLLECTIVE_RE.finditer(text):
        place = context.collective(match.group(0))
        if place is not None and not any(start <= offset + match.start() < start + len(region)
                                         for start, region, _, _ in found):
            found.append((offset + match.start(), place.name, place.code, place))
    found.sort(key=lambda item: item[0])
    return found


def _in_list_of_places(text: str, position: int) -> bool:
    """福州 in "在福州、厦门、漳州等地": a place where things happen, not the subject."""
    before = text[max(0, position - 12): position]
    after = text[position: position + 20]
    return bool(re.search(r"在[^，。]*$", before) and re.match(r"[^，。]*等地", after)) or bool(
        re.match(r"[^，。]{0,12}等地", after) and "、" in after[:12])


# --- batch events --------------------------------------------------------------------------------------------------

def _triggers(text: str) -> Iterator[re.Match[str]]:
    for match in TRIGGER_RE.finditer(text):
        before = text[max(0, match.start() - 1): match.start()]
        after = text[match.end(): match.end() + 2]
        if before == "新" or after[:1] in "率后" or after.startswith(("达效", "见效", "运营", "使用")):
            continue
        if re.match(r"的?项目中", text[match.end():]):
            continue  # 在本次集中开工的项目中: refers back to the batch, states nothing new
        yield match


def _event_name(trigger: str) -> str:
    word = trigger.removeprefix(STRONG_PREFIX).removesuffix("建设").removesuffix("仪式")
    return EVENT_OF.get(word, STRONG_PREFIX + word if word else "集中开工")


def _count_before(clause: str, position: int) -> list[Count]:
    counts = [c for c in find_counts(clause[:position]) if c.classifier in "个项条座"]
    attached: list[Count] = []
    for count in counts:
        gap = clause[count.end:position]
        if len(gap) <= 22 and not any(other.start >= count.end for other in counts if other is not count) or (
                len(gap) <= 22 and "、" in gap):
            if re.search(r"项目|工程|公路|线|片区|项", clause[count.start:position]) or count.classifier in "项条":
                attached.append(count)
    # Several place+count pairs joined by 、 share one trigger (兰州新区32个招商项目、黑龙江518个项目集中开工).
    return attached


def _count_after(clause: str, position: int) -> Count | None:
    rest = clause[position:]
    match = re.match(r"(?:了|的|项目|重点项目|重大项目|[^，。\d一二三四五六七八九十]{1,4}项目)*", rest)
    offset = match.end() if match else 0
    for count in find_counts(rest[offset:]):
        if count.start == 0 and count.classifier in "个项条座":
            return Count(position + offset + count.start, position + offset + count.end, count.value,
                         count.classifier, count.qualifier)
    tail = re.match(r"[^，。]{0,10}?项目", rest)
    if tail:
        for count in find_counts(rest[tail.end():]):
            if count.start == 0 and count.classifier in "个项":
                start = position + tail.end()
                return Count(start + count.start, start + count.end, count.value, count.classifier, count.qualifier)
    return None


def _following_count(clause: str) -> Count | None:
    if not re.search(r"项目|工程", clause) or not re.search(r"共|涉及|计|包括", clause):
        return None
    counts = [c for c in find_counts(clause) if c.classifier in "个项"]
    return counts[-1] if counts else None


def _money_role(sentence: str, money: Money, trigger_end: int | None) -> str:
    if money.threshold:
        return "threshold"
    before = sentence[max(0, money.start - 8): money.start]
    after = sentence[money.end: money.end + 8]
    if re.match(r"的", after) and not re.match(r"的[^，。\d]{0,4}?[\d一二三四五六七八九十百千]+(?:个|批|项)", after):
        return "project"  # 总投资60亿元的张掖碳谷项目
    if ROLE_ANNUAL_RE.search(before):
        return "annual"
    if ROLE_OTHER_RE.search(before):
        return "other"
    if ROLE_TOTAL_RE.search(before):
        return "total"
    if trigger_end is not None and money.start >= trigger_end:
        return "total"  # 集中签约232.8亿元, 签约…的项目560亿元
    return "other"


def _batch_events(context: _Context, sentence: Sentence, used_money: set[tuple[int, int]]) -> list[_Candidate]:
    text = sentence.text
    clauses = _clauses(text)
    triggers = list(_triggers(text))
    if not triggers:
        return []
    dates = find_dates(text, context.published, context.article.year)
    explicit = [d for d in dates if d.date is not None]
    named_ends = {end for _, end, _ in _name_phrases(text)}
    monies = [m for m in find_money(text) if not _after_project_name(text, m, named_ends)]
    places = _region_mentions(context, text)
    candidates: list[_Candidate] = []
    clause_of = {id(t): next(i for i, c in enumerate(clauses) if c.start <= t.start() < c.end + 1) for t in triggers}
    trigger_clauses = sorted(set(clause_of.values()))
    for trigger in triggers:
        index = clause_of[id(trigger)]
        clause = clauses[index]
        local = trigger.start() - clause.start
        prefix = text[: trigger.start()]
        if PLANNED_RE.search(prefix) or SUBSET_RE.search(clause.text[:local]) or _PIPELINE_WORDS_RE.search(clause.text):
            continue
        strong = trigger.group(0).startswith(STRONG_PREFIX) or trigger.group(0) == "签约动工"
        # The event's window: its clause and the clauses after it up to the next trigger or a subset (其中…).
        stop = len(clauses)
        for later in range(index + 1, len(clauses)):
            if later in trigger_clauses or clauses[later].text.startswith("其中"):
                stop = later
                break
        window_end = clauses[stop - 1].end if stop > index else clause.end
        if any(t is not trigger and clause_of[id(t)] == index and t.start() > trigger.end() for t in triggers):
            window_end = min(window_end, next(t.start() for t in triggers if t.start() > trigger.end()))
        counts_before = _count_before(clause.text, local)
        count_after = _count_after(clause.text, local + len(trigger.group(0)))
        counts: list[Count] = []
        if count_after is not None:
            counts = [Count(clause.start + count_after.start, clause.start + count_after.end, count_after.value,
                            count_after.classifier, count_after.qualifier)]
        elif counts_before:
            counts = [Count(clause.start + c.start, clause.start + c.end, c.value, c.classifier, c.qualifier)
                      for c in counts_before]
        else:
            for later in range(index + 1, stop):
                found = _following_count(clauses[later].text)
                if found is not None:
                    counts = [Count(clauses[later].start + found.start, clauses[later].start + found.end, found.value,
                                    found.classifier, found.qualifier)]
                    break
        total: Money | None = None
        annual: Money | None = None
        for money in monies:
            if not (clause.start <= money.start < window_end):
                continue
            role = _money_role(text, money, trigger.end() if money.start >= trigger.end() and money.start < clause.end
                               else None)
            if role == "total" and total is None:
                total = money
            elif role == "annual" and annual is None:
                annual = money
        if not counts and total is None:
            if not strong or not explicit or re.search(r"一批", clause.text):
                continue
        if not counts and not strong:
            if any(clause.start < end <= trigger.start() for end in named_ends):
                continue  # 长江…建设项目今天开工，项目总投资5.97亿元: one named project starts; its amount is its own
            if text.startswith("的", trigger.end()):
                continue  # 这是今年我国开工的首条特高压工程: describes a project, reports no event
        if re.search(r"一批", clause.text) and not counts and total is None:
            continue
        # Places: one event per place+count pair when several share the trigger.
        pairs: list[tuple[tuple[int, str, str | None, Place | None] | None, Count | None]] = []
        if len(counts) > 1:
            for count in counts:
                before_count = [p for p in places if p[0] < count.start and p[0] >= clause.start]
                pairs.append((before_count[-1] if before_count else None, count))
                # Only the place right before each count: drop it once used.
                places = [p for p in places if p not in pairs[-1][:1]]
        else:
            region = _event_region(context, text, places, clause, trigger.start())
            pairs.append((region, counts[0] if counts else None))
        date, basis = _event_date(context, text, explicit, clause, trigger.start())
        venue = _venue(context, text)
        for place_info, pair_count in pairs:
            if place_info is None:
                fallback = context.last_place
                if fallback is None:
                    continue
                region_name, code = _place_fields(fallback)
            else:
                region_name, code = place_info[1], place_info[2]
            candidates.append(_Candidate(
                event=_event_name(trigger.group(0)), region=region_name, region_code=code, date=date,
                date_basis=basis, count=pair_count, total=total if len(pairs) == 1 else None,
                annual=annual if len(pairs) == 1 else None,
                venue=venue,
                sentence=sentence, paragraph=sentence.paragraph,
            ))
        for used in (total, annual):
            if used is not None:
                used_money.add((sentence.start + used.start, sentence.start + used.end))
    return candidates


# The opening of a sentence that reports what happened at the meeting or site named just before: 推进会上， 活动现场，
# 开工仪式上， 会上，
_AT_THE_MEETING_RE = re.compile(r"^[^，。；]{0,12}?(?:会|仪式|活动)?(?:上|现场|期间)，")


def _site_venue(text: str) -> str | None:
    match = _VENUE_RE.search(text)
    return match.group(1) if match and "现场" in match.group(1) else None


def _venue(context: _Context, text: str) -> str | None:
    """The site of an event: named in its own sentence, or in the sentence just before when this one opens by
    referring back to it."""
    own = _site_venue(text)
    if own is not None:
        return own
    before = context.last_venue
    if before is not None and before[1] == context.sentence_index - 1 and _AT_THE_MEETING_RE.match(text):
        return before[0]
    return None


def _after_project_name(text: str, money: Money, named_ends: set[int]) -> bool:
    """谷雨生物…生态联产项目总投资30.1亿元: the amount of one named project, not of the batch."""
    keyword = re.search(r"(?:总投资|投资|总耗资)(?:达到|达|约为|为)?$", text[max(0, money.start - 8): money.start])
    if keyword is None:
        return False
    return money.start - (len(keyword.group(0))) in named_ends


def _event_region(context: _Context, text: str, places: list[tuple[int, str, str | None, Place | None]],
                  clause: _Clause, trigger: int) -> tuple[int, str, str | None, Place | None] | None:
    in_clause = [p for p in places if clause.start <= p[0] < trigger and not _in_list_of_places(text, p[0])]
    if in_clause:
        return in_clause[0]
    earlier = [p for p in places if p[0] < clause.start and not _in_list_of_places(text, p[0])]
    if earlier:
        return earlier[0]
    after = [p for p in places if clause.start <= p[0] < clause.end and not _in_list_of_places(text, p[0])]
    if after:
        return after[0]
    return None


def _event_date(context: _Context, text: str, explicit: list[DateMention], clause: _Clause,
                trigger: int) -> tuple[dt.date | None, str]:
    before = [d for d in explicit if d.start < trigger] or explicit
    if before:
        chosen = before[-1]
        return chosen.date, chosen.basis
    if vague_time(text[:trigger]) or vague_time(clause.text):
        return None, ""
    if context.last_date is not None:
        return context.last_date
    return None, ""


def _compatible(a: _Candidate, b: _Candidate) -> bool:
    if a.event != b.event:
        return False
    if a.region and b.region and not (a.region in b.region or b.region in a.region or
                                      (a.region_code and a.region_code == b.region_code)):
        return False
    for first, second in ((a.date, b.date), (a.count and a.count.value, b.count and b.count.value),
                          (a.total and a.total.wan, b.total and b.total.wan)):
        if first is not None and second is not None and first != second:
            return False
    return True


def _merge_events(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    groups: list[list[_Candidate]] = []
    for candidate in candidates:
        same_kind = [g for g in groups if g[0].event == candidate.event]
        if same_kind and all(_compatible(member, candidate) for member in same_kind[-1]):
            same_kind[-1].append(candidate)
        else:
            groups.append([candidate])
    return groups


def _event_fact(group: list[_Candidate]) -> Fact:
    def first(attribute: str) -> Any:
        return next((getattr(c, attribute) for c in group if getattr(c, attribute) is not None), None)

    region_member = next((c for c in group if c.region), None)
    dated = next((c for c in group if c.date is not None), None)
    count: Count | None = first("count")
    total: Money | None = first("total")
    annual: Money | None = first("annual")
    fields: dict[str, Any] = {
        "event": group[0].event,
        "region": region_member.region if region_member else None,
        "region_code": region_member.region_code if region_member else None,
        "date": dated.date.isoformat() if dated and dated.date else None,
        "date_basis": dated.date_basis if dated and dated.date_basis == "context" else None,
        "project_count": count.value if count else None,
        "count_qualifier": count.qualifier if count else None,
        "total_investment_wan": json_number(total.wan) if total else None,
        "qualifier": total.qualifier if total else None,
        "annual_investment_wan": json_number(annual.wan) if annual else None,
        "venue": first("venue"),
    }
    sentences = list(dict.fromkeys(c.sentence for c in group))
    return Fact("batch_event", fields, " … ".join(s.text for s in sentences), sentences[0].start, sentences[-1].end,
                [(s.start, s.end) for s in sentences])


# --- projects ------------------------------------------------------------------------------------------------------

@dataclass
class _Project:
    name: str
    sentence: Sentence
    fields: dict[str, Any] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)


def _clean_name(raw: str) -> str | None:
    name = raw
    cut = _NAME_LEFT_CUT.match(name)
    if cut:
        name = name[cut.end():]
    name = _NAME_LEADING_RE.sub("", name)
    name = re.sub(r"^(?:今天|昨天|今日)?[（(][^）)]*[）)]", "", name)
    heads = list(PROJECT_HEAD_RE.finditer(name))
    if not heads:
        return None
    name = name[: heads[-1].end()]
    # An apposition: 吉林省最大单体工业项目 | 中国石油吉林石化转型升级项目.
    inner = [h for h in PROJECT_HEAD_RE.finditer(name) if h.group(0) == "项目" and h.end() < len(name)]
    if inner and len(name) - inner[-1].end() >= 6:
        name = name[inner[-1].end():]
    if len(name) < 5 or GENERIC_NAME_RE.match(name) or re.match(r"^[\d一二三四五六七八九十]+个", name):
        return None
    if re.search(r"\d+个|等\d|之一|一批", name):
        return None
    return name


def _name_phrases(text: str) -> list[tuple[int, int, str]]:
    """Project names in a sentence: (start, end, name)."""
    result: list[tuple[int, int, str]] = []
    for run in re.finditer(rf"(?:{_NAME_CHARS}|[“”（）()])+", text):
        segment_start = run.start()
        for piece in re.split(f"({_NAME_SPLIT_RE.pattern})", run.group(0)):
            if not piece:
                continue
            if _NAME_SPLIT_RE.fullmatch(piece):
                segment_start += len(piece)
                continue
            name = _clean_name(piece)
            if name is not None:
                position = text.find(name, segment_start)
                if position >= 0:
                    result.append((position, position + len(name), name))
            segment_start += len(piece)
    return result


def _project_region(context: _Context, name: str, sentence: Sentence) -> tuple[str | None, str | None]:
    def deep(place: Place | None) -> bool:
        return place is not None and place.level in ("city", "county", "zone")

    inside = context.matcher.find(name)
    for mention in inside:
        if deep(mention.place):
            return mention.region, mention.place.code if mention.place else None
    sentence_places = [m for m in context.matcher.find(sentence.text)
                       if not (sentence.text.find(name) <= m.start < sentence.text.find(name) + len(name))]
    for level in ("county", "zone", "city"):
        for mention in sentence_places:
            if mention.place is not None and mention.place.level == level:
                return mention.region, mention.place.code
    # The same project named elsewhere in the article with its place before it (高唐奥博生物…项目).
    text = context.article.text
    position = text.find(name)
    while position >= 0:
        for mention in context.matcher.find(text[max(0, position - 12): position]):
            if mention.end == min(12, position):
                return mention.region, mention.place.code if mention.place else None
        position = text.find(name, position + 1)
    county = context.home.get("county")
    province_mentions = [m for m in [*inside, *sentence_places] if m.place is not None]
    if county is not None and (not province_mentions or all(m.place is not None and m.place.name == county.province
                                                            for m in province_mentions)):
        return county.name, county.code
    if province_mentions:
        mention = province_mentions[0]
        return mention.region, mention.place.code if mention.place else None
    city = context.home.get("city")
    if city is not None and "city" in context.home and context.article.lead:
        return city.name, city.code
    return None, None


_REFERS_BACK_RE = re.compile(r"(?:该|这个|此|这一)?(?:项目|工程)")


def _projects(context: _Context, sentence: Sentence, used_money: set[tuple[int, int]],
              known: list[_Project]) -> list[_Project]:
    text = sentence.text
    names = _name_phrases(text)
    found: dict[str, _Project] = {}
    monies = find_money(text)
    for money in monies:
        if (sentence.start + money.start, sentence.start + money.end) in used_money or money.threshold:
            continue
        before = text[max(0, money.start - 10): money.start]
        if not INVEST_KEY_RE.search(before) or re.search(r"完成|年度|计划投资|以上项目", before):
            continue
        after = text[money.end: money.end + 10]
        if re.match(r"的[^，。]{0,4}[\d一二三四五六七八九十]+个", after):
            continue  # 总投资1650亿元的150个项目: a region's portfolio, not one project
        name: str | None = None
        if re.match(r"(?:建设|兴建|打造|实施|新上)?的", after):
            following = [n for n in names if n[0] >= money.end]
            if following:
                name = following[0][2]
        if name is None:
            clause_start = max(text.rfind("，", 0, money.start), text.rfind("：", 0, money.start)) + 1
            own = [n for n in names if clause_start <= n[0] and n[1] <= money.start]
            earlier = [n for n in names if n[1] <= money.start]
            if own:
                name = own[-1][2]
            elif earlier:
                name = earlier[0][2]
            elif _REFERS_BACK_RE.match(text) and context.previous_names and (
                not known or known[-1].name not in context.previous_names
            ):
                name = context.previous_names[-1]  # the last named: 国家重点工程，X工程开工。工程总投资…
            elif known:
                name = known[-1].name
        if name is None:
            continue
        project = found.get(name) or _Project(name, sentence)
        found[name] = project
        project.fields.setdefault("investment_wan", json_number(money.wan))
        if money.qualifier:
            project.fields.setdefault("qualifier", money.qualifier)
        owner = re.search(r"由(" + ORG_RE.pattern + r")(?:投资|建设|实施)", text)
        if owner:
            project.fields.setdefault("owner", owner.group(1))
        used_money.add((sentence.start + money.start, sentence.start + money.end))
    # Milestones: a named project directly followed by 开工/竣工/投产, on a day the text names.
    dates = [d for d in find_dates(text, context.published, context.article.year) if d.date is not None]
    for start, end, name in names:
        rest = text[end: end + 24]
        match = re.match(r"(?:今天|昨天|今日|昨日)?(?:[（(][^）)]{0,10}[）)])?(?:在[^，。]{0,10})?(?:正式|顺利|全面)?(" +  # noqa: E501 (Chinese text is double width)
                         MILESTONE_RE.pattern + ")", rest)
        if match is None or not dates or PLANNED_RE.search(text[:start]):
            continue
        project = found.get(name) or _Project(name, sentence)
        found[name] = project
        project.fields.setdefault("milestone", MILESTONE_OF[match.group(1)])
        date = dates[-1] if dates[-1].start < end + match.end() else dates[0]
        project.fields.setdefault("date", date.date.isoformat() if date.date else None)
        if date.basis == "context":
            project.fields.setdefault("date_basis", "context")
    if not found and known and re.match(r"(?:该|这个)?(?:项目|工程)|(?:建成|达产|投产)后", text):
        # 项目达产后，可实现年产值30亿元: the sentence goes on about the project just named.
        previous_value = known[-1].fields.get("annual_output_value_wan")
        _output_value(text, known[-1])
        if known[-1].fields.get("annual_output_value_wan") != previous_value:
            known[-1].sentences.append(sentence)
    for project in found.values():
        project.sentences.append(sentence)
        owner = ORG_RE.match(project.name)
        if owner and "owner" not in project.fields:
            project.fields["owner"] = owner.group(0)
        capacity = CAPACITY_RE.search(project.name) or CAPACITY_RE.search(text)
        if capacity:
            project.fields.setdefault("capacity", capacity.group(0))
        region, code = _project_region(context, project.name, sentence)
        project.fields.setdefault("region", region)
        project.fields.setdefault("region_code", code)
        _output_value(text, project)
    return list(found.values())


def _output_value(text: str, project: _Project) -> None:
    if "annual_output_value_wan" in project.fields:
        return
    for money in find_money(text):
        before = text[max(0, money.start - 8): money.start]
        if OUTPUT_KEY_RE.search(before):
            project.fields["annual_output_value_wan"] = json_number(money.wan)
            return


def _project_facts(projects: list[_Project]) -> list[Fact]:
    merged: list[_Project] = []
    for project in projects:
        same = next((p for p in merged if p.name == project.name or p.name in project.name or project.name in p.name),
                    None)
        if same is None:
            merged.append(project)
            continue
        for key, value in project.fields.items():
            if value is not None:
                same.fields.setdefault(key, value)
                if same.fields[key] is None:
                    same.fields[key] = value
        same.sentences.extend(s for s in project.sentences if s not in same.sentences)
    facts: list[Fact] = []
    for project in merged:
        if "investment_wan" not in project.fields and "milestone" not in project.fields:
            continue
        sentences = sorted(dict.fromkeys(project.sentences), key=lambda s: s.start)
        fields = {"name": project.name, **project.fields}
        facts.append(Fact("project", fields, " … ".join(s.text for s in sentences), sentences[0].start,
                          sentences[-1].end, [(s.start, s.end) for s in sentences]))
    return facts


# --- targets and pipeline statistics -------------------------------------------------------------------------------

_PLAN_RE = re.compile(r"将|计划|力争|确定|实施|聚焦|重点推动|谋划|选取|目标|确保")
_ANNUAL_TARGET_RE = re.compile(r"(?:完成(?:固定资产)?投资|年度计划投资|计划投资|年度投资|完成投资额)(?:达到|达|额)?$")


def _target(context: _Context, sentences: list[Sentence], used_money: set[tuple[int, int]]) -> Fact | None:
    fields: dict[str, Any] = {}
    evidence: list[Sentence] = []
    counts_seen: list[tuple[int, str]] = []  # (count, role: portfolio / universe / key)
    for sentence in sentences:
        text = sentence.text
        if not _PLAN_RE.search(text) or "项目" not in text:
            continue
        if re.search(r"截至|同比|占年度", text):
            continue
        used = False
        for money in find_money(text):
            if (sentence.start + money.start, sentence.start + money.end) in used_money or money.threshold:
                continue
            before = text[max(0, money.start - 12): money.start]
            after = text[money.end: money.end + 16]
            portfolio = re.match(r"的[^，。\d]{0,4}(\d+)个", after)
            if portfolio and re.search(r"总投资(?:达|约)?$", before):
                fields.setdefault("total_investment_wan", json_number(money.wan))
                counts_seen.append((int(portfolio.group(1)), "portfolio"))
                used = True
            elif _ANNUAL_TARGET_RE.search(before) and (PLANNED_RE.search(text[:money.start]) or "计划" in before or
                                                       "年度" in before):
                fields.setdefault("annual_investment_target_wan", json_number(money.wan))
                used = True
        for count in find_counts(text):
            if count.classifier not in "个":
                continue
            following = text[count.end: count.end + 16]
            noun = re.match(r"[^，。]{0,10}?项目", following)
            if noun is None:
                continue
            if any(value == count.value and role == "portfolio" for value, role in counts_seen):
                continue
            if re.match(r"[^，。]{0,6}项目[^，。]{0,6}(?:计划)?(?:投产|达产)", following):
                fields.setdefault("production_target_count", count.value)
                used = True
                continue
            if not (PLANNED_RE.search(text[:count.start]) or re.search(r"确定|选取|实施|聚焦|推动", text[:count.start])):  # noqa: E501 (Chinese text is double width)
                continue
            if re.search(r"确定了?$|共有$|共$", text[:count.start]):
                counts_seen.append((count.value, "universe"))
                used = True
            elif re.search(r"重点项目|重大项目", noun.group(0)):
                counts_seen.append((count.value, "key"))
                used = True
        if used:
            evidence.append(sentence)
    universe = [value for value, role in counts_seen if role in ("portfolio", "universe")]
    keys = [value for value, role in counts_seen if role == "key" and value not in universe]
    if universe:
        fields["project_count"] = universe[0]
    if keys:
        fields["key_project_count"] = keys[0]
    if len(fields) < 2 or not evidence:
        return None
    region, code = _article_region(context, evidence)
    if region is None:
        return None
    fields = {"region": region, "region_code": code, "year": context.article.year, **fields}
    return Fact("target", fields, " … ".join(s.text for s in evidence), evidence[0].start, evidence[-1].end,
                [(s.start, s.end) for s in evidence])


def _article_region(context: _Context, sentences: list[Sentence]) -> tuple[str | None, str | None]:
    """The region a plan is about: a county named in it, else the article's own county, else its city."""
    mentions = [item for sentence in sentences for item in _region_mentions(context, sentence.text)]
    for level in ("county", "zone"):
        for _, region, code, place in mentions:
            if place is not None and place.level == level:
                return region, code
    home = context.home.get("county")
    if home is not None:
        return home.name, home.code
    for _, region, code, place in mentions:
        if place is not None and place.level == "city":
            return region, code
    city = context.home.get("city")
    if city is not None:
        return city.name, city.code
    return None, None


_PIPELINE = (
    ("signed_count", re.compile(r"新签约(?:项目)?(?P<n>\d+)个|新签约[^，。]{0,6}项目(?P<m>\d+)个")),
    ("started_count", re.compile(r"新(?:落地)?开工(?:项目)?(?P<n>\d+)个|新(?:落地)?开工[^，。]{0,6}项目(?P<m>\d+)个")),
)
_FUNDS_RE = re.compile(r"(?:新增|实际)?到位资金")


def _pipeline(context: _Context, sentence: Sentence) -> Fact | None:
    text = sentence.text
    fields: dict[str, Any] = {}
    for key, pattern in _PIPELINE:
        match = pattern.search(text)
        if match:
            fields[key] = int(match.group("n") or match.group("m"))
    for money in find_money(text):
        if _FUNDS_RE.search(text[max(0, money.start - 8): money.start]):
            fields["funds_in_place_wan"] = json_number(money.wan)
    if len(fields) < 2:
        return None
    year = context.article.year
    if year is not None and "去年" in text:
        year -= 1
    explicit_year = re.search(r"((?:19|20)\d{2})年(?!\d{1,2}月)", text)
    if explicit_year:
        year = int(explicit_year.group(1))
    places = _region_mentions(context, text)
    region, code = (places[0][1], places[0][2]) if places else _article_region(context, [sentence])
    fields = {"region": region, "region_code": code, "year": year, **fields}
    return Fact("pipeline_stat", fields, text, sentence.start, sentence.end, [(sentence.start, sentence.end)])


# --- the page ------------------------------------------------------------------------------------------------------

def extract_facts(page: CleanText, articles: list[Article], matcher: PlaceMatcher,
                  published: dt.date | None = None) -> list[Fact]:
    """All facts of a page, in the order of the text."""
    page_home = home_places(matcher.find(page.text), matcher)
    facts: list[Fact] = []
    for article in articles:
        home = home_places(matcher.find(article.text + article.title), matcher)
        context = _Context(article, page, matcher, published, home, page_home)
        sentences = sentences_of(article)
        used_money: set[tuple[int, int]] = set()
        candidates: list[_Candidate] = []
        projects: list[_Project] = []
        for index, sentence in enumerate(sentences):
            context.sentence_index = index
            candidates.extend(_batch_events(context, sentence, used_money))
            projects.extend(_projects(context, sentence, used_money, projects))
            pipeline = _pipeline(context, sentence)
            if pipeline is not None:
                facts.append(pipeline)
            explicit = [d for d in find_dates(sentence.text, published, article.year) if d.date is not None]
            if explicit and explicit[-1].date is not None:
                context.last_date = (explicit[-1].date, explicit[-1].basis)
            places = [m for m in matcher.find(sentence.text) if m.place is not None]
            if places:
                context.last_place = places[-1]
            venue = _site_venue(sentence.text)
            if venue is not None:
                context.last_venue = (venue, index)
            context.previous_names = [name for _start, _end, name in _name_phrases(sentence.text)]
        facts.extend(_event_fact(group) for group in _merge_events(candidates))
        facts.extend(_project_facts(projects))
        target = _target(context, sentences, used_money)
        if target is not None:
            facts.append(target)
    facts.sort(key=lambda fact: (fact.start, FACT_KINDS.index(fact.kind)))
    return facts


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
