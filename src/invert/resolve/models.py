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

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
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


def _tokens_close(similarity: float) -> Any:
    """Every word of the shorter name is close to a word of the other, in any order: catches
    typos and transliteration variants (Tsvetelina / Cvetelina, Yordanov / Iordanov)."""
    sql = (
        "len(list_filter(name_tokens_l, x -> len(list_filter(name_tokens_r, "
        f"y -> jaro_winkler_similarity(x, y) >= {similarity})) > 0)) "
        ">= least(len(name_tokens_l), len(name_tokens_r)) "
        "AND least(len(name_tokens_l), len(name_tokens_r)) >= 2"
    )
    return cll.CustomLevel(sql, label_for_charts=f"every word close (Jaro-Winkler ≥ {similarity})")


def _person_name() -> Any:
    return cl.CustomComparison(
        output_column_name="name_key",
        comparison_description="name words (sorted, particles dropped)",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_key", term_frequency_adjustments=True),
            _tokens_close(0.92),
            _tokens_close(0.84),
            cll.ElseLevel(),
        ],
    )


def person_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("tax_number"),
            block_on("document"),
            block_on("birth"),
            block_on("name_key"),
            block_on("phone"),
            block_on("email"),
            block_on("last_token", "first_token"),
        ],
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
# blocks EM runs on (each block leaves its own columns untrained, so two blocks cover all).
TRAINING = {
    "person": {
        "prior": [block_on("tax_number"), block_on("name_key", "birth")],
        "em": [block_on("birth"), block_on("name_key")],
    },
    "company": {
        "prior": [block_on("registration"), block_on("vat")],
        "em": [block_on("name_key")],
    },
}


def train(linker: Any, kind: str) -> None:
    """Estimate the model without labels."""
    recipe = TRAINING[kind]
    linker.training.estimate_probability_two_random_records_match(recipe["prior"], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in recipe["em"]:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True
            )
        except EMTrainingException:
            # No pairs agree on this block in these data (e.g. registration numbers already
            # unify records at ingest); the other blocks train the remaining parameters.
            continue
