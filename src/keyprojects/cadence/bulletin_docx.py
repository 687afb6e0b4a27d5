"""The monthly bulletin as a DOCX in the layout of a government document (GB/T 9704-2012 党政机关公文格式).

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm); 22 lines of 28 characters
  (line pitch 28.95 pt, character grid).
- 版头: the issuing office's name (发文机关标志) in red 方正小标宋简体, the document number (发文字号) centred two lines
  below, and the red rule (版头中的分隔线) 4 mm under it across the 版心.
- 标题 二号方正小标宋简体, centred, in two lines shaped like a trapezoid; 主送机关; 正文 三号仿宋_GB2312, first lines
  indented two characters; headings 一、 in 黑体, （一） in 楷体_GB2312; tables with a caption, a repeated header row.
- 附件说明, 发文机关署名 and 成文日期 (right, four characters from the margin), 附件 on a new page, 版记 (抄送,
  印发) at the end between rules; page numbers "— 1 —" in 四号宋体, odd pages right and even pages left, one
  character in.

Font names are written for the East-Asian script as well (w:eastAsia), which is what Word and WPS use for Chinese text;
a machine without the fonts substitutes its own (LibreOffice: Noto CJK), the layout stays.


Official Chinese government documents: they stay Chinese whatever the UI language (built under
translation.override("zh-hans")); nothing here is translated."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import override
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from keyprojects.cadence.bulletin import COPY_TO, BulletinData
from keyprojects.cadence.figures import Rollup
from keyprojects.cadence.periods import cn_date

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm 版心
TEXT_WIDTH_MM = 156
CN_NUMBERS = "一二三四五六七八九十"
RED_LIST_WIDTHS = [11, 50, 18, 32, 16, 12, 14, 72]  # landscape: the 版心 is 225 mm wide
COLOPHON_SPACER_MM = 188  # 225 mm 版心 − the 版记's two rows and some air
TWIPS_PER_MM = 56.6929
CELL_MARGIN_TWIPS = 45  # 0.8 mm left and right, so that two characters fit in 11 mm


# --- low-level formatting ---------------------------------------------------------------------------------------------


def set_fonts(element: Any, name: str) -> None:
    """Write `name` for every script of a run or style (w:ascii, w:hAnsi, w:eastAsia, w:cs), no theme fonts."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def run(paragraph: Paragraph, text: str, font: str = FANGSONG, size: float = BODY_PT, **style: Any) -> Any:
    r = paragraph.add_run(text)
    set_fonts(r._element, font)
    r.font.size = Pt(size)
    if style.get("color") is not None:
        r.font.color.rgb = style["color"]
    if style.get("scale"):
        w = OxmlElement("w:w")
        w.set(qn("w:val"), str(style["scale"]))
        r._element.get_or_add_rPr().append(w)
    if style.get("spacing") is not None:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(int(style["spacing"] * 20)))
        r._element.get_or_add_rPr().append(spacing)
    return r


def paragraph(
    doc: Any,
    text: str = "",
    font: str = FANGSONG,
    size: float = BODY_PT,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent_chars: float = 0,
    line: Any = LINE_PITCH,
    **style: Any,
) -> Paragraph:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(style.pop("before", 0))
    fmt.space_after = Pt(style.pop("after", 0))
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    if indent_chars:
        fmt.first_line_indent = Pt(BODY_PT * indent_chars)
    if "right_chars" in style:
        fmt.right_indent = Pt(BODY_PT * style.pop("right_chars"))
    if "left_chars" in style:
        fmt.left_indent = Pt(BODY_PT * style.pop("left_chars"))
    if text:
        run(p, text, font, size, **style)
    return p


