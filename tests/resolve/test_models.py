"""The Splink models render in Spark SQL as well as DuckDB SQL (issue on scale: the same
settings run on both engines)."""

from __future__ import annotations

import json
import re

import pytest
import sqlglot

from invert.resolve import models

DUCKDB_ONLY = re.compile(r"\b(len|list_\w+|jaro_winkler_similarity)\s*\(", re.IGNORECASE)


def _conditions(settings: dict) -> list[str]:
    levels = [
        level["sql_condition"]
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level["sql_condition"] != "ELSE"
    ]
    rules = [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]]
    return levels + rules


@pytest.mark.parametrize("kind", sorted(models.SETTINGS))
def test_models_render_in_spark_sql_without_duckdb_functions(kind: str) -> None:
    settings = models.SETTINGS[kind]().create_settings_dict("spark")
    for condition in _conditions(settings):
        assert not DUCKDB_ONLY.search(condition), condition
        sqlglot.parse_one(condition, read="spark")  # raises on invalid Spark SQL


def test_every_word_close_uses_each_engines_functions() -> None:
    spark = json.dumps(models.person_settings().create_settings_dict("spark"))
    duckdb = json.dumps(models.person_settings().create_settings_dict("duckdb"))
    assert "jaro_winkler(x, y) >= 0.92" in spark and "size(name_tokens_l)" in spark
    assert "jaro_winkler_similarity(x, y) >= 0.92" in duckdb and "len(name_tokens_l)" in duckdb
