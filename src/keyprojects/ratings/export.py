"""The weekly list (每周梳理) as XLSX: the filtered rows as shown, colour cells filled."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keyprojects.ratings.choices import Colour
from keyprojects.ratings.models import WeeklyRating
from keyprojects.reports.i18n import join_messages
from keyprojects.reports.weeks import IsoWeek

FILLS = {Colour.BLUE: "#0D6EFD", Colour.YELLOW: "#FFC107", Colour.RED: "#DC3545", Colour.NONE: "#ADB5BD"}
HEADERS = [  # msgids: written in the reader's language
    gettext_noop("序号"),
    gettext_noop("项目编号"),
    gettext_noop("项目名称"),
    gettext_noop("区域"),
    gettext_noop("责任单位"),
    gettext_noop("包靠领导"),
    gettext_noop("得分"),
    gettext_noop("较上周"),
    gettext_noop("组内排名"),
    gettext_noop("颜色"),
    gettext_noop("计算颜色"),
    gettext_noop("原因"),
]


def weekly_xlsx(title: str, week: IsoWeek, rows: Iterable[WeeklyRating]) -> bytes:
    """The sheet in the reader's language: headings, labels and the stored reasons translated."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(f"{week}")
    bold = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "align": "center"})
    cell = book.add_format({"border": 1, "valign": "top"})
    wrap = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    number = book.add_format({"border": 1, "num_format": "0.0", "valign": "top"})
    change = book.add_format({"border": 1, "num_format": "+0.0;-0.0;0", "valign": "top"})
    colour_formats = {
        c: book.add_format(
            {
                "border": 1,
                "bg_color": fill,
                "font_color": "#000000" if c == Colour.YELLOW else "#FFFFFF",
                "bold": True,
                "align": "center",
                "valign": "top",
            }
        )
        for c, fill in FILLS.items()
    }
    sheet.write(0, 0, _("%(title)s %(week)s 重点项目每周梳理") % {"title": title, "week": week.display_label}, bold)
    for col, text in enumerate(HEADERS):
        sheet.write(2, col, _(text), head)
    r = 3
    for i, rating in enumerate(rows, start=1):
        project = rating.project
        sheet.write(r, 0, i, cell)
        sheet.write(r, 1, project.code, cell)
        sheet.write(r, 2, project.name, wrap)
        sheet.write(r, 3, project.region.name, cell)
        sheet.write(r, 4, project.unit.name if project.unit else "", wrap)
        sheet.write(r, 5, project.leader.name if project.leader else "", cell)
        for col, value, fmt in ((6, rating.score, number), (7, rating.score_change, change)):
            if value is None:
                sheet.write_blank(r, col, None, cell)
            else:
                sheet.write_number(r, col, value, fmt)
        sheet.write(r, 8, f"{rating.rank}/{rating.group_size}" if rating.rank else "", cell)
        sheet.write(r, 9, str(Colour(rating.colour).label), colour_formats[Colour(rating.colour)])
        sheet.write(r, 10, str(Colour(rating.computed_colour).label), cell)
        sheet.write(r, 11, join_messages(reason.text for reason in rating.shown_reasons), wrap)
        r += 1
    for col, width in enumerate([6, 16, 36, 10, 24, 10, 8, 8, 10, 8, 10, 60]):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 3)
    sheet.autofilter(2, 0, max(r - 1, 2), len(HEADERS) - 1)
    book.close()
    return out.getvalue()