def border(p: Paragraph, side: str, size_eighths: int, color: str = "000000", space: int = 1) -> None:
    ppr = p._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def no_grid(p: Paragraph) -> None:
    """Lines of tables and small print keep their own height instead of snapping to the 28.95 pt document grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(snap)


def em(text: str) -> float:
    """Width in characters: CJK one, Latin letters and digits a half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def page_number_footer(footer: Any, align: Any) -> None:
    p = footer.paragraphs[0]
    p.paragraph_format.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    run(p, "— ", SONGTI, 14)
    r = run(p, "", SONGTI, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._element.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            r._element.append(t)
    run(p, " —", SONGTI, 14)


def setup(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    normal = doc.styles["Normal"]
    set_fonts(normal.element, FANGSONG)
    normal.font.size = Pt(BODY_PT)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FANGSONG)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    doc.core_properties.language = "zh-CN"


# --- tables -----------------------------------------------------------------------------------------------------------


def table(
    doc: DocumentType,
    headers: Sequence[str],
    widths_mm: Sequence[float],
    rows: Iterable[Sequence[str]],
    align: Sequence[str],
    size: float = 12,
) -> Table:
    """A table across the 版心: header row in 黑体 (repeated on every page), cells in 仿宋. Rows are added by copying a
    formatted template row, so that thousands of rows take a moment, not minutes."""
    t = doc.add_table(rows=2, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    t._tbl.tblPr.append(margins)
    for row_index, row in enumerate(t.rows):
        tr_pr = row._tr.get_or_add_trPr()
        if row_index == 0:
            header_flag = OxmlElement("w:tblHeader")
            tr_pr.append(header_flag)
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        for col, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[col])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1)
            no_grid(p)
            if row_index == 0:
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.keep_with_next = True  # never a header alone at the foot of a page
                run(p, headers[col], HEITI, size)
            else:
                p.paragraph_format.alignment = {
                    "l": WD_ALIGN_PARAGRAPH.LEFT,
                    "c": WD_ALIGN_PARAGRAPH.CENTER,
                    "r": WD_ALIGN_PARAGRAPH.RIGHT,
                }[align[col]]
                run(p, "x", FANGSONG, size)
    grid = t._tbl.tblGrid
    for col, gc in enumerate(grid.findall(qn("w:gridCol"))):
        gc.set(qn("w:w"), str(int(widths_mm[col] * TWIPS_PER_MM)))
    # A fixed layout of the given total width: LibreOffice and WPS otherwise fit the table to its text.
    width = t._tbl.tblPr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        t._tbl.tblPr.append(width)
    width.set(qn("w:w"), str(int(sum(widths_mm) * TWIPS_PER_MM)))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    template = t.rows[1]._tr
    body = template.getparent()
    body.remove(template)
    texts_xpath = f"./{qn('w:tc')}/{qn('w:p')}/{qn('w:r')}/{qn('w:t')}"
    for values in rows:
        tr = copy.deepcopy(template)
        for node, value in zip(tr.findall(texts_xpath), values, strict=True):
            node.text = value
        body.append(tr)
    return t


