"""Who can help whom on the hub page, by category: the sections' rows built as HTML
strings like the heatmap's (`audits.hub_html.heatmap`), and what the partial
`templates/audits/_hub_pairings.html` needs around them (`pairings_panel`)."""

import dataclasses
import functools
import html
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audits import rules
from audits.hub_html.heatmap import url_pattern
from audits.instrument import CATEGORIES, STAGES
from audits.labels import category_label, stage_label
from audits.selectors.member_rows import HubFilters, MemberRow
from audits.selectors.pairings import (
    SCHOOLS_IN_ONE_CATEGORY,
    SCHOOLS_PER_SECTION,
    PairingFilters,
    PairingSection,
    pairing_sections,
)


@dataclass(frozen=True)
class PairingWords:
    """The pairing sections' cells and words in one language, formatted and escaped once."""

    stage_cell: dict  # the school in need's stage
    helper_stage: dict  # a helper's stage, beside its name
    same_phase: str  # after a helper's stage, when it is in the learner's phase
    propose: str
    propose_name: str  # the rest of the link's accessible name, to be formatted
    who_can_help: str  # the helpers' label on a phone


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _pairing_words_in(language: str) -> PairingWords:
    label = _("Its stage")
    return PairingWords(
        stage_cell={
            s.value: format_html(
                '<td class="stage-cell stage-{}" data-label="{}">{}</td>',
                s.value,
                label,
                stage_label(s),
            )
            for s in STAGES
        },
        helper_stage={
            s.value: format_html(
                '<span class="stage-tag stage-{}">{}</span>', s.value, stage_label(s)
            )
            for s in STAGES
        },
        same_phase=format_html(' <span class="same-phase">· {}</span>', _("same phase")),
        propose=html.escape(_("Propose support")),
        propose_name=_(": %(helper)s to help %(learner)s in category %(number)s"),
        who_can_help=html.escape(_("Who can help")),
    )


@dataclass(frozen=True)
class ShownSection:
    """One category's section as the partial shows it."""

    section: PairingSection
    heading: str
    rows: SafeString
    alone_query: str  # the page showing this category alone


@dataclass(frozen=True)
class PairingsPanel:
    """What `templates/audits/_hub_pairings.html` shows: the filters as chosen, the options
    of their two lists, the sections, the heatmap's filters (kept as hidden fields by the
    filter form) and the query string of the page and exports without pairing filters."""

    filters: PairingFilters
    school_options: SafeString
    category_options: SafeString
    sections: list[ShownSection]
    kept: list[tuple[str, str]]
    heatmap_query: str
    per_section: int

    @property
    def filtered(self) -> bool:
        return bool(self.filters.items())


def pairings_panel(
    rows: list[MemberRow], filters: PairingFilters, heatmap: HubFilters, hub_slug: str
) -> PairingsPanel:
    """Who can help whom among the heatmap's rows, by category, as the filters ask: what
    the partial needs. A school filter naming a member these rows leave out (or one in need
    of nothing) is dropped. No query."""
    in_need = sorted(
        (row for row in rows if row.has_audit and rules.needs_help(row.stages)),
        key=lambda row: (row.name.casefold(), row.school_id),
    )
    if filters.school not in {row.school_id for row in in_need}:
        filters = dataclasses.replace(filters, school=None)
    query, links = heatmap.query(), _pairing_links(hub_slug)
    sections = pairing_sections(rows, filters)
    return PairingsPanel(
        filters=filters,
        school_options=_options([(r.school_id, r.name) for r in in_need], filters.school),
        category_options=_options(
            [(c.number, _category_heading(c)) for c in CATEGORIES], filters.category
        ),
        sections=[_shown_section(section, query, links) for section in sections],
        kept=parse_qsl(query),
        heatmap_query=query,
        per_section=SCHOOLS_IN_ONE_CATEGORY if filters.category else SCHOOLS_PER_SECTION,
    )


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _category_headings_in(language: str) -> dict[int, str]:
    heading = _("%(number)s. %(category)s")
    return {
        c.number: heading % {"number": c.number, "category": category_label(c)} for c in CATEGORIES
    }


def _category_heading(category) -> str:
    """ "4. Leadership × Relevant research": a section's heading, and its filter option."""
    return _category_headings_in(get_language())[category.number]


def _options(choices: list[tuple[int, str]], chosen: int | None) -> SafeString:
    """A list's options after its first ("All …"), the chosen one selected."""
    return mark_safe(  # the labels are escaped
        "".join(
            f'<option value="{value}"{" selected" if value == chosen else ""}>'
            f"{html.escape(label)}</option>"
            for value, label in choices
        )
    )


def _shown_section(section: PairingSection, query: str, links: "_PairingLinks") -> ShownSection:
    number = section.category.number
    alone = "&".join(part for part in (query, f"category={number}") if part)
    return ShownSection(
        section=section,
        heading=_category_heading(section.category),
        rows=pairing_rows_html(section, links),
        alone_query=alone,
    )


def pairing_rows_html(section: PairingSection, links: "_PairingLinks") -> SafeString:
    """A section's table rows: one per school in need, with its stage and its helpers,
    each helper's stage, whether in the same phase, and a link to propose that support.
    Built like the heatmap's rows: escaped with `html.escape`, one string per row."""
    number, helps = section.category.number, links.words.who_can_help
    lines = []
    for learner in section.learners:
        helpers = "".join(_helper_item(links, p, number) for p in learner.helpers)
        lines.append(
            f'<tr><th scope="row">{links.school_link(learner.school)}</th>'
            f"{links.words.stage_cell[learner.stage.value]}"
            f'<td data-label="{helps}"><ul class="pairing-helpers">{helpers}</ul></td></tr>'
        )
    return mark_safe("\n".join(lines))  # every part above is escaped


def _pairing_links(hub_slug: str) -> "_PairingLinks":
    return _PairingLinks(
        school=url_pattern("audits:school_journey"),
        propose=html.escape(
            reverse("communities:support_new", args=[hub_slug])
            + "?supporting={}&supported={}&category={}"
        ),
        words=_pairing_words_in(get_language()),
    )


@dataclass(frozen=True)
class _PairingLinks:
    school: str  # a school's journey, to be formatted with its id
    propose: str  # proposing support, to be formatted with helper, learner and category
    words: PairingWords

    def school_link(self, school) -> str:
        return f'<a href="{self.school.format(school.key)}">{html.escape(school.name)}</a>'


def _helper_item(links: _PairingLinks, pairing, number: int) -> str:
    """A helper: its name, its stage, "same phase" when it is, and the link proposing its
    support (named for both schools and the category, for screen readers)."""
    words, helper, learner = links.words, pairing.helper, pairing.learner
    hidden = words.propose_name % {"helper": helper.name, "learner": learner.name, "number": number}
    href = links.propose.format(helper.key, learner.key, number)
    return (
        f"<li>{links.school_link(helper)} {words.helper_stage[pairing.helper_stage.value]}"
        f"{words.same_phase if pairing.same_phase else ''}"
        f' <a class="propose-support" href="{href}">{words.propose}'
        f'<span class="visually-hidden">{html.escape(hidden)}</span></a></li>'
    )
