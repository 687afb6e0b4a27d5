"""Undo the artefacts of text extracted from newspaper PDFs and web pages. Pure: no database.

What a page looks like after ``pdftotext`` or a copy from a web page, and what :func:`clean` does about it:

* lines wrapped at the column width (``出口125.1⏎亿元``, ``记者 于⏎佳欣``) and sentences broken across a blank line
  at a column
  break (``助力潍坊⏎⏎发展``) are joined; paragraphs (indented lines) and headlines stay apart;
* headings with every character doubled (``招招引引聚聚势势`` → ``招引聚势``), vertical labels split over lines
  (``潍潍⏎城城`` → ``潍城``) and spaced-out characters (``进 一 步 提 振``, ``年产3 0 万吨``) are undone, while
  genuine repeats
  in running text (``天天``) and names in bylines (``张 蓓``) are left alone;
* half-width punctuation in Chinese text becomes full-width (``,`` → ``，``) except inside numbers (``1,500``,
  ``9:00``);
  stray spaces before punctuation go; traditional characters that never occur in simplified text are simplified (們 →
  们);
* site footers (ICP licence, copyright, report hotlines), sidebar timestamps of other articles and continuation marks
  (``（上接1版）``) are dropped;
* bylines and photo credits are removed from the text and kept as :class:`Byline` metadata.

Every character of the result knows its offset in the raw input (:mod:`keyprojects.intake.aligned`), so evidence
found in
the clean text can be shown at its place in the original report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from keyprojects.intake.aligned import Aligned, concat, literal

__all__ = ["Byline", "CleanText", "clean", "split_names", "undouble_line", "despace_line"]

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
TERMINAL = "。！？!?"
OPENING = "（(“‘《「『【"
CLOSING_PUNCT = "，。、；：！？）)”’》」』】"
ROLE_WORDS = ("记者", "通讯员", "摄影", "编辑")


@dataclass(frozen=True)
class Byline:
    """Who wrote or photographed an article; ``at`` is the offset in the clean text where the byline stood."""

    at: int
    raw_start: int
    raw_end: int
    text: str
    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanText:
    text: str
    pos: tuple[int, ...]
    bylines: tuple[Byline, ...] = field(default=())

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return Aligned(self.text, self.pos).raw_span(start, end)


# --- character level ------------------------------------------------------------------------------------------------
# ---

# Traditional characters that have no place in simplified text (a PDF font fallback or a quoted source leaves them).
# Pairs of (traditional, simplified); only characters that are never correct in simplified Chinese are listed.
_T2S_PAIRS = (
    "們们這这個个來来會会為为國国發发經经與与對对時时說说過过區区縣县項项資资產产業业開开設设關关實实現现進进"
    "動动東东萬万億亿點点陽阳電电華华書书長长車车門门場场號号體体學学廣广嚴严務务節节網网鄉乡鎮镇計计劃划據据"
    "記记間间問问題题讓让還还應应當当從从幾几頭头氣气後后處处內内聯联黨党員员協协導导領领織织團团隊队勞劳歸归"
    "確确義义農农廠厂貨货運运輸输齊齐魯鲁濰潍濟济臨临濱滨棗枣環环衛卫標标準准質质層层構构態态優优範范圍围"
    "辦办費费價价稅税財财銀银貸贷險险證证顧顾覽览傳传統统藝艺術术歷历園园鐵铁築筑線线橋桥樓楼陸陆總总預预驗验"
    "備备檢检測测認认獲获億亿樂乐濱滨壽寿邊边灣湾陝陕遼辽貴贵滬沪蘇苏廈厦龍龙"
)
_T2S = str.maketrans(dict(zip(_T2S_PAIRS[::2], _T2S_PAIRS[1::2], strict=True)))

_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                     *range(0xFF41, 0xFF5B)]}
_FULLWIDTH_ALNUM[0xFF05] = ord("%")
_FULLWIDTH_ALNUM[0xFF0E] = ord(".")
_FULLWIDTH_ALNUM.update({0x00A0: ord(" "), 0x2002: ord(" "), 0x2003: ord(" "), 0x2009: ord(" ")})
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\ufeff]|\r(?=\n)")


def _char_level(text: Aligned) -> Aligned:
    text = text.sub(_INVISIBLE_RE, "").sub(re.compile("\r"), "\n")
    # Length-preserving: full-width digits and letters become ASCII, odd spaces plain ones, traditional simplified.
    return Aligned(text.text.translate(_FULLWIDTH_ALNUM).translate(_T2S), text.pos)


_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.S | re.I)
_BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(p|div|br|li|h[1-6]|tr|section|article|header|footer|title)\b", re.I)
_ENTITY_RE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_LOOKS_HTML = re.compile(r"<\s*(html|body|p|div|br|span|h[1-6]|table|article)\b", re.I)


def _strip_html(text: Aligned) -> Aligned:
    def tag(match: re.Match[str]) -> str:
        return "\n" if _BLOCK_TAG_RE.match(match.group(0)) else ""

    text = text.sub(_TAG_RE, tag)
    return text.sub(_ENTITY_RE, lambda m: html.unescape(m.group(0)))


# --- line level -----------------------------------------------------------------------------------------------------
# ---

_FOOTER_RE = re.compile(
    r"ICP[备证]|公网安备|版权所有|Copyright|©|许可证编号|举报电话|举报邮箱|违法和不良信息|主办单位|技术支持|网站地图|"
    r"联系我们|责任编辑|扫一扫|分享到|^\s*[【\[]?(打印|关闭)(本页|窗口)?[】\]]?\s*$",
    re.I,
)
_TIMESTAMP_LINE_RE = re.compile(r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$")
_CONTINUATION_RE = re.compile(r"[（(]\s*(上接|下转|紧接|转|接)第?\s*[0-9一二三四五六七八九十]+\s*版\s*[）)]")
_MARKDOWN_RE = re.compile(r"\*\*|^#{1,6}\s+", re.M)
_BYLINE_LINE_HINT = re.compile(r"记者|通讯员|(报道|摄)\s*$")


def undouble_line(line: str) -> str:
    """``招招引引，，`` → ``招引，``: a line made entirely of doubled characters is a doubled heading or label.

    Only whole lines are undone, so a real repeat inside running text (天天, 常常) is never touched.
    """
    core = line.strip()
    if len(core) < 2 or len(core) % 2:
        return line
    if any(core[i] != core[i + 1] for i in range(0, len(core), 2)):
        return line
    if not _CJK_RE.search(core):
        return line
    head = line[: len(line) - len(line.lstrip())]
    return head + core[::2]


def despace_line(line: str) -> str:
    """``进 一 步 提 振`` → ``进一步提振``: characters spaced out to justify a line.

    A space goes when one of its neighbours is a single character and the line holds at least two such single
    characters;
    phrases separated by spaces in headlines (``挖潜力 强产业 保安全``) have none and stay as they are.
    """
    head = line[: len(line) - len(line.lstrip())]
    tokens = line.split()
    if sum(1 for token in tokens if len(token) == 1) < 2:
        return line
    out = tokens[0] if tokens else ""
    for previous, token in zip(tokens, tokens[1:], strict=False):
        out += token if len(previous) == 1 or len(token) == 1 else " " + token
    return head + out


def _is_indented(line: str) -> bool:
    lead = line[: len(line) - len(line.lstrip())]
    return sum(2 if ch == "\u3000" else 1 for ch in lead) >= 2


def _width(line: str) -> float:
    """Display width in columns of a Chinese character; the indentation counts, it fills the column too."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in line.rstrip())


