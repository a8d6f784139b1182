"""Two people saving the same draft at the same moment, 200 times, through the real view.

Creates its own PostgreSQL database (clc_bench_conflicts), serves the app with gunicorn
(4 workers, DEBUG off) on 127.0.0.1, signs in two leaders of one school, and for each
trial: both load the edit page (the same version), then both post their own words at
once (two threads, two connections). Afterwards it reads what is saved.

- lost_updates: a person was told "saved" (302) but their words are not what is saved,
  or a person was refused and their words are not on the page they got back. Must be 0.
- conflicts_reported: the later person got the conflict page (409) with their words
  kept in the form and the other person's words shown.
- saved_again_after_conflict: that person then saved the conflict page's form as it was
  and their words were saved (nothing they typed was lost).

Prints `name: value` lines. Usage:
    .venv/bin/python bench/bench_conflicts.py
(DATABASE_URL, if set, names the PostgreSQL server; the database is clc_bench_conflicts.)

The trial logic is shared with tests/audits/test_concurrency_conflicts.py, which runs it through
Django's test client on a few trials.
"""

import html
import secrets
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_scaleout import Browser, gunicorn, manage, production_app

BENCH_DB = "clc_bench_conflicts"
TRIALS = 200
PASSWORD = "conflict-bench-password-2026"
USERS = ("conflict_leader_1", "conflict_leader_2")


class FormValues(HTMLParser):
    """What a browser would post back from a form (`form_id`, the audit form by
    default): hidden and text inputs, checked radios and checkboxes, selected options and
    textareas, by name."""

    def __init__(self, form_id: str = "audit-form") -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.form_id = form_id
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        if not attrs.get("name"):
            return
        name, kind = attrs["name"], attrs.get("type", "text")
        checked = kind in ("radio", "checkbox") and "checked" in attrs
        if tag == "input" and (kind in ("hidden", "text", "number", "date") or checked):
            self.values[name] = attrs.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea:
                # Browsers drop the one newline that may follow <textarea>.
                self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def form_values(page: str, form_id: str = "audit-form") -> dict[str, str]:
    parser = FormValues(form_id)
    parser.feed(page)
    return parser.values


# A person is a pair of functions: get(path) -> (status, text) and
# post(path, data) -> (status, text). Over HTTP they wrap a Browser; in the tests,
# Django's test client.
Get = Callable[[str], tuple[int, str]]
Post = Callable[[str, dict], tuple[int, str]]


@dataclass
class Person:
    get: Get
    post: Post
    done: Callable[[], None] = lambda: None  # called in the person's thread at the end


@dataclass
class Outcome:
    status: int
    page: str
    field: str
    words: str


def edit(person: Person, url: str, field: str, words: str, barrier: threading.Barrier):
    """Loads the form, waits for the other person, posts the form with one change."""
    status, page = person.get(url)
    if status != 200:
        raise RuntimeError(f"edit page answered {status}")
    data = form_values(page)
    data[field] = words
    data["save"] = "Save draft"
    barrier.wait(timeout=60)
    status, page = person.post(url, data)
    return Outcome(status, page, field, words)


