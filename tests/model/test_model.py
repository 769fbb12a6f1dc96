"""The canonical model: complete, documented, and validated with the faulty file named."""

from __future__ import annotations

import shutil

import pytest

from invert.errors import InvalidModel
from invert.model import SCHEMA_DIR, Model, default_model

EXPECTED = {
    "Company",
    "Person",
    "Address",
    "Phone",
    "Email",
    "BankAccount",
    "Directorship",
    "Ownership",
    "Employment",
    "WagePayment",
    "Transaction",
    "Subcontract",
    "Residence",
    "Inspection",
    "Ad",
    "Report",
    "Outcome",
}


def test_all_entity_types_are_there_and_documented():
    model = default_model()
    assert set(model.types) == EXPECTED
    for etype in model:
        assert etype.description.strip() and etype.label, etype.name
        for prop in etype.properties.values():
            assert prop.label, f"{etype.name}.{prop.name} has no label"
            if prop.type.name == "entity":
                assert prop.range and set(prop.range) <= EXPECTED, f"{etype.name}.{prop.name}"


def test_employment_extends_followthemoney_with_contract_facts():
    employment = default_model()["Employment"]
    assert employment.ftm == "Employment"
    for prop in ("wage", "contractHours", "site", "contractType"):
        assert prop in employment.properties
    assert employment.edge is not None and employment.edge.source == "employee"


def test_relationships_become_edges():
    model = default_model()
    for name in (
        "Directorship",
        "Ownership",
        "Employment",
        "Transaction",
        "Subcontract",
        "Residence",
    ):
        edge = model[name].edge
        assert edge is not None, name
        for end in (edge.source, edge.target):
            assert model[name].properties[end].type.name == "entity", f"{name}.{end}"


@pytest.fixture
def schema_copy(tmp_path):
    target = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, target)
    return target


def test_a_bad_file_is_named_with_all_its_problems(schema_copy):
    (schema_copy / "Phone.yml").write_text(
        "label: Phone\nplural: Phones\ndescription: x\ncolour: blue\n"
        "properties:\n  number: {label: Number, type: telephone}\n"
        "  owner: {label: Owner, type: entity, range: Persn}\n"
    )
    with pytest.raises(InvalidModel) as exc:
        Model.load(schema_copy)
    problems = "\n".join(exc.value.problems)
    assert "Phone.yml: unknown field 'colour'" in problems
    assert "Phone.yml" in problems and "telephone" in problems
    assert "Persn" in problems


def test_broken_yaml_is_named(schema_copy):
    (schema_copy / "Email.yml").write_text("label: [unclosed\n")
    with pytest.raises(InvalidModel, match=r"Email\.yml: not valid YAML"):
        Model.load(schema_copy)
