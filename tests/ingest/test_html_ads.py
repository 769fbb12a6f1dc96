"""Saved web pages of job ads, one page or a ZIP of pages, ingested without a mapping file."""

from __future__ import annotations

import zipfile
from decimal import Decimal

from helpers import query
from invert.ingest.load import ingest


def test_a_job_board_page_gives_the_posting_as_the_platform_stated_it(ws, samples):
    r = ingest(ws, samples / "pages" / "vacature-orderpicker.html")
    assert (r.format, r.loaded, r.quarantined) == ("html_ads", 1, 0)
    row = query(
        ws,
        """SELECT url, platform, kind, title, employerName, location, country, offeredWage,
                  wagePeriod, currency, phone, email, postedAt, body, source_row FROM ad""",
    )[0]
    assert row[:7] == (
        "https://www.vacaturebank-limburg.example/vacature/48213-orderpicker-venlo",
        "Vacaturebank Limburg",
        "job",
        "Orderpicker (m/v)",
        "Logistiek Venlo B.V.",
        "Venlo",
        "NL",
    )
    assert row[7:12] == (
        Decimal("14.40"),
        "hour",
        "EUR",
        "+31773201540",
        "werken@logistiekvenlo.example",
    )
    assert str(row[12]) == "2024-05-13 07:12:00"  # 09:12 at +02:00, kept in UTC
    # The JobPosting's HTML description becomes lines of text, without the page's menus.
    assert (
        row[13].splitlines()[0]
        == "Voor ons distributiecentrum in Venlo zoeken wij een orderpicker."
    )
    assert "Inloggen" not in row[13] and "cookies" not in row[13]
    assert row[14] == 1


def test_a_classified_page_without_posting_data_gives_its_main_text_and_contact_links(ws, samples):
    ingest(ws, samples / "pages" / "ogloszenie-praca-holandia.html")
    url, title, body, language, handle, posted = query(
        ws, "SELECT url, title, body, language, handle, postedAt FROM ad"
    )[0]
    assert url.endswith("praca-w-holandii-od-zaraz-ID7781203.html")
    assert title == "PRACA W HOLANDII OD ZARAZ - szklarnie, 20,50 € NETTO"
    assert "potrącane z wypłaty" in body and "zero sześć 4 7 8 7 9 8 6 8" in body
    assert "Podobne ogłoszenia" not in body and "Regulamin" not in body  # sidebar, footer
    assert language == "pl" and handle == "whatsapp:+31647879868"
    assert str(posted).startswith("2024-02-29")


def test_a_zip_of_pages_is_one_source_and_a_page_without_an_ad_is_quarantined(
    ws, samples, tmp_path
):
    archive = tmp_path / "saved-pages.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in (
            "vacature-orderpicker.html",
            "login-wall.html",
            "ogloszenie-praca-holandia.html",
        ):
            zf.write(samples / "pages" / name, f"crawl-2024-05/{name}")
        zf.writestr("crawl-2024-05/robots.txt", "User-agent: *")
    r = ingest(ws, archive)
    assert (r.format, r.read, r.loaded, r.quarantined) == ("html_ads", 3, 2, 1)
    # Members in name order: the login wall is page 1, the Polish ad 2, the vacancy 3.
    assert query(ws, "SELECT source_row, platform FROM ad ORDER BY source_row") == [
        (2, "ogloszenia-praca.example"),
        (3, "Vacaturebank Limburg"),
    ]
    row, field, reason = query(ws, "SELECT source_row, field, reason FROM quarantine")[0]
    assert (row, field) == (1, "body")
    assert "crawl-2024-05/login-wall.html" in reason and "no ad text" in reason
    # The same archive again changes nothing; the page ids are stable.
    assert ingest(ws, archive).status == "unchanged"


def test_a_spreadsheet_is_not_taken_for_an_archive_of_pages(tmp_path):
    from invert.ingest.formats import detect_native

    book = tmp_path / "book.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    assert detect_native(book) is None