def caption(doc: DocumentType, text: str) -> None:
    p = paragraph(doc, text, HEITI, 14, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    p.paragraph_format.keep_with_next = True


def yi(value: Decimal | None) -> str:
    """万元 → 亿元 with two decimals."""
    return "" if value is None else f"{value / 10000:,.2f}"


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def score(value: Any) -> str:
    return "—" if value is None else f"{Decimal(str(value)):.1f}"


# --- the document -----------------------------------------------------------------------------------------------------


@dataclass
class Numbers:
    """Headings (一、二、…) and tables (表1, 表2 …) are numbered as they are written: a section may be left out."""

    heading: int = 0
    table: int = 0

    def next_table(self) -> int:
        self.table += 1
        return self.table


def heading(doc: DocumentType, numbers: Numbers, text: str) -> None:
    numbers.heading += 1
    p = paragraph(doc, f"{CN_NUMBERS[numbers.heading - 1]}、{text}", HEITI, indent_chars=2)
    p.paragraph_format.keep_with_next = True


def subheading(doc: DocumentType, number: int, text: str, rest: str) -> Paragraph:
    p = paragraph(doc, f"（{CN_NUMBERS[number - 1]}）{text}", KAITI, indent_chars=2)
    run(p, rest)
    return p


def text(doc: DocumentType, body: str) -> Paragraph:
    return paragraph(doc, body, indent_chars=2)


def addressees(data: BulletinData) -> str:
    level = data.region.level
    if level == "province":
        return "各市人民政府，省直有关部门："
    if level == "city":
        return "各县市区人民政府、市属开发区管委会，市直有关部门："
    return "各镇人民政府、街道办事处，区直有关部门："


def title_lines(data: BulletinData) -> list[str]:
    """Two lines, the upper longer (正梯形): “关于2024年3月份全市重点项目” / “建设情况的通报”."""
    return [f"关于{data.month.year}年{data.month.month}月份{data.area}重点项目", "建设情况的通报"]


def masthead(doc: DocumentType, data: BulletinData) -> None:
    name = f"{data.issuer}文件"
    size = 36.0
    scale = min(100, int(TEXT_WIDTH_MM * 2.8346 * 0.97 / (em(name) * size) * 100))
    top = paragraph(doc, line=Emu(Mm(35) - Pt(12)))  # the red name starts 35 mm below the 版心 top
    no_grid(top)
    center = WD_ALIGN_PARAGRAPH.CENTER
    head = paragraph(doc, name, XIAOBIAOSONG, size, align=center, line=Pt(50), color=RED, scale=scale)
    no_grid(head)
    paragraph(doc)
    number = paragraph(doc, data.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    border(number, "bottom", 12, "FF0000", space=11)  # 1.5 pt red rule 4 mm under the document number
    paragraph(doc)
    for line in title_lines(data):
        t = paragraph(doc, line, XIAOBIAOSONG, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
        no_grid(t)
    paragraph(doc)
    paragraph(doc, addressees(data))


def overview(doc: DocumentType, data: BulletinData, numbers: Numbers) -> None:
    total, week = data.total, data.week
    heading(doc, numbers, "总体情况")
    cards = total.cards
    plan = total.plan
    sentence = (
        f"截至{cn_date(data.month.last)}，{data.area}列入{data.month.year}年度计划的重点项目{plan.projects}个，"
        f"年度计划投资{yi(plan.plan_wan)}亿元，本年累计完成投资{yi(plan.done_wan)}亿元，"
        f"占年度计划的{pct(plan.rate_year)}，为序时进度的{pct(plan.rate_due)}。"
    )
    if week is not None and cards.rated:
        sentence += (
            f"按第{week.week}周（{week.monday.month}月{week.monday.day}日—{week.sunday.month}月{week.sunday.day}日）"
            f"评价结果，亮蓝牌{cards.blue}个、黄牌{cards.yellow}个、红牌{cards.red}个；"
            f"本月{len(data.weeks)}周平均得分{score(cards.mean_score)}分。"
        )
    else:
        sentence += "本月尚无每周评价结果。"
    text(doc, sentence)


def region_section(doc: DocumentType, data: BulletinData, numbers: Numbers) -> None:
    """Left out when the region's projects all sit at the region itself (a district without town-level projects):
    a ranking of one is no ranking; the units' ranking follows in any case."""
    if not data.regions:
        return
    heading(doc, numbers, f"{data.subregions_word}推进情况")
    ranked = [r for r in data.regions if r.rank is not None]
    if len(ranked) > 3:
        best = "、".join(r.label for r in ranked[:3])
        worst = "、".join(r.label for r in ranked[-3:])
        sentence = f"按本月平均得分排序，{best}位列前三；{worst}排名靠后，须加大推进力度。"
    elif ranked:
        sentence = f"按本月平均得分排序，依次为{'、'.join(r.label for r in ranked)}。"
    else:
        sentence = "本月尚无评价结果。"
    number = numbers.next_table()
    text(doc, sentence + f"具体情况见表{number}。")
    caption(doc, f"表{number}  {data.subregions_word}重点项目推进情况排名")
    region_rows = [_region_row(r) for r in data.regions]
    table(
        doc,
        ["排名", "区域", "项目数", "蓝牌", "黄牌", "红牌", "平均得分", "年度计划（亿元）", "本年完成（亿元）", "序时进度完成率"],  # noqa: E501
        [11, 25, 14, 11, 11, 11, 18, 19, 19, 17],
        region_rows,
        "cccccccrrc",
        size=10.5,
    )


def unit_section(doc: DocumentType, data: BulletinData, numbers: Numbers) -> None:
    heading(doc, numbers, "责任单位推进情况")
    if not data.units:
        text(doc, "本月没有明确责任单位的项目评价结果。")
        return
    number = numbers.next_table()
    text(doc, f"{len(data.units)}个责任单位按本月平均得分排名见表{number}。")
    caption(doc, f"表{number}  责任单位重点项目推进情况排名")
    table(
        doc,
        ["排名", "责任单位", "所属区域", "项目数", "蓝牌", "黄牌", "红牌", "平均得分", "序时进度完成率"],
        [11, 42, 21, 14, 11, 11, 11, 18, 17],
        [_unit_row(r) for r in data.units],
        "clcccccrc",
        size=10.5,
    )


def _region_row(r: Rollup) -> list[str]:
    return [
        str(r.rank or "—"),
        r.label,
        str(r.plan.projects),
        str(r.cards.blue),
        str(r.cards.yellow),
        str(r.cards.red),
        score(r.cards.mean_score),
        yi(r.plan.plan_wan),
        yi(r.plan.done_wan),
        pct(r.plan.rate_due),
    ]


def _unit_row(r: Rollup) -> list[str]:
    return [
        str(r.rank or "—"),
        r.label,
        str(r.extra.get("region", "")),
        str(r.plan.projects),
        str(r.cards.blue),
        str(r.cards.yellow),
        str(r.cards.red),
        score(r.cards.mean_score),
        pct(r.plan.rate_due),
    ]


def red_section(doc: DocumentType, data: BulletinData, numbers: Numbers) -> None:
    heading(doc, numbers, "红牌项目情况")
    if not data.red:
        text(doc, "本月末无红牌项目。")
        return
    by_region: dict[str, int] = {}
    for item in data.red:
        by_region[item.region] = by_region.get(item.region, 0) + 1
    spread = "、".join(f"{name}{n}个" for name, n in sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0]))[:6])
    supervised = sum(1 for item in data.red if item.supervised)
    summoned = sum(1 for item in data.red if item.summoned)
    sentence = f"本月末红牌项目{len(data.red)}个，其中{spread}"
    sentence += "等。" if len(by_region) > 6 else "。"
    if supervised:
        sentence += f"连续亮红牌、已下发督办通知的{supervised}个"
        sentence += f"，其中经督办仍无明显进展、列入约谈名单的{summoned}个。" if summoned else "。"
    text(doc, sentence + "红牌项目名单见附件。")