_LEAD_RE = re.compile(r"^\s*(本报讯|本报[\u4e00-\u9fff]{1,4}讯|新华社|中新社|中新网|人民网|央视网消息|[\u4e00-\u9fff]{2,8}讯\s*[（(])")  # noqa: E501 (Chinese text is double width)


# --- the whole text -------------------------------------------------------------------------------------------------
# ---

def clean(raw: str) -> CleanText:
    """Clean one page of extracted text; see the module docstring."""
    text = Aligned.of(raw)
    if _LOOKS_HTML.search(raw):
        text = _strip_html(text)
    text = _char_level(text)
    text = text.sub(_MARKDOWN_RE, "")
    text = text.sub(_CONTINUATION_RE, "")
    lines = _split_lines(text)
    lines = [_fix_line(line) for line in lines]
    joined = _join_lines(lines)
    joined = _normalise_punctuation(joined)
    joined, bylines = _extract_bylines(joined)
    joined = _tidy(joined)
    return CleanText(joined.text, joined.pos, tuple(bylines))


def _split_lines(text: Aligned) -> list[Aligned | None]:
    """Lines of the page; ``None`` marks a blank line. Footers and sidebar timestamps are left out entirely."""
    result: list[Aligned | None] = []
    start = 0
    for index, char in enumerate(text.text + "\n"):
        if char != "\n":
            continue
        line = text[start:index]
        start = index + 1
        if not line.text.strip():
            result.append(None)
        elif _FOOTER_RE.search(line.text) or _TIMESTAMP_LINE_RE.match(line.text):
            continue
        else:
            result.append(line)
    return result


