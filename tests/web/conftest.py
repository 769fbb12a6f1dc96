"""One small analysed case (the payroll sample) served by the web app, with a user of every
role inside the case and one of every role outside it (not granted the case)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web.webcase import PASSWORD, ROLES, Case, outsider

from invert import network
from invert.indicators.run import analyze
from invert.ingest.load import ingest
from invert.money import profit
from invert.security import users
from invert.web import casefiles
from invert.web.app import create_app
from invert.web.secret import load_or_create
from invert.workspace import Workspace


@pytest.fixture(scope="session")
def built_case(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Case:
    path = tmp_path_factory.mktemp("web") / "case"
    ws = Workspace.init(path, "harbour")
    ingest(ws, samples_dir / "payroll.csv", samples_dir / "payroll.yml")
    analyze(ws)
    network.build(ws)  # after the analysis, so the scores other tests expect stay as they were
    with ws.connect(resolved=True, follow_analysis=False) as con:
        profit.estimate(con, "by community")  # network_profit, for the network pages
    with ws.connect() as con:
        for role in ROLES:
            users.add_user(con, role, role, PASSWORD)
            users.grant_case(con, role, ws.name)
            users.add_user(con, outsider(role), role, PASSWORD)
            users.grant_case(con, outsider(role), "another-case")
        users.add_user(con, "viewer-spare", "viewer", PASSWORD)  # what user admin tests change
        person = con.execute(
            "SELECT subject_id FROM score WHERE list = 'person' ORDER BY score DESC LIMIT 1"
        ).fetchone()[0]
        company = con.execute(
            "SELECT subject_id FROM score WHERE list = 'company' ORDER BY score DESC LIMIT 1"
        ).fetchone()[0]
        case_id = casefiles.create(con, "Greenhouses at the harbour", "admin")
        casefiles.add_entity(con, case_id, person, "admin")
    load_or_create(path)
    return Case(path, person, company)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "src" / "invert" / "samples"


@pytest.fixture
def case(built_case: Case, tmp_path: Path) -> Case:
    """A fresh copy per test, so what one test writes no other test sees."""
    path = tmp_path / "case"
    shutil.copytree(built_case.path, path)
    return Case(path, built_case.person, built_case.company)


@pytest.fixture
def client(case: Case) -> Iterator[TestClient]:
    with TestClient(create_app(case.path)) as c:
        yield c
