"""Roles that may not see identities get pseudonyms: stable, keyed, and on every page."""

from __future__ import annotations

import re

from web.webcase import IBAN, PERSON_NAMES, login

from invert.web.pseudonyms import Masker

KEY = b"k" * 64


def test_pseudonyms_are_stable_keyed_and_a_no_op_for_who_sees_identities():
    masked, again, other = Masker(KEY, False), Masker(KEY, False), Masker(b"o" * 64, False)
    shown = masked.entity("person", "person-123")
    assert re.fullmatch(r"person·[0-9a-f]{10}", shown)
    assert again.entity("person", "person-123") == shown != other.entity("person", "person-123")
    assert masked.entity("bank_account", "acc-1").startswith("account·")
    clear = Masker(KEY, True)
    assert clear.entity("person", "person-123") == "person-123"
    assert clear.field("person", "name", "Ion Popescu") == "Ion Popescu"
    assert clear.text(f"paid into {IBAN}") == f"paid into {IBAN}"


def test_fields_of_people_are_masked_but_harmless_ones_are_not():
    masked = Masker(KEY, False)
    assert masked.field("person", "name", "Ion Popescu").startswith("name·")
    assert masked.field("person", "nationality", "RO") == "RO"
    assert masked.field("company", "sector", "A01.13") == "A01.13"


def test_free_text_loses_ibans_phones_emails_and_known_names_but_keeps_dates():
    known = re.compile(r"(?<!\w)(?:Ion Marinescu)(?!\w)", re.IGNORECASE)
    masked = Masker(KEY, False, known)
    text = masked.text(
        f"paid into {IBAN} of ION MARINESCU, +40 721 234 567, a.b@example.org, on 05-11-2024"
    )
    for secret in (IBAN, "MARINESCU", "721 234", "a.b@example.org"):
        assert secret not in text
    assert "05-11-2024" in text
    spaced = masked.text("NL91 ABNA 0417 1643 00")
    assert spaced == masked.text(IBAN), "an IBAN gets one pseudonym however it is spaced"


def _crawl(client, start: str, limit: int = 60) -> dict[str, str]:
    """Every page reachable by links from ``start``, as a user clicking through would see."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo and len(seen) < limit:
        path = todo.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code in (200, 403, 404), path
        seen[path] = response.text
        for link in re.findall(r'href="(/[^"]*)"', response.text):
            link = link.replace("&amp;", "&")
            if not link.startswith("/static") and link not in seen:
                todo.append(link)
    return seen


def test_a_viewer_never_sees_a_persons_name_iban_or_number(client, case):
    login(client, "viewer")
    pages = _crawl(client, "/leads/person")
    for extra in ("/leads/company", "/leads/account", "/cases/1", f"/entity/{case.person}"):
        pages.setdefault(extra, client.get(extra).text)
    assert any(p.startswith("/entity/person·") for p in pages), "the crawl reached people"
    secrets = (*PERSON_NAMES, *(n.split()[-1] for n in PERSON_NAMES), IBAN, "123456782")
    for path, text in pages.items():
        for secret in secrets:
            assert secret.lower() not in text.lower(), (path, secret)
    assert case.person not in "".join(pages.values()), "ids are digests of personal keys"


def test_a_viewer_cannot_open_an_entity_by_its_real_id(client, case):
    login(client, "viewer")
    assert client.get(f"/entity/{case.person}").status_code == 404
    assert client.get(f"/entity/{case.shown('viewer', 'person', case.person)}").status_code == 200


def test_a_user_who_sees_identities_sees_them(client, case):
    login(client, "inspector")
    page = client.get(f"/entity/{case.person}").text
    assert IBAN in page and any(name in page for name in PERSON_NAMES)
