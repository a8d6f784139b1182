"""The self-audit instrument: areas, sources, stages and the nine categories.

One definition that models, forms, rules, admin, exports and templates all import.
Pure Python, no Django: `audits.rules` builds on it. Nine is an invariant, so the
instrument lives in code, not in database rows.

Its texts are English message ids, marked with `gettext_noop` for the translators'
catalogue; the Django layer translates them when it renders (`audits.labels`, and
`{% translate %}` in templates). Nothing here is built in one language.
"""

from dataclasses import dataclass
from enum import Enum, IntEnum


def gettext_noop(message: str) -> str:
    """Marks `message` for the translation catalogue and returns it unchanged (the same
    name as Django's, which the message extractor looks for)."""
    return message


class Area(Enum):
    """Areas of knowledge: the rows of the 3 x 3 grid."""

    TEACHING_AND_LEARNING = "teaching"
    LEADERSHIP = "leadership"
    COLLABORATIVE_LEARNING = "collaborative"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]


class Source(Enum):
    """Sources of knowledge: the columns of the 3 x 3 grid."""

    RELEVANT_RESEARCH = "research"
    BEST_PRACTICE = "practice"
    EMERGING_INNOVATION = "innovation"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]

    @property
    def description(self) -> str:
        return _SOURCE_DESCRIPTIONS[self]


_AREA_LABELS = {
    Area.TEACHING_AND_LEARNING: gettext_noop("Teaching and learning"),
    Area.LEADERSHIP: gettext_noop("Leadership"),
    Area.COLLABORATIVE_LEARNING: gettext_noop("Collaborative learning"),
}

_SOURCE_LABELS = {
    Source.RELEVANT_RESEARCH: gettext_noop("Relevant research"),
    Source.BEST_PRACTICE: gettext_noop("Best practice"),
    Source.EMERGING_INNOVATION: gettext_noop("Emerging effective innovation"),
}

_SOURCE_DESCRIPTIONS = {
    Source.RELEVANT_RESEARCH: gettext_noop(
        "Research findings such as the Education Endowment Foundation's, universities "
        "and research journals."
    ),
    Source.BEST_PRACTICE: gettext_noop(
        "Inspection and national results, triangulated against some form of peer judgement."
    ),
    Source.EMERGING_INNOVATION: gettext_noop(
        "Best practice shaped so that the wider community can use it, such as peer review "
        "and teacher-improvement programmes."
    ),
}


class Stage(IntEnum):
    """The four stages of the journey, in order."""

    ISOLATION = 1
    INITIATION = 2
    ENGAGEMENT = 3
    INTEGRATION = 4

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def descriptor(self) -> str:
        return _STAGE_DESCRIPTORS[self]

    @property
    def next(self) -> "Stage | None":
        return Stage(self + 1) if self < Stage.INTEGRATION else None


_STAGE_LABELS = {
    Stage.ISOLATION: gettext_noop("Isolation"),
    Stage.INITIATION: gettext_noop("Initiation"),
    Stage.ENGAGEMENT: gettext_noop("Engagement"),
    Stage.INTEGRATION: gettext_noop("Integration"),
}

_STAGE_DESCRIPTORS = {
    Stage.ISOLATION: gettext_noop(
        "Knowledge is limited to what each teacher and leader holds; there is no knowledge "
        "sharing or creation between them."
    ),
    Stage.INITIATION: gettext_noop(
        "The school begins, rudimentarily, to share its knowledge and to engage with "
        "knowledge holders beyond itself."
    ),
    Stage.ENGAGEMENT: gettext_noop(
        "The school systematically uses its own knowledge and works with other schools to "
        "share and create knowledge effectively."
    ),
    Stage.INTEGRATION: gettext_noop(
        "The school is part of an integrated learning community of schools, universities "
        "and other organisations, and its students receive an education that reflects the "
        "wisdom of the global education community."
    ),
}


@dataclass(frozen=True)
class Category:
    """One cell of the grid: an area of knowledge drawn from one source."""

    number: int
    area: Area
    source: Source

    @property
    def label(self) -> str:
        """The English name, "Leadership × Best practice"; pages use
        `audits.labels.category_label`, in the reader's language."""
        return f"{self.area.label} × {self.source.label}"

    @property
    def code(self) -> str:
        return f"{self.area.value}_{self.source.value}"


AREAS: tuple[Area, ...] = tuple(Area)
SOURCES: tuple[Source, ...] = tuple(Source)
STAGES: tuple[Stage, ...] = tuple(Stage)

# Instrument order: row by row, as the seeds number them 1 to 9.
CATEGORIES: tuple[Category, ...] = tuple(
    Category(number=row * len(SOURCES) + column + 1, area=area, source=source)
    for row, area in enumerate(AREAS)
    for column, source in enumerate(SOURCES)
)
CATEGORY_BY_NUMBER: dict[int, Category] = {c.number: c for c in CATEGORIES}
CATEGORY_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


def category(area: Area, source: Source) -> Category:
    """The category at the crossing of an area and a source."""
    return CATEGORIES[AREAS.index(area) * len(SOURCES) + SOURCES.index(source)]


class LearningPhase(Enum):
    """Phases of learning activity in the Olevi collaborative learning model."""

    INFORMATION = "information"
    EXPERIENCE = "experience"
    COACHING_AND_MENTORING = "coaching"

    @property
    def label(self) -> str:
        return _LEARNING_PHASE_LABELS[self]


_LEARNING_PHASE_LABELS = {
    LearningPhase.INFORMATION: gettext_noop("Information"),
    LearningPhase.EXPERIENCE: gettext_noop("Experience"),
    LearningPhase.COACHING_AND_MENTORING: gettext_noop("Coaching and mentoring"),
}


@dataclass(frozen=True)
class ReflectionQuestion:
    field: str
    question: str


# The reflection questions that close the seed on the journey.
REFLECTION_QUESTIONS: tuple[ReflectionQuestion, ...] = (
    ReflectionQuestion(
        "reflection_coherence",
        gettext_noop("How coherent is your approach to knowledge sharing internally?"),
    ),
    ReflectionQuestion(
        "reflection_knowledge_owners",
        gettext_noop("Who are the key knowledge owners that you need to engage with?"),
    ),
    ReflectionQuestion(
        "reflection_condoned_failure", gettext_noop("Have you issues with condoned failure?")
    ),
    ReflectionQuestion(
        "reflection_learning_phases",
        gettext_noop(
            "How are you building capacity to use the three phases of learning activity "
            "(information, experience, coaching and mentoring)?"
        ),
    ),
)
