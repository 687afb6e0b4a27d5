"""XLSX export of a problem list and its statistics (XlsxWriter): frozen header, widths, overdue rows in red.

Headings and sheet names are in the active language; the data as stored."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from keyprojects.problems.models import Problem
from keyprojects.problems.selectors import StatRow

COLUMNS = [
    (pgettext_lazy("problem number", "编号"), 12),
    (_("项目"), 34),
    (_("区域"), 10),
    (pgettext_lazy("problem title", "问题"), 40),
    (_("类别"), 12),
    (_("渠道"), 8),
    (_("状态"), 8),
    (_("承办单位"), 24),
    (_("交办日期"), 11),
    (_("办理期限"), 11),
    (_("逾期天数"), 9),
    (_("督办次数"), 9),
    (_("升级"), 8),
    (_("提出人"), 12),
    (_("提出日期"), 11),
    (_("办结日期"), 11),
    (_("销号日期"), 11),
    (_("办理结果"), 40),
]
STAT_COLUMNS = [_("问题数"), _("未办结"), _("逾期"), _("已销号"), _("平均办结天数")]


def problems_xlsx(problems: Iterable[Problem], stats: dict[str, list[StatRow]], title: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    date = book.add_format({"border": 1, "num_format": "yyyy-mm-dd", "valign": "top"})
    late = book.add_format({"border": 1, "font_color": "#C00000", "bold": True, "valign": "top"})
    caption = book.add_format({"bold": True, "font_size": 14})

    sheet = book.add_worksheet(str(_("问题清单")))
    sheet.write(0, 0, title, caption)
    for col, (name, width) in enumerate(COLUMNS):
        sheet.write_string(1, col, str(name), head)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 2)
    row = 2
    for p in problems:
        values: list[str] = [
            p.number,
            p.project.name,
            p.project.region.name,
            p.title,
            p.get_category_display(),
            p.get_channel_display(),
            p.get_state_display(),
            p.assigned_unit.name if p.assigned_unit else "",
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, cell)
        for col, day in ((8, p.assigned_on), (9, p.deadline)):
            _write_date(sheet, row, col, day, date, cell)
        overdue = p.overdue_days
        if overdue:
            sheet.write_number(row, 10, overdue, late)
        else:
            sheet.write_blank(row, 10, None, cell)
        sheet.write_number(row, 11, p.supervise_count, cell)
        sheet.write_string(row, 12, p.get_escalation_display() if p.escalation else "", cell)
        sheet.write_string(row, 13, p.raised_by_label, cell)
        for col, day in ((14, p.raised_on), (15, p.resolved_on), (16, p.closed_on)):
            _write_date(sheet, row, col, day, date, cell)
        sheet.write_string(row, 17, p.resolution, cell)
        row += 1
    sheet.autofilter(1, 0, max(row - 1, 1), len(COLUMNS) - 1)

    for key, name, heading in (
        ("category", _("按类别统计"), _("类别")),
        ("region", _("按区域统计"), _("区域")),
        ("unit", _("按单位统计"), _("承办单位")),
    ):
        stat = book.add_worksheet(str(name))
        stat.set_column(0, 0, 26)
        stat.set_column(1, len(STAT_COLUMNS), 12)
        for col, label in enumerate([heading, *STAT_COLUMNS]):
            stat.write_string(0, col, str(label), head)
        for r, item in enumerate(stats[key], start=1):
            stat.write_string(r, 0, item.label, cell)
            for col, number in enumerate((item.total, item.open, item.overdue, item.closed), start=1):
                stat.write_number(r, col, number, cell)
            if item.mean_days_to_close is not None:
                stat.write_number(r, 5, float(item.mean_days_to_close), cell)
            else:
                stat.write_blank(r, 5, None, cell)
    book.close()
    return buffer.getvalue()


def _write_date(sheet: Any, row: int, col: int, day: dt.date | None, date: Any, cell: Any) -> None:
    if day is None:
        sheet.write_blank(row, col, None, cell)
    else:  # a calendar date in a spreadsheet cell: no time zone
        sheet.write_datetime(row, col, dt.datetime(day.year, day.month, day.day), date)  # noqa: DTZ001
