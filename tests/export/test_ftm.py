"""FollowTheMoney export: every entity valid against the FtM model, every reference resolvable,
resolved ids, aggregated payments, and the same file on every run."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from followthemoney import model

from helpers import Case
from invert.export import export


def _read(path: Path) -> dict[str, dict]:
    entities = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities)  # ids are unique
    return by_id


def test_every_entity_is_valid_ftm_and_references_resolve(graph_case: Case, tmp_path: Path):
    out = tmp_path / "case.ftm.json"
    export(graph_case.ws, "ftm", out)
    entities = _read(out)
    for data in entities.values():
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.validate(data) is None, data
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in entities, (data["id"], prop.name, value)
    schemas = Counter(e["schema"] for e in entities.values())
    assert schemas["Person"] == 8  # boss-a's two records are one person
    assert schemas["Company"] == 3 and schemas["Address"] == 2 and schemas["Document"] == 1
    assert schemas["Employment"] == 6 and schemas["Directorship"] == 3
    assert schemas["BankAccount"] == 9


def test_details_values_and_ties(graph_case: Case, tmp_path: Path):
    out = tmp_path / "case.ftm.json"
    export(graph_case.ws, "ftm", out)
    entities = _read(out)
    boss = entities["boss-a"]["properties"]
    assert boss["phone"] == ["+31612345678"]  # from the merged second record
    assert boss["birthDate"] == ["1970-03-01"]
    assert entities["A1"]["properties"]["registrationNumber"] == ["KVK-A1"]
    assert entities["acc-utility"]["properties"]["iban"] == ["NL91ABNA0417164300"]
    assert entities["ad-1"]["properties"]["phoneMentioned"] == ["+31612345678"]
    (home,) = entities["w-a0"]["properties"]["addressEntity"]
    assert entities[home]["properties"]["full"] == ["Street a 1"]
    payments = [
        e["properties"]
        for e in entities.values()
        if e["schema"] == "Payment" and e["properties"].get("payerAccount") == ["acc-w-a0"]
    ]
    to_boss = next(p for p in payments if p["beneficiaryAccount"] == ["acc-boss-a"])
    assert to_boss["amount"] == ["2400.00"]
    assert (to_boss["startDate"], to_boss["endDate"]) == (["2026-01-05"], ["2026-02-05"])
    assert to_boss["beneficiary"] == ["boss-a"]  # the account's known holder
    stand_in = entities[to_boss["payer"][0]]  # the worker's account has no known holder
    assert stand_in["schema"] == "LegalEntity" and "NL00WORK" in stand_in["properties"]["name"][0]
    held = [
        e["properties"]
        for e in entities.values()
        if e["schema"] == "Ownership" and e["properties"].get("asset") == ["acc-boss-a"]
    ]
    assert held and held[0]["owner"] == ["boss-a"]
    links = {e["properties"]["role"][0] for e in entities.values() if e["schema"] == "UnknownLink"}
    assert {"subcontracts to", "owned by", "paid into"} <= links


def test_same_graph_same_file(graph_case: Case, tmp_path: Path):
    export(graph_case.ws, "ftm", tmp_path / "one.json")
    export(graph_case.ws, "ftm", tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