def problem_section(doc: DocumentType, data: BulletinData, numbers: Numbers) -> None:
    heading(doc, numbers, "问题办理情况")
    p = data.problems
    sentence = (
        f"本月新提出问题{p.raised}个（其中直通车{p.direct}个），办结{p.resolved}个，销号{p.closed}个；"
        f"月末尚未办结{p.open_at_end}个，其中逾期{p.overdue_at_end}个，列入约谈名单{p.summoned}个。"
    )
    if p.open_by_category:
        sentence += "未办结问题主要集中在" + "、".join(f"{name}（{n}个）" for name, n in p.open_by_category[:4]) + "。"
    text(doc, sentence)


def requirements(doc: DocumentType, data: BulletinData, numbers: Numbers) -> Paragraph:
    heading(doc, numbers, "下步工作要求")
    subheading(
        doc,
        1,
        "压实推进责任。",
        "各级包靠领导和责任单位要对照年度计划和节点目标，逐项目梳理进度，红牌项目要制定整改措施，"
        "明确完成时限，确保尽快“转黄变蓝”。",
    )
    subheading(
        doc,
        2,
        "强化要素保障。",
        "对土地、资金、能耗、环境指标等制约项目建设的问题，相关部门要主动对接、靠前服务，"
        "按照问题闭环管理要求限时办结。",
    )
    return subheading(
        doc,
        3,
        "严格督导考核。",
        f"{data.issuer}将继续实行每周梳理、半月调度、每月通报，对经督办仍没有明显进展的项目，"
        "约谈责任单位和包靠领导；通报结果纳入年度综合绩效考核。",
    )


def keep_together(paragraphs: Iterable[Paragraph]) -> None:
    for p in paragraphs:
        p.paragraph_format.keep_with_next = True


