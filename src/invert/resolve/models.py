"""The Splink models: which records are compared (blocking) and how (comparison levels).

Chosen for case data: names arrive in any order and spelling (``name_key`` is the sorted token
fingerprint, so "POPESCU Ion" and "Ion Popescu" agree exactly, and Jaro-Winkler absorbs
typos and transliteration variants), birth dates carry typing errors (one character, day and
month swapped, a year out), and strong identifiers (tax or citizen number, document number,
registration and VAT numbers) may be missing or, for people, borrowed. Common names, phones
and addresses weigh less through term-frequency adjustments. The parameters are estimated
without labels (random sampling for u, expectation maximisation for m) and saved in the
workspace, so re-runs score new records with the same model unless retraining is asked for.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect
from splink.internals.exceptions import EMTrainingException


def _name(column: str) -> Any:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description="name fingerprint (tokens sorted)",
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True),
            cll.JaroWinklerLevel(column, 0.94),
            cll.JaroWinklerLevel(column, 0.85),
            cll.ElseLevel(),
        ],
    )


class EveryWordClose(ComparisonLevelCreator):
    """Every word of the shorter name is close to a word of the other, in any order: catches
    typos and transliteration variants (Tsvetelina / Cvetelina, Yordanov / Iordanov).

    Written once per SQL dialect (Splink's own translation would leave DuckDB's list length and
    Jaro-Winkler function names in Spark SQL); both use the higher-order ``filter``."""

    def __init__(self, similarity: float) -> None:
        self.similarity = similarity

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        size = "size" if sql_dialect.sql_dialect_str == "spark" else "len"
        jw = sql_dialect.jaro_winkler_function_name
        shorter = f"least({size}(name_tokens_l), {size}(name_tokens_r))"
        close = f"{size}(filter(name_tokens_r, y -> {jw}(x, y) >= {self.similarity})) > 0"
        return f"{size}(filter(name_tokens_l, x -> {close})) >= {shorter} AND {shorter} >= 2"

    def create_label_for_charts(self) -> str:
        return f"every word close (Jaro-Winkler ≥ {self.similarity})"


def _person_name() -> Any:
    return cl.CustomComparison(
        output_column_name="name_key",
        comparison_description="name words (sorted, particles dropped)",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_key", term_frequency_adjustments=True),
            cll.CustomLevel(
                "skeleton_key_l = skeleton_key_r",
                label_for_charts="same consonant skeleton (transliteration variants)",
            ),
            EveryWordClose(0.92),
            EveryWordClose(0.84),
            cll.ElseLevel(),
        ],
    )


# Which pairs of people are compared. Every rule is an equality join on keys that stay selective
# as the register grows: a common name ("Ion Popescu") never blocks alone, only together with a
# birth date, an employer or an address, so the pairs grow with the register, not its square.
# Name words are compared by their consonant skeletons (see ``skeleton``), so transliterations
# and swapped letters still meet.
PERSON_BLOCKS: list[Any] = [
    block_on("tax_number"),
    block_on("document"),
    block_on("phone"),
    block_on("email"),
    # one birth date and one name word alike, in any position
    block_on("birth", "skeleton_first"),
    block_on("birth", "skeleton_last"),
    "l.birth = r.birth AND l.skeleton_first = r.skeleton_last",
    "l.birth = r.birth AND l.skeleton_last = r.skeleton_first",
    # one name, and a birth date with one typing error: a wrong day, month or year, or the day
    # and the month swapped
    block_on("skeleton_key", "year(birth)", "month(birth)"),
    block_on("skeleton_key", "year(birth)", "day(birth)"),
    block_on("skeleton_key", "month(birth)", "day(birth)"),
    block_on(
        "skeleton_key",
        "year(birth)",
        "least(month(birth), day(birth))",
        "greatest(month(birth), day(birth))",
    ),
    # one name and one employer or address: payroll files and residence records often lack
    # the birth date
    block_on("skeleton_key", "employers", arrays_to_explode=["employers"]),
    block_on("skeleton_key", "address_key"),
]


def person_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=PERSON_BLOCKS,
        comparisons=[
            _person_name(),
            cl.DateOfBirthComparison(
                "birth",
                input_is_string=False,
                datetime_metrics=["month", "year"],
                datetime_thresholds=[1, 1],
            ),
            cl.ExactMatch("tax_number"),
            cl.ExactMatch("document"),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.ExactMatch("email"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("address_key").configure(term_frequency_adjustments=True),
            cl.ArrayIntersectAtSizes("employers", [1]),
            cl.ArrayIntersectAtSizes("sources", [1]),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def company_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        # Registration and VAT numbers link deterministically (see DETERMINISTIC); the model
        # only compares records of which at least one lacks both, by name. Shared addresses
        # and phones are compared but never block: a mass-registration address or an
        # accountant's phone joins many different firms.
        blocking_rules_to_generate_predictions=[
            "l.name_key = r.name_key AND ((l.registration IS NULL AND l.vat IS NULL) "
            "OR (r.registration IS NULL AND r.vat IS NULL))",
        ],
        comparisons=[
            _name("name_key"),
            cl.ExactMatch("registration"),
            cl.ExactMatch("vat"),
            cl.ExactMatch("address_key").configure(term_frequency_adjustments=True),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.ExactMatch("email"),
            cl.ExactMatch("jurisdiction"),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


SETTINGS = {"person": person_settings, "company": company_settings}

# Training recipe per kind: the rules that find surely-matching pairs (for the prior), and the
# blocks EM runs on, as columns that must agree (each block leaves its own columns untrained, so
# two blocks cover all). A block larger than EM_PAIRS pairs is sampled (one left-hand record in
# so many), so that common names do not make training grow with the square of the register.
TRAINING: dict[str, dict[str, list[Any]]] = {
    "person": {
        "prior": [block_on("tax_number"), block_on("name_key", "birth")],
        "em": [("birth", "skeleton_first"), ("name_key",)],
    },
    "company": {
        "prior": [block_on("registration"), block_on("vat")],
        "em": [("name_key",)],
    },
}
EM_PAIRS = 1_000_000


def train(linker: Any, kind: str, con: duckdb.DuckDBPyConnection) -> None:
    """Estimate the model without labels."""
    recipe = TRAINING[kind]
    # ValueError: more sure matches than the recall allows, on a handful of records (clamped)
    with contextlib.suppress(ValueError):
        linker.training.estimate_probability_two_random_records_match(recipe["prior"], recall=0.8)
    # Splink's estimate is 0 when the sure-match rules find no pair in a small case, and can
    # reach 1 on a handful of records; either makes every match weight infinite and scoring
    # fails. Keep it between one match among all pairs and one in two.
    records = con.execute(f"SELECT count(*) FROM resolve_input_{kind}").fetchone()[0]
    floor = 1 / max(records * (records - 1) // 2, 1)
    settings = linker._settings_obj
    settings._probability_two_random_records_match = min(
        max(settings._probability_two_random_records_match, floor), 0.5
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for columns in recipe["em"]:
        rule = " AND ".join(f"l.{c} = r.{c}" for c in columns)
        pairs = con.execute(f"""SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM (
            SELECT count(*) AS n FROM resolve_input_{kind}
            WHERE {" AND ".join(f"{c} IS NOT NULL" for c in columns)}
            GROUP BY {", ".join(columns)})""").fetchone()[0]
        if pairs > EM_PAIRS:
            rule += f" AND hash(l.unique_id) % {math.ceil(pairs / EM_PAIRS)} = 0"
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True
            )
        except EMTrainingException:
            # No pairs agree on this block in these data (e.g. registration numbers already
            # unify records at ingest); the other blocks train the remaining parameters.
            continue
