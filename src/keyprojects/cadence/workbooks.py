"""XLSX outputs of the cadence (XlsxWriter): the monthly bulletin, the quarterly summary, the assessment and an
observation round's results. Every sheet has a title row, a frozen header row, number formats (万元 with thousands
separators, scores with one decimal, rates as percentages) and the 蓝黄红 cards as coloured cells.

Official Chinese government documents: they stay Chinese whatever the UI language (built under
translation.override("zh-hans")); nothing here is translated."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import override
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from keyprojects.cadence.assessment import COMPONENT_LABELS, COMPONENTS
from keyprojects.cadence.bulletin import BulletinData
from keyprojects.cadence.figures import Rollup
from keyprojects.cadence.observation import plain
from keyprojects.cadence.periods import cn_date
from keyprojects.cadence.selectors import AssessmentReport, RoundView
from keyprojects.cadence.summary import QuarterlySummary

CARD_FILLS = {"blue": "#0D6EFD", "yellow": "#FFC107", "red": "#DC3545"}
CARD_TINTS = {"blue": "#CFE2FF", "yellow": "#FFF3CD", "red": "#F8D7DA"}
CARD_LABELS = {"blue": "蓝牌", "yellow": "黄牌", "red": "红牌"}


@dataclass
class Col:
    header: str
    width: float
    value: Callable[[Any], Any]
    fmt: str = "text"  # text | int | wan | score | rate | blue | yellow | red


class Book:
    """A workbook with the house formats."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book: Workbook = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        b = self.book
        base = {"border": 1, "valign": "vcenter", "font_name": "宋体", "font_size": 11}
        self.title = b.add_format({"bold": True, "font_size": 16, "font_name": "黑体"})
        self.subtitle = b.add_format({"font_size": 11, "font_color": "#555555"})
        self.head = b.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "align": "center", "font_name": "黑体"}
        )
        self.formats = {
            "text": b.add_format({**base, "text_wrap": True}),
            "center": b.add_format({**base, "align": "center"}),
            "int": b.add_format({**base, "num_format": "0", "align": "center"}),
            "wan": b.add_format({**base, "num_format": "#,##0.00"}),
            "score": b.add_format({**base, "num_format": "0.0"}),
            "rate": b.add_format({**base, "num_format": "0.0%"}),
        }
        for colour, tint in CARD_TINTS.items():
            self.formats[colour] = b.add_format({**base, "num_format": "0", "align": "center", "bg_color": tint})
        self.card_heads = {
            colour: b.add_format(
                {
                    **base,
                    "bold": True,
                    "align": "center",
                    "bg_color": fill,
                    "font_color": "#212529" if colour == "yellow" else "#FFFFFF",
                    "font_name": "黑体",
                }
            )
            for colour, fill in CARD_FILLS.items()
        }
        self.total_row = b.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
        self.big_label = b.add_format({"align": "center", "font_size": 11, "font_color": "#555555", "border": 1})
        self.big_value = b.add_format(
            {"align": "center", "bold": True, "font_size": 20, "border": 1, "num_format": "#,##0.00"}
        )
        self.big_int = b.add_format({"align": "center", "bold": True, "font_size": 20, "border": 1, "num_format": "0"})
        self.big_rate = b.add_format(
            {"align": "center", "bold": True, "font_size": 20, "border": 1, "num_format": "0.0%"}
        )
        self.big_cards = {
            colour: b.add_format(
                {
                    "align": "center",
                    "bold": True,
                    "font_size": 20,
                    "border": 1,
                    "bg_color": fill,
                    "font_color": "#212529" if colour == "yellow" else "#FFFFFF",
                }
            )
            for colour, fill in CARD_FILLS.items()
        }

    def table(
        self,
        name: str,
        title: str,
        subtitle: str,
        cols: Sequence[Col],
        rows: Sequence[Any],
        total: Any | None = None,
    ) -> Worksheet:
        """Title in row 1, subtitle in row 2, header in row 3 (frozen with the first two columns), then the rows."""
        sheet = self.book.add_worksheet(name)
        sheet.write(0, 0, title, self.title)
        sheet.write(1, 0, subtitle, self.subtitle)
        header = 2
        sheet.set_row(header, 32)
        for c, col in enumerate(cols):
            fmt = self.card_heads.get(col.fmt, self.head)
            sheet.write(header, c, col.header, fmt)
            sheet.set_column(c, c, col.width)
        for r, row in enumerate(rows, start=header + 1):
            for c, col in enumerate(cols):
                self.cell(sheet, r, c, col.value(row), col.fmt)
        last = header + len(rows)
        if total is not None:
            last += 1
            for c, col in enumerate(cols):
                value = col.value(total)
                if c == 0:
                    sheet.write(last, c, "合计", self.total_row)
                else:
                    self.cell(sheet, last, c, value, col.fmt)
        sheet.freeze_panes(header + 1, min(2, len(cols)))
        sheet.autofilter(header, 0, max(header + len(rows), header), len(cols) - 1)
        return sheet

    def cell(self, sheet: Worksheet, r: int, c: int, value: Any, fmt: str) -> None:
        style = self.formats["center" if fmt == "center" else fmt]
        if value is None or value == "":
            sheet.write_blank(r, c, None, style)
        elif fmt in ("text", "center"):
            sheet.write_string(r, c, str(value), style)
        else:
            sheet.write_number(r, c, float(value), style)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def rate(value: Decimal | None) -> Decimal | None:
    """A percentage (85.6) as the fraction Excel formats as 85.6%."""
    return None if value is None else value / 100