def _fix_line(line: Aligned | None) -> Aligned | None:
    if line is None:
        return None
    stripped = line.text.rstrip()
    undoubled = undouble_line(stripped)
    if undoubled != stripped:
        head = len(stripped) - len(stripped.lstrip())
        core = line[head:len(stripped)]
        return concat([line[:head], Aligned(core.text[::2], core.pos[::2])])
    if not _BYLINE_LINE_HINT.search(stripped):
        despaced = despace_line(stripped)
        if despaced != stripped:
            head = len(stripped) - len(stripped.lstrip())
            return concat([line[:head], _despace_aligned(line[head:len(stripped)])])
    return line[: len(stripped)]


def _despace_aligned(body: Aligned) -> Aligned:
    tokens = list(re.finditer(r"\S+", body.text))
    parts: list[Aligned] = []
    for index, token in enumerate(tokens):
        if index:
            previous = tokens[index - 1]
            if len(previous.group(0)) != 1 and len(token.group(0)) != 1:
                parts.append(body[previous.end():previous.end() + 1])
        parts.append(body[token.start():token.end()])
    return concat(parts)


def _blocks(lines: list[Aligned | None]) -> list[list[Aligned]]:
    blocks: list[list[Aligned]] = []
    current: list[Aligned] = []
    for line in lines:
        if line is None:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _block_width(block: list[Aligned]) -> float:
    widths = sorted(_width(line.text) for line in block)
    return widths[min(len(widths) - 1, int(len(widths) * 0.8))]


def _is_headline_block(block: list[Aligned]) -> bool:
    """One to three unindented lines without a full stop or a trailing comma, not all of one width (as a column is)."""
    if len(block) > 3 or any(
        "。" in line.text or line.text.rstrip()[-1:] in "！？；，、：!?;,:" or _is_indented(line.text) for line in block
    ):
        return False
    widths = [_width(line.text) for line in block]
    return len(block) == 1 or max(widths) - min(widths) > 1.5


def _is_column(block: list[Aligned]) -> bool:
    """A block of lines wrapped at a newspaper column (narrow, several lines)."""
    return len(block) >= 2 and _block_width(block) <= 50


def _full(line: Aligned, *neighbours: Aligned | None) -> bool:
    """A line filled to the width of its column, measured against its neighbours in the same column."""
    reference = max((_width(other.text) for other in neighbours if other is not None), default=0.0)
    return _width(line.text) >= 0.8 * reference - 0.5


def _join_lines(lines: list[Aligned | None]) -> Aligned:
    """Join wrapped lines into paragraphs; a blank line is a column break when the sentence runs on across it."""
    blocks = _blocks(lines)
    parts: list[Aligned] = []
    for index, block in enumerate(blocks):
        paragraphs = _join_block(block)
        if index:
            # A blank line inside a sentence: a column break in a newspaper page (the previous block is a narrow
            # column) or a page break in a web copy (the previous block is one long line cut in mid-sentence).
            previous = blocks[index - 1]
            last = previous[-1]
            first = block[0]
            column_break = (
                _is_column(previous)
                and not _is_headline_block(previous)
                and last.text.rstrip()[-1:] not in TERMINAL
                and _full(last, previous[-2] if len(previous) > 1 else None)
                and not _is_indented(first.text)
                and not _LEAD_RE.match(first.text)
            )
            page_break = (
                len(previous) == 1
                and not _is_column(block)
                and _width(last.text) > 12
                and re.search(f"[{CJK}0-9，、]$", last.text.rstrip()) is not None
                and re.search("[，。；]", last.text) is not None
                and " " not in last.text.strip()
                and not _is_indented(first.text)
                and not _LEAD_RE.match(first.text)
                and not _BYLINE_LINE_HINT.search(first.text)
            )
            if column_break or page_break:
                paragraphs[0] = paragraphs[0].strip()
            else:
                parts.append(literal("\n\n", paragraphs[0].pos[0] if paragraphs[0].pos else 0))
        for number, paragraph in enumerate(paragraphs):
            if number:
                parts.append(literal("\n", paragraph.pos[0] if paragraph.pos else 0))
            parts.append(paragraph)
    return concat(parts)


