"""The texts a school rates itself against, by version: for each category, what it covers,
examples of it, and what each of the four stages looks like in it.

An audit records the version it was rated against, and its report shows that version's
texts, so a rating always sits beside the words it was given for. A released version is
therefore never edited; changed texts are a new version, added to `VERSIONS` and made
current in `INSTRUMENT_VERSION`.

- Version 1: no explanation, no examples, and the generic `Stage.descriptor` in every
  category, as the instrument first had it.
- Version 2: texts written for each category from the seeds, kept in
  `audits.instrument_texts_v2`; `docs/instrument-sources.md` gives the passage behind each.

Pure Python, like `audits.instrument`: the texts are English message ids, marked with
`gettext_noop`, which the Django layer translates when it renders them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from audits.instrument import CATEGORIES, STAGES, Category, Stage
from audits.instrument_texts_v2 import TEXTS as _V2_TEXTS

INSTRUMENT_VERSION: int = 2
VERSIONS: tuple[int, ...] = (1, 2)


@dataclass(frozen=True)
class Example:
    """Something schools do that belongs in a category."""

    name: str  # what it is, e.g. "Initial teacher training with a university"
    why: str  # one sentence: why it belongs in this category


@dataclass(frozen=True)
class CategoryTexts:
    """Everything one version says about one category."""

    explanation: str  # "" in version 1
    examples: tuple[Example, ...]  # () in version 1
    descriptors: dict[Stage, str]  # the four stages, in order


def _version_1(category: Category) -> CategoryTexts:
    return CategoryTexts(
        explanation="",
        examples=(),
        descriptors={stage: stage.descriptor for stage in STAGES},
    )


def _version_2(category: Category) -> CategoryTexts:
    explanation, examples, descriptors = _V2_TEXTS[category]
    return CategoryTexts(
        explanation=explanation,
        examples=tuple(Example(name=name, why=why) for name, why in examples),
        descriptors={stage: descriptors[stage] for stage in STAGES},
    )


_BUILDERS: dict[int, Callable[[Category], CategoryTexts]] = {1: _version_1, 2: _version_2}


def category_texts(category: Category, version: int = INSTRUMENT_VERSION) -> CategoryTexts:
    """The explanation, examples and four stage descriptors of `category` in `version` of
    the texts, untranslated (English message ids). Raises ValueError for a version or a
    category the instrument does not know."""
    # bool is an int, but True is no version number; a version read from a form or a
    # file as "2" must be converted by the caller, not guessed at here.
    if type(version) is not int or version not in _BUILDERS:
        known = ", ".join(str(v) for v in VERSIONS)
        raise ValueError(f"Unknown instrument version {version!r}; the known versions are {known}.")
    if category not in CATEGORIES:
        raise ValueError(f"Unknown category {category!r}.")
    # Built afresh on each call, so a caller that changes its descriptors dict cannot
    # change what the next caller reads.
    return _BUILDERS[version](category)


def descriptor(category: Category, stage: Stage, version: int = INSTRUMENT_VERSION) -> str:
    """What `stage` looks like in `category`, in `version` of the texts (an English message
    id). Raises ValueError for an unknown version, category or stage."""
    return category_texts(category, version).descriptors[Stage(stage)]