def rollup_cols(first: str, extra: Sequence[Col] = ()) -> list[Col]:
    return [
        Col("排名", 6, lambda g: g.rank, "int"),
        Col(first, 22, lambda g: g.label),
        *extra,
        Col("项目数", 8, lambda g: g.plan.projects, "int"),
        Col("蓝牌", 7, lambda g: g.cards.blue, "blue"),
        Col("黄牌", 7, lambda g: g.cards.yellow, "yellow"),
        Col("红牌", 7, lambda g: g.cards.red, "red"),
        Col("平均得分", 9, lambda g: g.cards.mean_score, "score"),
        Col("年度计划投资（万元）", 16, lambda g: g.plan.plan_wan, "wan"),
        Col("序时计划投资（万元）", 16, lambda g: g.plan.due_wan, "wan"),
        Col("本年完成投资（万元）", 16, lambda g: g.plan.done_wan, "wan"),
        Col("序时进度完成率", 12, lambda g: rate(g.plan.rate_due), "rate"),
        Col("年度计划完成率", 12, lambda g: rate(g.plan.rate_year), "rate"),
    ]


def _overview(book: Book, sheet: Worksheet, row: int, total: Rollup) -> int:
    """The big cards: projects, plan, completed, completion against the plan due, and the three colours."""
    cards: list[tuple[str, Any, Any]] = [
        ("列入计划项目（个）", total.plan.projects, book.big_int),
        ("年度计划投资（亿元）", total.plan.plan_wan / 10000, book.big_value),
        ("本年完成投资（亿元）", total.plan.done_wan / 10000, book.big_value),
        ("序时进度完成率", rate(total.plan.rate_due), book.big_rate),
        ("蓝牌（个）", total.cards.blue, book.big_cards["blue"]),
        ("黄牌（个）", total.cards.yellow, book.big_cards["yellow"]),
        ("红牌（个）", total.cards.red, book.big_cards["red"]),
    ]
    for c, (label, value, fmt) in enumerate(cards):
        sheet.set_column(c, c, 18)
        sheet.write(row, c, label, book.big_label)
        if value is None:
            sheet.write_blank(row + 1, c, None, fmt)
        else:
            sheet.write_number(row + 1, c, float(value), fmt)
    sheet.set_row(row + 1, 36)
    return row + 3


