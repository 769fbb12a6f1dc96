"""The ads stage from the command line: ingest ads, read them, build the network, analyse, and
list the ads, posters and templates an investigator reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import query
from invert.cli import app
from invert.cli.common import console

MAPPING = Path(__file__).resolve().parents[2] / "src/invert/simulate/mappings/job_ads.yml"
CAMPAIGN = [  # one recruiter, one template, the phone written four ways
    ("Rotterdam", "greenhouse workers", "O6 27958O15"),
    ("Delft", "tomato pickers", "+31 6 2795 eight 015"),
    ("Den Haag", "flower packers", "06-27958015"),
    ("Westland", "harvest workers", "0 6 2 7 9 5 8 0 1 5"),
]
ORDINARY = [  # three firms, two vacancies each, lawful wording and a landline
    ("Bouw Janssen B.V.", "carpenter", "010 4567890", "info@bouwjanssen.nl"),
    ("Kwekerij de Vries B.V.", "greenhouse worker", "0174 123456", "jobs@kwekerijdevries.nl"),
    ("Logistiek Venlo B.V.", "order picker", "077 3201540", "werken@logistiekvenlo.nl"),
]


def _ads(path: Path) -> Path:
    rows = []
    for n, (city, job, phone) in enumerate(CAMPAIGN):
        rows.append(
            {
                "id": f"S{n}",
                "platform": "facebook-group",
                "url": f"https://fb.example/p/{n}",
                "posted_at": f"2024-03-0{n + 1}T10:00:00",
                "language": "en",
                "country": "NL",
                "location": city,
                "title": f"URGENT!!! {job} needed in {city} - 2900 EUR NET",
                "body": (
                    f"We need {job} in {city}, start immediately. No experience needed, no English "
                    "needed. Accommodation in shared rooms, 90 EUR per week deducted from salary. "
                    "We buy your ticket, you pay it back from your first salary. Documents and "
                    "work permit arranged by us. Send a photo of your passport on WhatsApp.\n"
                    f"Call or WhatsApp: {phone}"
                ),
                "pay_amount": 2900,
                "pay_period": "month",
                "currency": "EUR",
                "phone": phone,
                "employer_name": None,
                "email": None,
                "handle": None,
            }
        )
    for n, (firm, job, phone, email) in enumerate(ORDINARY * 2):
        rows.append(
            {
                "id": f"O{n}",
                "platform": "jobboard",
                "url": f"https://jobs.example/{n}",
                "posted_at": f"2024-04-{n + 1:02d}T09:00:00",
                "language": "en",
                "country": "NL",
                "location": "Rotterdam",
                "title": f"{job.capitalize()} wanted",
                "body": (
                    f"{firm} is looking for a {job} for 38 hours a week. Experience is an "
                    "advantage. Salary 15.20 EUR gross per hour plus holiday pay. Questions? "
                    f"Call {phone} or e-mail {email}."
                ),
                "pay_amount": 15.2,
                "pay_period": "hour",
                "currency": "EUR",
                "employer_name": firm,
                "phone": phone,
                "email": email,
                "handle": None,
            }
        )
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ads")
    case = root / "case"
    runner = CliRunner()
    for args in (
        ["init", str(case)],
        ["ingest", str(case), str(_ads(root / "ads.jsonl")), "--mapping", str(MAPPING)],
        ["ads", "run", str(case)],
        ["network", "build", str(case)],
        ["analyze", str(case)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
    return case


def _run(monkeypatch, *args: str) -> str:
    monkeypatch.setattr(console, "width", 200)
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_campaign_tops_the_ad_leads_with_its_reasons(case, monkeypatch):
    out = _run(monkeypatch, "leads", str(case), "--subject", "ad", "--top", "4")
    assert out.count("needed in") == 4  # the four campaign ads, no ordinary vacancy
    assert "ad_job_indicator_count" in out and "ad_obscured_phone" in out


def test_one_poster_whatever_way_the_phone_is_written(case, monkeypatch):
    from invert.workspace import Workspace

    ws = Workspace.open(case)
    posters = query(
        ws,
        "SELECT poster, count(*) FROM ad_poster p JOIN ad a ON a.id = p.ad "
        "WHERE a.url LIKE 'https://fb.example/%' GROUP BY poster",
    )
    assert len(posters) == 1 and posters[0][1] == 4
    out = _run(monkeypatch, "ads", "posters", str(case), "--top", "1")
    assert posters[0][0] in out and "+31627958015" in out


def test_show_gives_what_was_read_and_the_template(case, monkeypatch):
    from invert.workspace import Workspace

    ad = query(Workspace.open(case), "SELECT id FROM ad WHERE url = 'https://fb.example/p/1'")
    out = _run(monkeypatch, "ads", "show", str(case), ad[0][0])
    assert 'phone +31627958015 written "+31 6 2795 eight 015" to dodge scrapers' in out
    assert "says (deduction)" in out and "says (personal_data)" in out
    assert "template" in out and "Delft" in out


def test_analyze_says_when_ads_were_not_read(tmp_path, monkeypatch):
    case = tmp_path / "case"
    _run(monkeypatch, "init", str(case))
    _run(
        monkeypatch,
        "ingest",
        str(case),
        str(_ads(tmp_path / "ads.jsonl")),
        "--mapping",
        str(MAPPING),
    )
    out = _run(monkeypatch, "analyze", str(case))
    assert "10 ads were not read" in out and "invert ads run" in out
