"""audits.instrument_texts: every version's texts are complete, and version 2's descriptors
are written for their own category, not a generic stage text or a template filled in.
Database-free."""

import ast
import itertools
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from audits import instrument_texts, instrument_texts_v2
from audits.instrument import CATEGORIES, STAGES, Area, Category, Source, Stage
from audits.instrument_texts import (
    INSTRUMENT_VERSION,
    VERSIONS,
    CategoryTexts,
    Example,
    category_texts,
    descriptor,
)

NEARLY = 0.6  # SequenceMatcher ratio from which two descriptors count as the same text

V2 = {c: category_texts(c, 2) for c in CATEGORIES}
V2_DESCRIPTORS = [(c, stage, text) for c, t in V2.items() for stage, text in t.descriptors.items()]


def ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def all_strings(texts: CategoryTexts) -> list[str]:
    return [
        texts.explanation,
        *(s for e in texts.examples for s in (e.name, e.why)),
        *texts.descriptors.values(),
    ]


def test_the_current_version_is_the_newest_known_one():
    assert INSTRUMENT_VERSION == max(VERSIONS) == 2
    assert VERSIONS == (1, 2)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.code)
def test_every_category_of_every_version_has_four_descriptors_one_per_stage_in_order(
    version, category
):
    texts = category_texts(category, version)
    assert isinstance(texts, CategoryTexts)
    assert list(texts.descriptors) == list(STAGES)
    for stage in STAGES:
        assert descriptor(category, stage, version) == texts.descriptors[stage]


def test_the_default_version_is_the_current_one():
    for c in CATEGORIES:
        assert category_texts(c) == category_texts(c, INSTRUMENT_VERSION)
        assert descriptor(c, Stage.ENGAGEMENT) == descriptor(c, Stage.ENGAGEMENT, 2)


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.code)
def test_version_1_is_the_generic_stage_texts_with_no_explanation_or_examples(category):
    texts = category_texts(category, 1)
    assert texts.explanation == ""
    assert texts.examples == ()
    assert texts.descriptors == {stage: stage.descriptor for stage in STAGES}


def test_version_2_covers_exactly_the_nine_categories():
    assert set(instrument_texts_v2.TEXTS) == set(CATEGORIES)


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.code)
def test_version_2_has_an_explanation_of_two_or_three_sentences(category):
    sentences = re.split(r"(?<=[.?!])\s+", V2[category].explanation.strip())
    assert 2 <= len(sentences) <= 3


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.code)
def test_version_2_has_two_to_four_examples_each_a_name_and_one_sentence_why(category):
    examples = V2[category].examples
    assert 2 <= len(examples) <= 4
    assert all(isinstance(e, Example) for e in examples)
    assert len({e.name for e in examples}) == len(examples)
    for e in examples:
        assert not re.search(r"[.?!]\s", e.why), e.why  # one sentence
        assert e.why.endswith(".")


def test_no_two_version_2_descriptors_are_equal():
    texts = [text for _, _, text in V2_DESCRIPTORS]
    assert len(texts) == 36
    assert len(set(texts)) == 36


@pytest.mark.parametrize(
    "category, stage, text", V2_DESCRIPTORS, ids=lambda v: getattr(v, "code", None)
)
def test_no_version_2_descriptor_is_or_contains_or_nearly_is_a_generic_stage_text(
    category, stage, text
):
    for generic_stage in STAGES:
        generic = generic_stage.descriptor
        assert text != generic
        assert generic not in text
        assert ratio(text, generic) < NEARLY, (category.code, stage.name, generic_stage.name)


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_no_version_2_descriptor_is_a_template_shared_with_another_category(stage):
    texts = [(c.code, V2[c].descriptors[stage]) for c in CATEGORIES]
    near = [
        (a, b, round(ratio(ta, tb), 2))
        for (a, ta), (b, tb) in itertools.combinations(texts, 2)
        if ratio(ta, tb) >= NEARLY
    ]
    assert near == []


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.code)
def test_within_a_category_the_four_version_2_descriptors_differ(category):
    texts = list(V2[category].descriptors.values())
    assert len(set(texts)) == 4
    for a, b in itertools.combinations(texts, 2):
        assert ratio(a, b) < NEARLY


@pytest.mark.parametrize("version", VERSIONS)
def test_every_string_is_a_non_empty_str_without_stray_spaces(version):
    for c in CATEGORIES:
        texts = category_texts(c, version)
        strings = all_strings(texts)
        if version == 1:
            strings = strings[1:]  # version 1 has no explanation, by definition
        for s in strings:
            assert isinstance(s, str)
            assert s.strip() == s != ""
            # Texts are split over lines by implicit concatenation; a lost or doubled space
            # at a seam shows as two spaces or as a full stop run into the next word.
            assert "  " not in s
            assert not re.search(r"[a-z][.;:,][A-Za-z]", s), s


def test_version_2_is_written_in_british_english():
    american = re.compile(
        r"\b(program|programs|organiz\w*|analyz\w*|behavior\w*|center|judgment|"
        r"color\w*|favor\w*|mobiliz\w*|recogniz\w*|prioritiz\w*|enroll\w*)\b",
        re.IGNORECASE,
    )
    found = [s for c in CATEGORIES for s in all_strings(V2[c]) if american.search(s)]
    assert found == []


@pytest.mark.parametrize("version", [0, 3, -1, None, "2", 2.0, True])
def test_an_unknown_version_raises_value_error_naming_the_known_versions(version):
    with pytest.raises(ValueError, match=r"known versions are 1, 2"):
        category_texts(CATEGORIES[0], version)
    with pytest.raises(ValueError, match=r"known versions are 1, 2"):
        descriptor(CATEGORIES[0], Stage.ISOLATION, version)


def test_an_unknown_category_raises_value_error():
    stranger = Category(number=10, area=Area.LEADERSHIP, source=Source.BEST_PRACTICE)
    for version in VERSIONS:
        with pytest.raises(ValueError, match="Unknown category"):
            category_texts(stranger, version)


def test_a_caller_changing_its_descriptors_does_not_change_the_next_callers():
    first = category_texts(CATEGORIES[0])
    first.descriptors[Stage.ISOLATION] = "changed"
    assert category_texts(CATEGORIES[0]).descriptors[Stage.ISOLATION] != "changed"


@pytest.mark.parametrize("module", [instrument_texts, instrument_texts_v2])
def test_the_texts_are_pure_python_importing_only_the_instrument(module):
    tree = ast.parse(Path(module.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    first_party = {name for name in imported if name.split(".")[0] in ("audits", "django")}
    assert first_party <= {"audits.instrument", "audits.instrument_texts_v2"}


def test_every_version_2_text_is_marked_for_translation():
    # The message extractor reads the source, not the values: each text must sit, whole,
    # inside a gettext_noop(...) call in the data module.
    tree = ast.parse(Path(instrument_texts_v2.__file__).read_text())
    marked = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "gettext_noop"
        and isinstance(node.args[0], ast.Constant)
    }
    unmarked = [s for c in CATEGORIES for s in all_strings(V2[c]) if s not in marked]
    assert unmarked == []