@override("zh-hans")
def bulletin_xlsx(data: BulletinData) -> bytes:
    book = Book()
    week = data.week
    when = f"{data.doc_number}  {cn_date(data.issued_on)}" + (f"  评价周：{week.label}" if week else "")
    sheet = book.book.add_worksheet("通报概况")
    sheet.write(0, 0, data.title, book.title)
    sheet.write(1, 0, when, book.subtitle)
    row = _overview(book, sheet, 3, data.total)
    p = data.problems
    sheet.write(row, 0, "问题办理", book.head)
    sheet.write(row, 1, "个数", book.head)
    for i, (label, value) in enumerate(
        [
            ("本月新提出", p.raised),
            ("其中直通车", p.direct),
            ("本月办结", p.resolved),
            ("本月销号", p.closed),
            ("月末未办结", p.open_at_end),
            ("月末逾期", p.overdue_at_end),
            ("列入约谈名单", p.summoned),
        ],
        start=row + 1,
    ):
        sheet.write(i, 0, label, book.formats["text"])
        sheet.write_number(i, 1, value, book.formats["int"])
    sheet.freeze_panes(3, 0)

    if data.regions:
        book.table(
            "区域排名",
            f"{data.subregions_word}重点项目推进情况排名",
            f"{data.month.label}；按本月平均得分排序",
            rollup_cols("区域"),
            data.regions,
            total=data.total,
        )
    book.table(
        "责任单位排名",
        "责任单位重点项目推进情况排名",
        f"{data.month.label}；按本月平均得分排序",
        rollup_cols("责任单位", [Col("所属区域", 12, lambda g: g.extra.get("region", ""), "center")]),
        data.units,
    )
    book.table(
        "红牌项目",
        f"{data.month.label}红牌项目名单",
        f"第{week.week}周评价结果，共{len(data.red)}个" if week else "",
        [
            Col("序号", 6, lambda r: r[0], "int"),
            Col("项目编号", 16, lambda r: r[1].code),
            Col("项目名称", 36, lambda r: r[1].name),
            Col("区域", 10, lambda r: r[1].region, "center"),
            Col("责任单位", 22, lambda r: r[1].unit),
            Col("包靠领导", 10, lambda r: r[1].leader, "center"),
            Col("得分", 8, lambda r: r[1].score, "score"),
            Col("连续红牌周数", 10, lambda r: r[1].red_weeks, "red"),
            Col("主要原因", 60, lambda r: "；".join(r[1].reasons)),
        ],
        list(enumerate(data.red, start=1)),
    )
    return book.close()


@override("zh-hans")
def quarterly_xlsx(summary: QuarterlySummary) -> bytes:
    book = Book()
    sheet = book.book.add_worksheet("总体情况")
    sheet.write(0, 0, summary.title, book.title)
    sheet.write(1, 0, f"截至{cn_date(summary.quarter.last)}", book.subtitle)
    row = _overview(book, sheet, 3, summary.total)
    extra = summary.total.extra
    milestone_rows = (("本季度开工", "starts"), ("本季度竣工", "completions"), ("本季度投产", "productions"))
    for i, (label, key) in enumerate(milestone_rows):
        sheet.write(row + i, 0, label, book.formats["text"])
        sheet.write_number(row + i, 1, extra.get(key, 0), book.formats["int"])
    sheet.freeze_panes(3, 0)
    milestones = [
        Col("本季度开工", 10, lambda g: g.extra.get("starts", 0), "int"),
        Col("本季度竣工", 10, lambda g: g.extra.get("completions", 0), "int"),
        Col("本季度投产", 10, lambda g: g.extra.get("productions", 0), "int"),
    ]
    for key, heading, rows in summary.dimensions():
        cols = rollup_cols(heading.removeprefix("按").split("（")[0], milestones if key == "region" else [])
        if key != "region":
            cols = cols[1:]  # no ranking by industry, category or stage
        subtitle = f"截至{cn_date(summary.quarter.last)}"
        book.table(heading, f"{summary.title}——{heading}", subtitle, cols, rows, total=summary.total)
    book.table(
        "月度进度",
        "本年完成投资与序时计划（逐月）",
        "万元；月末数",
        [
            Col("月份", 8, lambda m: m[0], "center"),
            Col("序时计划投资（万元）", 18, lambda m: m[1].due_wan, "wan"),
            Col("本年完成投资（万元）", 18, lambda m: m[1].done_wan, "wan"),
            Col("序时进度完成率", 14, lambda m: rate(m[1].rate_due), "rate"),
        ],
        summary.months,
    )
    return book.close()


