"""The bulletin as a reader sees it: the DOCX converted to PDF by LibreOffice and to PNG by poppler, in a test-only
step. The pages go to test-artifacts/bulletin/ to be looked at; the PDF's text is checked here.

Needs Debian's `libreoffice-writer-nogui` (soffice) and `poppler-utils` (pdftotext, pdfinfo, pdftoppm); `make
system-packages` installs them. Without them the test is skipped, saying so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from keyprojects.accounts.choices import Role
from keyprojects.cadence.bulletin import bulletin_data
from keyprojects.cadence.bulletin_docx import bulletin_docx
from keyprojects.cadence.periods import Month
from keyprojects.cadence.tests.builders import Scenario

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "bulletin"
SOFFICE = shutil.which("soffice")
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdftoppm"))


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (no `soffice`): apt-get install -y libreoffice-writer-nogui poppler-utils",
)
@pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed: apt-get install -y poppler-utils")
def test_the_bulletin_renders_as_a_document(month: Scenario, tmp_path: Path) -> None:
    region = month.world.inside.region.parent
    assert region is not None
    data = bulletin_data(month.world.users[Role.ADMIN], Month(2024, 3), region)
    source = tmp_path / "bulletin.docx"
    source.write_bytes(bulletin_docx(data))
    profile = tmp_path / "lo-profile"  # a private profile: runs in parallel do not share LibreOffice's lock
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "bulletin.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    # Body (2 pages), the landscape red list, the 版记 page of its own.
    assert 4 <= pages <= 6, info
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = re.sub(r"[ \t]+", "", raw)  # pdftotext spaces out CJK next to Latin letters and digits
    for expected in (
        "潍坊市重点项目建设工作领导小组办公室文件",
        "潍重项办〔2024〕3号",
        "关于2024年3月份全市重点项目",
        "建设情况的通报",
        "一、总体情况",
        "表1",
        "2024年3月份红牌项目名单",
        "抄送：",
        "2024年4月1日印发",
        "—1—",
    ):
        assert expected in text, expected
    first_page = text.split("\f")[0]
    assert "一、总体情况" in first_page and "潍重项办〔2024〕3号" in first_page
    # The signature is never alone on a page: it shares the page of the 附件 note and the body's last lines.
    signature_page = next(p for p in text.split("\f") if "\n2024年4月1日\n" in p)
    assert "附件：2024年3月份红牌项目名单" in signature_page and "严格督导考核" in signature_page
    last_page = text.split("\f")[pages - 1]
    assert "抄送：" in last_page and "一、" not in last_page

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("page-*.png"):
        old.unlink()
    shutil.copy(source, ARTIFACTS / "bulletin.docx")
    shutil.copy(pdf, ARTIFACTS / "bulletin.pdf")
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / "page")], check=True, timeout=120)
    assert len(list(ARTIFACTS.glob("page-*.png"))) == pages
