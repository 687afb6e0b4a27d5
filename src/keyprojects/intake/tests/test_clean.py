"""Table tests of the cleaning of extracted text: each artefact, and what must not change. No database."""

import pytest

from keyprojects.intake.clean import clean, despace_line, split_names, undouble_line

# (input, expected clean text) — each row one artefact seen in the seed reports.
CASES = [
    # numbers broken across wrapped lines of a column
    ("　　2023年潍坊市橡胶轮胎出口125.1\n亿元，首次突破100亿元，同比增长\n25.3%。", "2023年潍坊市橡胶轮胎出口125.1亿元，首次突破100亿元，同比增长25.3%。"),  # noqa: E501 (Chinese text is double width)
    # a sentence broken across a blank line at a column break
    ("　　刘运在致辞中说，近年来农发行\n山东省分行聚焦地方所需，助力潍坊\n\n发展，大力支持重点项目建设。",
     "刘运在致辞中说，近年来农发行山东省分行聚焦地方所需，助力潍坊发展，大力支持重点项目建设。"),
    # a heading with every character doubled, punctuation included
    ("招招引引聚聚势势，，迈迈向向更更好好潍潍坊坊", "招引聚势，迈向更好潍坊"),
    # a vertical label split over lines
    ("潍潍\n城城", "潍城"),
    # characters spaced out to justify a line
    ("与会人员进 一 步 提 振 了 建 设 更 好 潍 坊 的\n信心。", "与会人员进一步提振了建设更好潍坊的信心。"),
    # a spaced run with digits
    ("潍坊综合保税区在保税北区麦维年产3 0 万吨高端玉米淀粉糖项目现场。", "潍坊综合保税区在保税北区麦维年产30万吨高端玉米淀粉糖项目现场。"),  # noqa: E501 (Chinese text is double width)
    # ASCII punctuation throughout an article; numbers keep theirs
    ("2月26日上午,2024年春季全市推进会举行,集中开工215个重大项目。总投资1,500万元,9:00开始(暂定)。",
     "2月26日上午，2024年春季全市推进会举行，集中开工215个重大项目。总投资1,500万元，9:00开始（暂定）。"),
    # stray spaces before punctuation
    ("挖潜力，强产业，保安全 ，加快塑造新优势。", "挖潜力，强产业，保安全，加快塑造新优势。"),
    # a traditional character
    ("只要我們保持如磐的信心。", "只要我们保持如磐的信心。"),
    # continuation marks
    ("（上接1版）\n　　大会期间，将举办主题大会。（下转2版）", "大会期间，将举办主题大会。"),
    # sidebar timestamps of other articles and site footers
    ("正文一句。\n2024-03-13 09:19:04\n2023-12-17 10:07:34\n聊城新闻网 2006-2023 版权所有\n鲁ICP备09083931号 鲁公网安备 37150202000134号",  # noqa: E501 (Chinese text is double width)
     "正文一句。"),
    # markdown bold headline marks
    ("**福建：265个重点项目集中开工建设**\n\n今天，福建省集中开工。", "福建：265个重点项目集中开工建设\n\n今天，福建省集中开工。"),  # noqa: E501 (Chinese text is double width)
]

# Text that must come out exactly as it went in.
UNCHANGED = [
    "他天天都到工地上看进度，常常干到深夜。",
    "挖潜力 强产业 保安全",
    "比干劲 比服务 比项目 比贡献",
    "通讯员孙欢欢介绍，项目进展顺利。",
    "2024年全国两会新闻中心启用",
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_clean_undoes_the_artefact(raw: str, expected: str) -> None:
    assert clean(raw).text == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_clean_leaves_real_text_alone(text: str) -> None:
    assert clean(text).text == text


def test_byline_split_across_lines_is_metadata_and_leaves_the_text() -> None:
    page = clean("　　新华社北京2月27日电 （记者 于\n佳欣 黄垚）在2024年全国两会即将召\n开之际，两会新闻中心27日正式启用。")  # noqa: E501 (Chinese text is double width)
    assert page.text == "新华社北京2月27日电在2024年全国两会即将召开之际，两会新闻中心27日正式启用。"
    assert [(b.reporters, b.correspondents) for b in page.bylines] == [(("于佳欣", "黄垚"), ())]


def test_padded_two_character_names_pair_up_and_do_not_swallow_the_next_name() -> None:
    page = clean("□记者 张 蓓 谭佃贵 通讯员 孙光辉 报道\n\n本报潍坊讯 2月2日，招聘会举行。")
    assert page.text == "本报潍坊讯2月2日，招聘会举行。"
    assert page.bylines[0].reporters == ("张蓓", "谭佃贵")
    assert page.bylines[0].correspondents == ("孙光辉",)


def test_photo_credit_is_removed_and_kept_as_photographer() -> None:
    page = clean("活动中，传承人讲解了面塑知识。        潍坊日报社全媒体记者 隋炜凤 摄")
    assert page.text == "活动中，传承人讲解了面塑知识。"
    assert page.bylines[0].photographers == ("隋炜凤",)


def test_trailing_list_of_reporters_is_a_byline() -> None:
    page = clean("聊城正在加力奔跑开新局。(马晓红 蒋希伟 刘飞)")
    assert page.text == "聊城正在加力奔跑开新局。"
    assert page.bylines[0].reporters == ("马晓红", "蒋希伟", "刘飞")


def test_every_clean_character_points_back_into_the_raw_text() -> None:
    raw = "　　奎文区集中开工项目16个，总投资81.8\n亿元。"
    page = clean(raw)
    start = page.text.index("总投资")
    raw_start, raw_end = page.raw_span(start, len(page.text))
    assert raw[raw_start:raw_end] == "总投资81.8\n亿元。"


@pytest.mark.parametrize(("line", "expected"), [
    ("招招引引", "招引"), ("天天", "天"), ("天天向上", "天天向上"), ("孙欢欢 秦波", "孙欢欢 秦波"), ("5555", "5555"),
])
def test_undouble_line(line: str, expected: str) -> None:
    assert undouble_line(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("收 看 ，并 同 步 集 中 开 工", "收看，并同步集中开工"),
    ("挖潜力 强产业 保安全", "挖潜力 强产业 保安全"),
    ("记者 张 鹏", "记者张鹏"),
])
def test_despace_line(line: str, expected: str) -> None:
    assert despace_line(line) == expected


@pytest.mark.parametrize(("text", "reporters", "correspondents"), [
    ("潍坊日报社全媒体记者 付凯 刘福文", ("付凯", "刘福文"), ()),
    ("特约记者 张磊 潍坊日报社全媒体记者 贺德良", ("张磊", "贺德良"), ()),
    ("记者 张 鹏 通讯员 张泽青", ("张鹏",), ("张泽青",)),
    ("本报记者 张蓓 本报通讯员 于志君", ("张蓓",), ("于志君",)),
])
def test_split_names(text: str, reporters: tuple[str, ...], correspondents: tuple[str, ...]) -> None:
    names = split_names(text)
    assert (names["reporters"], names["correspondents"]) == (reporters, correspondents)