def _component(name: str) -> Callable[[Any], Any]:
    return lambda row: row.result.values[name]


def _criterion_mean(pk: int) -> Callable[[Any], Any]:
    return lambda result: result.criterion_means.get(pk)


@override("zh-hans")
def assessment_xlsx(report: AssessmentReport) -> bytes:
    book = Book()
    w = report.weights
    weights = "，".join(f"{COMPONENT_LABELS[c]}{plain(w.weight(c))}" for c in COMPONENTS)
    detail = "所属区域" if report.kind == "unit" else "职务"
    cols = [
        Col("排名", 6, lambda r: r.rank, "int"),
        Col(report.kind_label, 24, lambda r: r.name),
        Col(detail, 18, lambda r: r.detail),
        Col("项目数", 8, lambda r: r.projects, "int"),
        Col("评价项目周次", 10, lambda r: r.inputs.rated_weeks, "int"),
        Col("蓝牌周次", 8, lambda r: r.inputs.blue_weeks, "blue"),
        Col("红牌周次", 8, lambda r: r.inputs.red_weeks, "red"),
        Col("到期问题", 8, lambda r: r.inputs.problems_due, "int"),
        Col("按期办结", 8, lambda r: r.inputs.problems_on_time, "int"),
        *[Col(COMPONENT_LABELS[c], 11, _component(c), "score") for c in COMPONENTS],
        Col("综合得分", 10, lambda r: r.result.total, "score"),
        Col("等次", 8, lambda r: r.result.grade, "center"),
    ]
    book.table(
        f"{report.kind_label}考核",
        f"{report.region.name}重点项目{report.kind_label}绩效考核（{cn_date(report.start)}—{cn_date(report.end)}）",
        f"权重：{weights}（{w.source}）；等次：优秀≥{plain(w.excellent_min)}，良好≥{plain(w.good_min)}，"
        f"一般≥{plain(w.fair_min)}",
        cols,
        report.rows,
    )
    return book.close()


@override("zh-hans")
def round_xlsx(view: RoundView) -> bytes:
    book = Book()
    round_ = view.round
    criteria = view.criteria
    cols = [
        Col("排名", 6, lambda r: r.rank, "int"),
        Col("观摩对象", 34, lambda r: r.target.name),
        Col("所在区域", 12, lambda r: r.target.project.region.name if r.target.project_id else "", "center"),
        *[Col(f"{c.name}（{plain(c.weight)}）", 12, _criterion_mean(c.pk), "score") for c in criteria],
        Col("评委评分", 30, lambda r: "、".join(plain(t) for t in sorted(r.totals, reverse=True))),
        Col("去掉最高分", 10, lambda r: r.trimmed.dropped_high, "score"),
        Col("去掉最低分", 10, lambda r: r.trimmed.dropped_low, "score"),
        Col("最终得分", 10, lambda r: r.result, "score"),
    ]
    book.table(
        "观摩结果",
        f"{round_.title}评分结果",
        f"{cn_date(round_.held_on)}；评委{len(view.panel)}人，去掉一个最高分和一个最低分后取平均",
        cols,
        view.results,
    )
    sheets = sorted(view.sheets.values(), key=lambda s: (s.target.order, s.member_id))
    book.table(
        "评委点评",
        f"{round_.title}评委点评",
        "",
        [
            Col("观摩对象", 34, lambda s: s.target.name),
            Col("评委", 14, lambda s: str(s.member.user), "center"),
            Col("加权得分", 10, lambda s: s.total, "score"),
            Col("点评", 70, lambda s: s.comment),
        ],
        sheets,
    )
    return book.close()
