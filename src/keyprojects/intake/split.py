"""Split a cleaned page into articles. Pure: no database.

A newspaper page holds several articles. Each one that opens with a lead (本报讯, 本报潍坊讯, 新华社北京2月27日电,
央视网消息…) starts there; on pages without leads, a headline followed by running text starts one. Newspaper PDFs put a
headline *after* its article as often as before it: a headline standing between two articles goes to the one whose
text it
shares more words with. Bylines found by cleaning are attached to the article they stood in.

The article's year comes from the publication date when it is known, else from the years the article (or else the page)
writes (:func:`keyprojects.intake.dates.context_year`); ``year_basis`` says which, so that a reviewer knows how sure
it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from keyprojects.intake.clean import Byline, CleanText
from keyprojects.intake.dates import context_year, find_dates

__all__ = ["Paragraph", "Article", "split_articles", "LEAD_RE"]

LEAD_RE = re.compile(
    r"^(本报讯|本报[\u4e00-\u9fff]{1,4}讯|新华社[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日电|新华社讯|中新社[\u4e00-\u9fff]{0,6}"
    r"\d{1,2}月\d{1,2}日电|中新网[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日电|央视网消息[（(][^）)]{0,8}[）)]：?|央视网消息：?|"
    r"[\u4e00-\u9fff]{2,8}(?:日报|晚报|新闻网)讯)"
)
_HEADLINE_MAX_WIDTH = 42


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str
    kind: str  # "headline" | "lead" | "body"


@dataclass(frozen=True)
class Article:
    start: int
    end: int
    title: str
    paragraphs: tuple[Paragraph, ...]  # the body, lead paragraph first
    headlines: tuple[Paragraph, ...] = ()
    bylines: tuple[Byline, ...] = ()
    lead: str = ""
    dateline: dt.date | None = None  # the first date of the lead paragraph (the day the report is about)
    year: int | None = None
    year_basis: str = ""  # "published" | "context" | ""
    text: str = field(default="", repr=False)


def _paragraphs(text: str) -> list[Paragraph | None]:
    result: list[Paragraph | None] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            result.append(None)
            continue
        if LEAD_RE.match(line):
            kind = "lead"
        elif _is_headline(line):
            kind = "headline"
        else:
            kind = "body"
        result.append(Paragraph(start, end, line, kind))
    return result


def _is_headline(line: str) -> bool:
    width = sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in line)
    return width <= _HEADLINE_MAX_WIDTH and "。" not in line and line[-1:] not in "，；：、！？）" or \
        (width <= _HEADLINE_MAX_WIDTH and line.endswith("。") and line.count("。") == 1 and "，" not in line
         and width <= 16)


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def _affinity(headline: str, body: str) -> float:
    grams = _bigrams(headline)
    if not grams:
        return 0.0
    return len(grams & _bigrams(body)) / len(grams)


def split_articles(page: CleanText, published: dt.date | None = None) -> list[Article]:
    """The articles of a page, in order."""
    items = [p for p in _paragraphs(page.text) if p is not None]
    # Groups: a run of headlines, or an article body (a lead or headline-less start, then body paragraphs).
    bodies: list[list[Paragraph]] = []
    headline_runs: list[tuple[int, list[Paragraph]]] = []  # (index of the body that follows, headlines)
    pending: list[Paragraph] = []
    for paragraph in items:
        if paragraph.kind == "headline":
            pending.append(paragraph)
            continue
        new_body = paragraph.kind == "lead" or not bodies or bool(pending)
        if pending:
            headline_runs.append((len(bodies) if new_body else len(bodies) - 1, pending))
            pending = []
        if new_body:
            bodies.append([paragraph])
        else:
            bodies[-1].append(paragraph)
    if pending:
        headline_runs.append((len(bodies), pending))
    if not bodies:
        return []
    titles: dict[int, list[Paragraph]] = {index: [] for index in range(len(bodies))}
    for following, run in headline_runs:
        before = following - 1
        after = following if following < len(bodies) else None
        text = "".join(h.text for h in run)
        if after is None or (bodies[after][0].kind == "lead" and before >= 0 and
                             _affinity(text, _text(bodies[before])) > _affinity(text, _text(bodies[after]))):
            target = before
        elif bodies[after][0].kind != "lead":
            target = after  # a headline over text that has no lead: the article starts with its headline
        else:
            target = after if _affinity(text, _text(bodies[after])) > 0.15 or before < 0 else before
        if target >= 0:
            titles[target].extend(run)
    page_year = context_year(page.text)
    articles: list[Article] = []
    for index, body in enumerate(bodies):
        headlines = tuple(sorted(titles[index], key=lambda p: p.start))
        start = min([body[0].start, *(h.start for h in headlines)])
        end = max([body[-1].end, *(h.end for h in headlines)])
        text = "\n".join(p.text for p in body)
        lead_match = LEAD_RE.match(body[0].text)
        if published is not None:
            year: int | None = published.year
            basis = "published"
        else:
            year = page_year or context_year(text)
            basis = "context" if year else ""
        dates = find_dates(body[0].text, published, year)
        dateline = next((d.date for d in dates if d.date is not None), None)
        raw_start, raw_end = page.raw_span(start, end)
        previous_end = articles[-1].end if articles else 0
        raw_previous_end = page.raw_span(previous_end, previous_end + 1)[0] if articles else -1
        # A byline inside the article (本报讯（记者…）) or on its own line before it (□记者 … 报道).
        bylines = tuple(b for b in page.bylines if raw_previous_end < b.raw_start <= raw_end)
        articles.append(Article(
            start=start, end=end, title=" ".join(h.text for h in headlines if len(h.text) > 3),
            paragraphs=tuple(body), headlines=headlines, bylines=bylines,
            lead=lead_match.group(0) if lead_match else "", dateline=dateline, year=year, year_basis=basis, text=text,
        ))
    return articles


def _text(body: list[Paragraph]) -> str:
    return "".join(p.text for p in body)
