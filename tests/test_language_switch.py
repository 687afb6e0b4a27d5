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


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def read_po(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file (msgctxt, msgid, msgid_plural, msgstr or msgstr[n], flags): standard library only."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = line[2:]
        elif line.startswith("#"):
            continue  # comments, and obsolete (#~) entries
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


CATALOGUES = sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po"))


def test_there_is_a_catalogue_for_every_app_with_text() -> None:
    apps = {po.parents[3].name for po in CATALOGUES}
    assert apps == {"keyprojects", "accounts", "audit", "cadence", "core", "directory", "intake", "notifications",
                    "problems", "projects", "ratings", "regions", "reports"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parents[3].name)
def test_the_catalogue_is_complete_and_compiled(po: Path) -> None:
    """Every msgid has English, nothing is fuzzy, placeholders match, and the .mo is compiled from this .po (CI has no
    gettext to rebuild it)."""
    header, *messages = read_po(po)
    assert header["msgid"] == "" and "fuzzy" not in header.get("flags", "")
    assert messages
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in messages:
        msgid, context = entry["msgid"], entry.get("msgctxt")
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert translations and all(translations), f"untranslated: {msgid!r}"
        assert "fuzzy" not in entry.get("flags", ""), f"fuzzy: {msgid!r}"
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), f"placeholders: {msgid!r}"
        if "msgid_plural" in entry:
            plural = entry["msgid_plural"]
            one = compiled.npgettext(context, msgid, plural, 1) if context else compiled.ngettext(msgid, plural, 1)
            assert one == entry["msgstr[0]"], f"stale .mo: {msgid!r}"
        else:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert found == entry["msgstr"], f"stale .mo: {msgid!r}"
