"""Bad input never gives a 500. Hypothesis drives the audit form and the hub page's query
parameters (and the exports that share them) with arbitrary text, numbers and lengths:
only 200, 302, 400 and 404 come back (409 only for a form posted from an out-of-date
version: the conflict page), with field errors wherever the form is wrong.

At least 200 examples each; every test asserts how many it tried.
"""

from collections import Counter

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import Audit
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit

EXAMPLES = 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example database in the working tree; each run explores afresh
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Any Unicode a browser could send (no lone surrogates: they cannot be encoded as UTF-8),
# NUL and control characters included, short and long.
# Random text leaves NUL out: the middleware refuses any request holding one with a 400
# before a form sees it, and random text would hold one in most examples. NUL still comes
# now and then from the samples below (and tests/test_nul_characters.py).
chars = st.characters(codec="utf-8", exclude_characters="\x00")
any_text = st.one_of(
    st.text(chars, max_size=40),
    st.text(chars, min_size=200, max_size=5000),
    st.sampled_from(["", " ", "\x00", "null", "-1", "0", "1e309", "NaN", "💥" * 50, "'; --"]),
)
any_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
any_value = st.one_of(any_text, any_number)
VALID_STAGES = ["", "1", "2", "3", "4"]
stage_value = st.one_of(st.sampled_from(VALID_STAGES), any_value)


def is_valid_stage(value: str) -> bool:
    return value.strip() in VALID_STAGES


def has_field_errors(page: str) -> bool:
    """The error summary at the top of the form, linking to each field in error."""
    return 'id="error-summary"' in page


# -- the audit form ----------------------------------------------------------------------


@st.composite
def audit_posts(draw):
    """A POST of the audit form: each field absent, valid or arbitrary (half the posts
    have only valid stages, so that saves happen too); sometimes an out-of-date or
    nonsense version, sometimes extra fields, sometimes "check" (or an old page's "submit")."""
    data = {}
    stages = draw(st.sampled_from([st.sampled_from(VALID_STAGES), stage_value]))
    for category in CATEGORIES:
        if draw(st.booleans()):
            data[f"stage_{category.number}"] = draw(stages)
        if draw(st.booleans()):
            data[f"evidence_{category.number}"] = draw(any_text)
    for question in REFLECTION_QUESTIONS:
        if draw(st.booleans()):
            data[question.field] = draw(any_text)
    version = draw(st.sampled_from(["current", "current", "current", "stale", "junk", "none"]))
    extra = draw(st.dictionaries(st.text(chars, max_size=20), any_value, max_size=3))
    action = draw(st.sampled_from(["save", "check", "submit", None]))
    return data, version, extra, action


@pytest.fixture
def fuzz_draft(school):
    return make_audit(school, stages=[None] * 9, submitted=False)


def test_fuzz_audit_form(client_for, leader, fuzz_draft):
    client = client_for(leader)
    url = reverse("audits:audit_edit_all", args=[fuzz_draft.pk])
    tried = []

    @FUZZ
    @given(audit_posts())
    def post(example):
        data, version, extra, action = example
        current = Audit.objects.get(pk=fuzz_draft.pk).version
        payload = {**extra, **data}
        if version == "current":
            payload["version"] = str(current)
        elif version == "stale":
            payload["version"] = str(max(1, current - 1))
        elif version == "junk":
            payload["version"] = extra.get("version", "not-a-number")
        if action:
            payload[action] = action
        response = client.post(url, payload)
        tried.append(response.status_code)

        stages_ok = all(is_valid_stage(data.get(f"stage_{c.number}", "")) for c in CATEGORIES)
        page = response.content.decode()
        if response.status_code == 409:
            assert payload.get("version") == str(max(1, current - 1)) != str(current)
            assert 'id="conflict"' in page
        else:
            assert response.status_code in (200, 302, 400, 404), response.status_code
        if response.status_code == 400:  # refused whole, before the form: a NUL character
            assert any("\x00" in f"{key}{value}" for key, value in payload.items())
        if response.status_code == 200:
            assert has_field_errors(page), "a form refused without saying why"
        if not stages_ok and response.status_code != 400:
            assert response.status_code in (200, 409), "a wrong stage was accepted"
            assert has_field_errors(page) or response.status_code == 409
            if response.status_code == 200:
                assert "is-invalid" in page  # the wrong stage itself is marked
        # It saves at most: an audit is submitted from its check page only.
        assert not Audit.objects.get(pk=fuzz_draft.pk).is_submitted

    post()
    print(f"fuzz_audit_form_examples: {len(tried)} {sorted(Counter(tried).items())}")
    assert len(tried) >= EXAMPLES