def _join_block(block: list[Aligned]) -> list[Aligned]:
    """Join the lines of one block into paragraphs."""
    if all(len(line.text.strip()) == 1 for line in block):
        return [concat(line.strip() for line in block)]  # a vertical label, one character per line
    if not _is_column(block) or _is_headline_block(block):
        return [line for line in block]
    paragraphs: list[list[Aligned]] = [[block[0]]]
    for index in range(1, len(block)):
        previous, line = block[index - 1], block[index]
        before = block[index - 2] if index >= 2 else None
        if not _is_indented(line.text) and _full(previous, before, line) and not _LEAD_RE.match(line.text):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return [_glue(paragraph) for paragraph in paragraphs]


def _glue(lines: list[Aligned]) -> Aligned:
    parts: list[Aligned] = [lines[0]]
    for previous, line in zip(lines, lines[1:], strict=False):
        if previous.text[-1:].isascii() and previous.text[-1:].isalpha() and line.text.lstrip()[:1].isascii() and \
                line.text.lstrip()[:1].isalpha():
            parts.append(literal(" ", line.pos[0]))
        parts.append(line)
    return concat(parts)


# --- punctuation, bylines, spaces -----------------------------------------------------------------------------------
# ---

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT_RE = re.compile(r"[,;:?!()]")
_CHINESE_CONTEXT_RE = re.compile(f"[{CJK}“”‘’、，。；：！？（）《》]")


def _normalise_punctuation(text: Aligned) -> Aligned:
    """ASCII punctuation next to Chinese text becomes full-width; inside numbers (1,500 · 9:00) it stays."""
    source = text.text

    def full(match: re.Match[str]) -> str:
        char = match.group(0)
        before = source[:match.start()].rstrip(" ")[-1:]
        after = source[match.end():].lstrip(" ")[:1]
        if char in ",:" and before.isdigit() and after.isdigit():
            return char
        if char == "(" and not _CHINESE_CONTEXT_RE.match(after) and not _CHINESE_CONTEXT_RE.match(before):
            return char
        if char == ")" and not _CHINESE_CONTEXT_RE.match(before) and not _CHINESE_CONTEXT_RE.match(after):
            return char
        if char not in "()" and not (_CHINESE_CONTEXT_RE.match(before) or _CHINESE_CONTEXT_RE.match(after)):
            return char
        return _HALF_TO_FULL[char]

    return text.sub(_ASCII_PUNCT_RE, full)


_NAME = rf"[{CJK}·]{{1,4}}"
_PAREN_BYLINE_RE = re.compile(r"\s*[（(]\s*((?:[^（）()\n]{0,30}?(?:记者|通讯员)[^（）()\n]{0,60}?))\s*[）)]")
_LINE_BYLINE_RE = re.compile(
    rf"^[ \u3000]*□?[ \u3000]*((?:[{CJK}]{{0,12}}?(?:记者|通讯员)[ \u3000]+(?:{_NAME}[ \u3000]*)+)+)(?:报道)?[ \u3000]*$",  # noqa: E501 (Chinese text is double width)
    re.M,
)
_TRAILING_NAMES_RE = re.compile(rf"[（(]((?:[{CJK}]{{2,3}}[ \u3000]+)+[{CJK}]{{2,3}})[）)][ \u3000]*$", re.M)
_PHOTO_RE = re.compile(
    rf"(?:(?<=[。！？”])|[ \u3000]{{2,}})[ \u3000]*((?:[{CJK}]{{0,12}}?记者[ \u3000]*)?{_NAME}(?:[ \u3000]+{_NAME})*)"
    rf"[ \u3000]+摄[ \u3000]*$",
    re.M,
)