def signature(doc: DocumentType, data: BulletinData, last_body: Paragraph) -> None:
    """附件说明, then 发文机关署名 and 成文日期, kept on the page of the body's last paragraph (a signature alone on a
    page is not allowed)."""
    lines = [paragraph(doc)]
    p = paragraph(doc, "附件：", left_chars=2)
    run(p, f"{data.month.year}年{data.month.month}月份红牌项目名单")
    lines += [p, paragraph(doc), paragraph(doc)]
    date = cn_date(data.issued_on)
    # 成文日期右空四字; 发文机关署名 centred over it.
    shift = max(0.0, 4 + (em(date) - em(data.issuer)) / 2)
    lines.append(paragraph(doc, data.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=shift))
    paragraph(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    keep_together([last_body, *lines])


def new_section(doc: DocumentType, landscape: bool) -> None:
    """A new page in portrait (the 版记 page) or landscape (the wide red list), the 版心 keeping its 156 × 225 mm."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
        section.footer_distance = Mm(12)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(22)


def attachment(doc: DocumentType, data: BulletinData) -> None:
    """附件: the red list on landscape pages (its reasons need the width)."""
    new_section(doc, landscape=True)
    paragraph(doc, "附件", HEITI)
    t = paragraph(
        doc,
        f"{data.month.year}年{data.month.month}月份红牌项目名单",
        XIAOBIAOSONG,
        TITLE_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(36),
    )
    no_grid(t)
    week = data.week
    note = f"（第{week.week}周评价结果，共{len(data.red)}个）" if week else ""
    paragraph(doc, note, KAITI, align=WD_ALIGN_PARAGRAPH.CENTER)
    rows = [
        [
            str(i),
            item.name,
            item.region,
            item.unit or "—",
            item.leader or "—",
            score(item.score),
            str(item.red_weeks),
            "；".join(item.reasons),
        ]
        for i, item in enumerate(data.red, start=1)
    ]
    table(
        doc,
        ["序号", "项目名称", "区域", "责任单位", "包靠领导", "得分", "连续红牌周数", "主要原因"],
        RED_LIST_WIDTHS,
        rows,
        "clclcccl",
        size=10.5,
    )


def colophon(doc: DocumentType, data: BulletinData) -> None:
    """版记 on a last page of its own, at its foot: 抄送 and 印发 between thick rules, a thin rule between them."""
    new_section(doc, landscape=False)
    # The page holds nothing else: an exact-height blank pushes the two rows (about 27 mm) to the 版心's foot.
    spacer = paragraph(doc, line=Mm(COLOPHON_SPACER_MM))
    no_grid(spacer)
    t = doc.add_table(rows=2, cols=1)
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", 8), ("bottom", 8), ("insideH", 4)):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size))
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    tbl_pr.append(borders)
    t._tbl.tblGrid.findall(qn("w:gridCol"))[0].set(qn("w:w"), str(int(TEXT_WIDTH_MM * 56.6929)))
    copy_to, printed = (row.cells[0] for row in t.rows)
    for cell in (copy_to, printed):
        cell.width = Mm(TEXT_WIDTH_MM)
    p = copy_to.paragraphs[0]
    p.paragraph_format.left_indent = Pt(14)
    p.paragraph_format.right_indent = Pt(14)
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(24)
    no_grid(p)
    run(p, "抄送：", size=14)
    run(p, COPY_TO, size=14)
    p = printed.paragraphs[0]
    p.paragraph_format.left_indent = Pt(14)
    p.paragraph_format.right_indent = Pt(14)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(24)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - Pt(28), alignment=WD_TAB_ALIGNMENT.RIGHT)
    no_grid(p)
    run(p, f"{data.issuer}\t{cn_date(data.issued_on)}印发", size=14)
    end = paragraph(doc, line=Pt(1), size=1)  # a document cannot end with a table; this one takes no room
    no_grid(end)


@override("zh-hans")
def bulletin_docx(data: BulletinData) -> bytes:
    doc = Document()
    setup(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag == qn("w:p"):
            body.remove(child)  # the template's empty first paragraph
    masthead(doc, data)
    text(
        doc,
        f"为进一步压实项目推进责任，根据重点项目建设“每周梳理、半月调度、每月通报、季度总结、半年观摩”工作机制，"
        f"现将{data.month.year}年{data.month.month}月份{data.area}重点项目建设情况通报如下：",
    )
    numbers = Numbers()
    overview(doc, data, numbers)
    region_section(doc, data, numbers)
    unit_section(doc, data, numbers)
    red_section(doc, data, numbers)
    problem_section(doc, data, numbers)
    last = requirements(doc, data, numbers)
    signature(doc, data, last)
    attachment(doc, data)
    colophon(doc, data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