def test_fuzz_audit_start_form(client_for, leader, school):
    client = client_for(leader)
    url = reverse("audits:audit_start", args=[school.pk])
    tried = []

    @FUZZ
    @given(
        st.dictionaries(
            st.sampled_from(["period", "copy_forward", "school", "status", "x"]),
            any_value,
            max_size=4,
        )
    )
    def post(payload):
        response = client.post(url, payload)
        tried.append(response.status_code)
        assert response.status_code in (200, 302, 400, 404), response.status_code
        if response.status_code == 200 and payload:
            # (An empty POST shows the empty form again: `request.POST or None`.)
            assert "is-invalid" in response.content.decode()
        Audit.objects.filter(school=school).delete()

    post()
    assert len(tried) >= EXAMPLES


# -- the hub page's query parameters -------------------------------------------------------


@pytest.fixture
def busy_hub(hub, school):
    """The hub with a few members in two phases, with submitted audits in two periods."""
    make_audit(school, stages=[4, 3, 2, 1, 4, 3, 2, 1, 4], period="2024/25")
    for index in range(4):
        member = SchoolFactory(phase="Primary" if index % 2 else "Secondary")
        HubMembershipFactory(hub=hub, school=member)
        make_audit(member, stages=index % 4 + 1, period="2023/24")
        make_audit(member, stages=[(index + c) % 4 + 1 for c in range(9)], period="2024/25")
    return hub


QUERY_KEYS = ["sort", "dir", "phase", "role", "as_of", "evidence", "page", "format", "q"]
query_value = st.one_of(
    st.sampled_from(
        ["name", "overall", "asc", "desc", "lead", "member", "Primary", "2024/25", "on"]
        + [c.code for c in CATEGORIES]
    ),
    any_value,
)
queries = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_KEYS), st.text(chars, max_size=15)),
    st.one_of(query_value, st.lists(query_value, max_size=3)),
    max_size=6,
)


@pytest.mark.parametrize(
    "url_name",
    [
        "audits:hub_detail",
        "audits:hub_summary",
        "audits:hub_export_csv",
        "audits:hub_export_xlsx",
        "audits:hub_export_pairings_csv",
    ],
)
def test_fuzz_hub_query_parameters(client_for, coordinator, busy_hub, url_name):
    client = client_for(coordinator)
    url = reverse(url_name, args=[busy_hub.slug])
    tried = []
    examples = EXAMPLES if url_name == "audits:hub_detail" else EXAMPLES // 4

    @settings(FUZZ, max_examples=examples)
    @given(queries)
    def get(query):
        response = client.get(url, query)
        tried.append(response.status_code)
        assert response.status_code in (200, 302, 400, 404), response.status_code

    get()
    print(f"fuzz {url_name}: {len(tried)} examples {sorted(Counter(tried).items())}")
    assert len(tried) >= examples


def test_fuzz_hub_slug_and_ids_in_the_address(client_for, coordinator, busy_hub):
    client = client_for(coordinator)
    tried = []

    @FUZZ
    @given(st.text(st.characters(codec="utf-8", exclude_characters="/?#%"), min_size=1))
    def get(fragment):
        for path in (f"/hubs/{fragment}/", f"/audits/{fragment}/", f"/schools/{fragment}/"):
            response = client.get(path)
            assert response.status_code in (200, 301, 302, 400, 404), (path, response.status_code)
        tried.append(fragment)

    get()
    assert len(tried) >= EXAMPLES