def split_names(text: str) -> dict[str, tuple[str, ...]]:
    """Names of a byline by role.

    ``潍坊日报社全媒体记者 付凯 刘福文 通讯员 张 蓓 谭佃贵`` → reporters (付凯, 刘福文), correspondents (张蓓, 谭佃贵).

    Two-character names padded to the width of three (``张 蓓``) are single characters in a row: they pair up, and never
    merge into the next name.
    """
    roles: dict[str, list[str]] = {"reporters": [], "correspondents": [], "photographers": []}
    role = "reporters"
    singles: list[str] = []

    def flush() -> None:
        while singles:
            pair, singles[:] = singles[:2], singles[2:]
            roles[role].append("".join(pair))

    for token in re.split(r"[\s\u3000]+", text.replace("□", " ").strip()):
        if not token:
            continue
        keyword = re.search(r"(记者|通讯员|摄影)$", token) or re.match(r"^.*?(记者|通讯员)(?=.)", token)
        if keyword:
            flush()
            role = "correspondents" if keyword.group(1) == "通讯员" else "reporters"
            rest = token[keyword.end():]
            if not rest:
                continue
            token = rest
        if token in ("报道", "摄"):
            flush()
            if token == "摄":
                roles["photographers"].extend(roles["reporters"])
                roles["reporters"] = []
            continue
        if len(token) == 1:
            singles.append(token)
        else:
            flush()
            roles[role].append(token)
    flush()
    return {key: tuple(value) for key, value in roles.items()}


def _extract_bylines(text: Aligned) -> tuple[Aligned, list[Byline]]:
    found: list[tuple[int, int, str, dict[str, tuple[str, ...]]]] = []
    for pattern, kind in ((_PAREN_BYLINE_RE, "byline"), (_LINE_BYLINE_RE, "byline"), (_TRAILING_NAMES_RE, "names"),
                          (_PHOTO_RE, "photo")):
        for match in pattern.finditer(text.text):
            if any(start < match.end() and match.start() < end for start, end, _, _ in found):
                continue
            content = match.group(1)
            if kind == "names":
                names = {"reporters": tuple(content.split()), "correspondents": (), "photographers": ()}
            elif kind == "photo":
                names = split_names(content + " 摄")
            else:
                names = split_names(content)
            if not any(names.values()):
                continue
            found.append((match.start(), match.end(), content, names))
    found.sort()
    parts: list[Aligned] = []
    bylines: list[Byline] = []
    last = 0
    length = 0
    for start, end, content, names in found:
        parts.append(text[last:start])
        length += start - last
        raw_start, raw_end = text.raw_span(start, end)
        bylines.append(Byline(at=length, raw_start=raw_start, raw_end=raw_end, text=re.sub(r"\s+", " ", content).strip(),  # noqa: E501 (Chinese text is double width)
                              reporters=names["reporters"], correspondents=names["correspondents"],
                              photographers=names["photographers"]))
        last = end
    parts.append(text[last:])
    return concat(parts), bylines


_STRAY_SPACES = [
    (re.compile(rf"[ \u3000]+(?=[{re.escape(CLOSING_PUNCT)}])"), ""),
    (re.compile(rf"(?<=[{re.escape(OPENING)}，。、；：])[ \u3000]+(?=\S)"), ""),
    (re.compile(r"(?<=\d) (?=\d)"), ""),
    (re.compile(rf"(?<=\d)[ \u3000]+(?=[{CJK}%])|(?<=[{CJK}])[ \u3000]+(?=\d)"), ""),
    (re.compile(r"[ \u3000\t]+$", re.M), ""),
    (re.compile(r"\n{3,}"), "\n\n"),
]


def _tidy(text: Aligned) -> Aligned:
    for pattern, replacement in _STRAY_SPACES:
        text = text.sub(pattern, replacement)
    # Leading indentation carries no meaning once paragraphs are joined.
    text = text.sub(re.compile(r"^[ \u3000]+", re.M), "")
    return text.strip()