def run_trial(people: tuple[Person, Person], url: str, trial: int, saved: Callable) -> Counter:
    """Both people edit the same draft from the same version. Even trials change the
    same evidence box: one save stands and the other person is shown the conflict. Odd
    trials change two different boxes: both saves stand (each part of a draft has its
    own version), and neither overwrites the other's box."""
    category = trial % 9 + 1
    other = category if trial % 2 == 0 else category % 9 + 1
    fields = (f"evidence_{category}", f"evidence_{other}")
    words = tuple(f"Trial {trial}: {who} writes {secrets.token_hex(4)}" for who in ("A", "B"))
    barrier = threading.Barrier(2)
    outcomes: list[Outcome | Exception] = [None, None]

    def work(index: int) -> None:
        try:
            outcomes[index] = edit(people[index], url, fields[index], words[index], barrier)
        except Exception as error:  # reported as an error below, never hidden
            barrier.abort()
            outcomes[index] = error
        finally:
            people[index].done()

    threads = [threading.Thread(target=work, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = judge(outcomes, saved())
    refused = [o for o in outcomes if isinstance(o, Outcome) and o.status == 409]
    if len(refused) == 1:
        counts.update(save_again(people[outcomes.index(refused[0])], url, refused[0], saved))
    return counts


def save_again(person: Person, url: str, refused: Outcome, saved: Callable) -> Counter:
    """The later person, having read what the other saved, saves again from the conflict
    page as it is: the form there carries the new version and their own words."""
    status, _ = person.post(url, form_values(refused.page) | {"save": "Save draft"})
    if status == 302 and saved().get(refused.field) == refused.words:
        return Counter(saved_again_after_conflict=1)
    return Counter(errors=1, failed_to_save_again=1)


def judge(outcomes: list, saved_now: dict[str, str]) -> Counter:
    counts = Counter(conflict_trials=1)
    if any(isinstance(outcome, Exception) for outcome in outcomes):
        counts["errors"] += 1
        return counts
    for me, them in (outcomes, outcomes[::-1]):
        if me.status == 302:
            counts["saves"] += 1
            if saved_now.get(me.field) != me.words:
                counts["lost_updates"] += 1
        elif me.status == 409:
            page = html.unescape(me.page)
            kept = form_values(me.page).get(me.field) == me.words
            if not kept:
                counts["lost_updates"] += 1  # refused, and what they typed is gone
            shown = them.status == 302 and them.words in page
            if kept and shown:
                counts["conflicts_reported"] += 1
            elif kept:
                counts["conflicts_without_their_words"] += 1
        else:
            counts["errors"] += 1
            counts[f"status_{me.status}"] += 1
    return counts


def run_trials(people, url: str, trials: int, saved: Callable) -> Counter:
    totals = Counter(conflict_trials=0, lost_updates=0, conflicts_reported=0, errors=0)
    for trial in range(trials):
        totals.update(run_trial(people, url, trial, saved))
    return totals


# Over HTTP, against gunicorn.


SETUP = f"""
from django.contrib.auth import get_user_model
from audits.services import audit_start
from communities.models import School
school = School.objects.create(name="Conflict Bench School")
users = [get_user_model().objects.create_user(name, password={PASSWORD!r}) for name in {USERS!r}]
school.leaders.add(*users)
audit = audit_start(school=school, period="2025/26", by=users[0], copy_forward=False)
print(audit.pk)
"""


def http_person(port: int, username: str) -> Person:
    browser = Browser(port)
    if browser.login(username, PASSWORD) != 302:
        raise RuntimeError(f"{username} could not sign in")

    def get(path):
        status, _, text = browser.get(path)
        return status, text

    def post(path, data):
        token = data.get("csrfmiddlewaretoken") or browser.csrf_token(path)
        status, _, text = browser.post(path, {**data, "csrfmiddlewaretoken": token})
        return status, text

    return Person(get, post)


def saved_reader(url: str, audit_id: int) -> Callable[[], dict[str, str]]:
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True

    def saved() -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT category, evidence FROM audits_rating WHERE audit_id = %s", [audit_id]
            )
            return {f"evidence_{category}": evidence for category, evidence in cursor.fetchall()}

    return saved


def main() -> None:
    env = production_app(BENCH_DB)
    audit_id = int(manage(env, "shell", stdin=SETUP).strip().splitlines()[-1])
    started = time.monotonic()
    with ExitStack() as stack:
        port = stack.enter_context(gunicorn(env, workers=4))
        people = (http_person(port, USERS[0]), http_person(port, USERS[1]))
        url = f"/audits/{audit_id}/edit/all/"
        totals = run_trials(people, url, TRIALS, saved_reader(env["DATABASE_URL"], audit_id))
    headline = ("conflict_trials", "lost_updates", "conflicts_reported", "saves", "errors")
    for name in headline:
        print(f"{name}: {totals[name]}")
    for name, value in sorted(totals.items()):
        if name not in headline:
            print(f"{name}: {value}")
    print(f"conflict_bench_seconds: {time.monotonic() - started:.1f}")
    if totals["lost_updates"] or totals["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
