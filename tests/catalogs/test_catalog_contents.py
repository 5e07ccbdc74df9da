"""The built-in catalogs hold the items of each framework, counted against the published
texts, and every control a shipped pack or the example cites is one of them."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from governance.catalogs.loading import builtin_catalog, unknown_control
from governance.config.confinement import InputScope
from governance.engine.framework_coverage import Citation, framework_coverage
from governance.policy.loader import PolicySet, builtin_pack_names, load_policy_set

REPO = Path(__file__).resolve().parents[2]


def audit_citations_of(policies: PolicySet) -> tuple[Citation, ...]:
    return tuple(Citation(rule.id, rule.controls) for rule in policies.rules)


def _ids(framework: str) -> list[str]:
    return [item.id for item in builtin_catalog().frameworks[framework].items]


def test_nist_ai_rmf_has_its_72_subcategories_by_function_and_category() -> None:
    ids = _ids("nist-ai-rmf")
    assert len(ids) == 72
    assert Counter(i.split("-")[0] for i in ids) == {
        "govern": 19,
        "map": 18,
        "measure": 22,
        "manage": 13,
    }
    categories = Counter(i.rsplit(".", 1)[0] for i in ids)
    assert categories["govern-1"] == 7
    assert categories["measure-2"] == 13
    assert categories["manage-4"] == 3
    assert len(categories) == 19  # the framework's 19 categories
    assert all(
        framework.is_leaf(i)
        for framework in [builtin_catalog().frameworks["nist-ai-rmf"]]
        for i in ids
    )


def test_iso_42001_has_the_38_annex_a_controls_from_a2_to_a10() -> None:
    ids = _ids("iso-42001")
    assert len(ids) == 38
    assert Counter(re.match(r"A\.(\d+)\.", i)[1] for i in ids) == {  # type: ignore[index]
        "2": 3,
        "3": 2,
        "4": 5,
        "5": 4,
        "6": 9,
        "7": 5,
        "8": 4,
        "9": 3,
        "10": 3,
    }


def test_annex_iv_has_points_1_to_9_with_lettered_sub_points_of_1_and_2() -> None:
    eu = builtin_catalog().frameworks["eu-ai-act"]
    annex = [i.id for i in eu.items if i.id.startswith("annex-iv")]
    assert [i for i in annex if i.count("(") == 1] == [f"annex-iv({n})" for n in range(1, 10)]
    for point in (1, 2):
        assert [c.id for c in eu.children(f"annex-iv({point})")] == [
            f"annex-iv({point})({letter})" for letter in "abcdefgh"
        ]
    assert len([i for i in annex if eu.is_leaf(i)]) == 23


def test_eu_ai_act_articles_9_to_15_are_all_there_with_the_cited_paragraphs() -> None:
    eu = builtin_catalog().frameworks["eu-ai-act"]
    assert {f"art{n}" for n in range(9, 16)} <= {i.id for i in eu.items}
    assert [c.id for c in eu.children("art10(2)")] == [f"art10(2)({x})" for x in "abcdefgh"]
    assert len(eu.children("art13(3)(b)")) == 7
    assert eu.ancestors("art13(3)(b)(iii)") == ("art13(3)(b)", "art13(3)", "art13")


def test_nyc_ll144_gdpr_and_eeoc_hold_the_items_the_packs_build_on() -> None:
    catalog = builtin_catalog()
    for control in (
        "nyc-ll144:5-301(b)(3)",
        "nyc-ll144:5-301(c)(4)",
        "nyc-ll144:5-301(d)",
        "gdpr:art5(1)(c)",
        "gdpr:art9",
        "gdpr:art22",
        "gdpr:art35",
        "eeoc:1607.4(D)",
    ):
        assert catalog.item(control) is not None, control
    assert [c.id for c in catalog.frameworks["gdpr"].children("art5(1)")] == [
        f"art5(1)({x})" for x in "abcdef"
    ]


def test_every_title_is_one_short_line() -> None:
    for framework in builtin_catalog().frameworks.values():
        for item in framework.items:
            assert "\n" not in item.title and len(item.title) <= 120, item.control


@pytest.mark.parametrize(
    "reference",
    [*(f"builtin:{name}" for name in builtin_pack_names()), "examples/hiring/hiring-policy.yaml"],
)
def test_every_control_a_shipped_policy_cites_is_a_catalog_item(reference: str) -> None:
    path = REPO / reference if not reference.startswith("builtin:") else REPO / "policies" / "x"
    policies = load_policy_set((reference,), REPO, scope=InputScope.around(path))
    cited = [c for rule in policies.rules for c in rule.controls]
    assert cited
    assert [c for c in cited if unknown_control(policies.catalog, c)] == []


def test_the_lookup_gives_an_item_and_its_framework() -> None:
    catalog = builtin_catalog()
    item = catalog.item("eu-ai-act:annex-iv(2)(g)")
    assert item is not None
    assert (item.framework, item.id, item.control) == (
        "eu-ai-act",
        "annex-iv(2)(g)",
        "eu-ai-act:annex-iv(2)(g)",
    )
    framework = catalog.framework_of(item.control)
    assert framework is not None and framework.title == "EU AI Act"
    assert framework.parent(item.id) == "annex-iv(2)"
    assert catalog.item("eu-ai-act:annex-iv(10)") is None
    assert catalog.item("annex-iv(2)(g)") is None


def test_ll144_rules_cite_the_paragraph_that_requires_what_they_compute() -> None:
    # 6 RCNY 5-301: (b) selects, (c) scores; (b)(1)/(c)(2) the rate, (b)(2)/(c)(3) the impact
    # ratio, (c)(1) the median score, (b)(3)/(c)(4) the separate and intersectional
    # calculations, (b)(5)/(c)(5) the count of individuals of unknown category, (d) the
    # exclusion of a category under 2% of the data, disclosed with its count and rate.
    policies = load_policy_set(
        ("builtin:nyc-ll144",), REPO, scope=InputScope.around(REPO / "policies" / "x")
    )
    cited = {rule.id: set(rule.controls) for rule in policies.rules}
    selects = {f"nyc-ll144:5-301(b)({n})" for n in (1, 2, 3, 5)} | {"nyc-ll144:5-301(d)"}
    scores = {f"nyc-ll144:5-301(c)({n})" for n in (1, 2, 3, 4, 5)} | {"nyc-ll144:5-301(d)"}
    assert cited == {
        "LL144-SEL-SEX": selects,
        "LL144-SEL-RACE": selects,
        "LL144-SEL-INTERSECT": selects,
        "LL144-SCORE-SEX": scores,
        "LL144-SCORE-RACE": scores,
        "LL144-SCORE-INTERSECT": scores,
    }


def test_an_ll144_audit_leaves_uncovered_only_what_no_computation_can_show() -> None:
    # What the figures cannot show (the audit's age, a tool that classifies into groups, the
    # data's kind and origin, the published summary, the notice to candidates) stays
    # uncovered, so no coverage table claims it.
    policies = load_policy_set(
        ("builtin:nyc-ll144",), REPO, scope=InputScope.around(REPO / "policies" / "x")
    )
    (framework,) = framework_coverage(
        policies.catalog, audit_citations_of(policies), report_signed=True
    )
    assert [item.control.partition(":")[2] for item in framework.uncovered] == [
        "5-301(a)",
        "5-301(b)(4)",
        "5-302(a)",
        "5-302(b)",
        "5-303",
        "5-304",
    ]
