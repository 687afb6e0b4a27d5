"""The 中文 / English switch of the page header and the shared templates' English catalogue."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, World

SRC = Path(__file__).resolve().parents[1] / "src" / "keyprojects"


@pytest.mark.django_db
def test_switching_to_english_and_back(world: World) -> None:
    client = Client()
    assert client.login(username=world.users[Role.REGION_ADMIN].username, password=PASSWORD)
    page = client.get(reverse("projects:list")).content.decode()
    assert ">项目库</a>" in page and 'name="language" value="en">English</button>' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/projects/"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    page = client.get(reverse("projects:list")).content.decode()
    assert ">Projects</a>" in page and ">Log out</button>" in page and '<html lang="en">' in page
    assert ">项目库</a>" not in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/projects/"})
    assert ">项目库</a>" in client.get(reverse("projects:list")).content.decode()


def _unquote(block: str) -> str:
    """The text of a .po string block: its quoted pieces joined, with the escapes undone."""
    pieces = re.findall(r'^(?:msg(?:id|str)(?:\[\d\])? )?(".*")$', block, re.M)
    return "".join(ast.literal_eval(piece) for piece in pieces)


def _catalogues() -> list[Path]:
    return sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po"))


def test_every_catalogue_is_complete_and_compiled() -> None:
    catalogues = _catalogues()
    assert SRC / "locale/en/LC_MESSAGES/django.po" in catalogues
    for po in catalogues:
        text = po.read_text(encoding="utf-8")
        assert "#, fuzzy" not in text, po
        entries = re.findall(
            r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
            r'((?:msgstr(?:\[\d\])? (?:".*"\n?)+)+)',
            text, re.M)
        for _context, msgid, msgstr in entries:
            source = _unquote(msgid)
            if source:
                assert _unquote(msgstr), f"{po}: no English for {source!r}"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{po} is not compiled (msgfmt -o django.mo django.po)"
        with mo.open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        for context, msgid, msgstr in entries:
            source = _unquote(msgid)
            if source and "msgstr[" not in msgstr:
                found = compiled.pgettext(_unquote(context), source) if context else compiled.gettext(source)
                assert found == _unquote(msgstr), f"{mo} is older than {po.name} ({source!r})"
