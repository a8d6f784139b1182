"""The attacker's probes of the "Nothing lost" review, scripted, against gunicorn with
DEBUG off, on 127.0.0.1 only, each one bounded.

- Content-Type: a form in latin-1 with a valid CSRF cookie, signed in and not;
  `charset*=BOGUS''x`; multipart without a boundary. Expected: 400.
- Body size: a 50 MB Content-Length on the login page (the body is never sent) and a
  chunked body. Expected: 413, answered before the body is read.
- Racing a discard: two discards at once, and a save at once with a discard, 5 rounds
  each. Expected: no 5xx; whoever loses gets a page saying so (with what they typed).
- An admin and a leader editing one draft, both orders. Expected: neither overwrites the
  other (a lost update is counted when what one of them saved is gone).
- The login lockout with forged X-Forwarded-For headers from a client that connects
  directly. Expected: locked after five failures all the same.
- 300 junk `?phase=` values on the hub page. Expected: 200 each; the worker's memory
  barely moves (only validated values make cache keys).

Prints `name: value` lines; `probes_5xx` and `lost_updates` must be 0 (the script exits
1 otherwise). Usage: `.venv/bin/python bench/bench_probes.py` (PostgreSQL from
DATABASE_URL or 127.0.0.1; the database is clc_bench_probes).
"""

import ast
import functools
import http.client
import re
import socket
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_conflicts import form_values
from bench.bench_scaleout import Browser, gunicorn, manage, production_app

BENCH_DB = "clc_bench_probes"
PASSWORD = "probe-password-2026"
ROUNDS = 5

SETUP = f"""
from django.contrib.auth import get_user_model
from communities.models import Hub, HubMembership, School
users = get_user_model().objects
leader = users.create_user("probe_leader", password={PASSWORD!r})
deputy = users.create_user("probe_deputy", password={PASSWORD!r})
admin = users.create_superuser("probe_admin", password={PASSWORD!r})
coordinator = users.create_user("probe_coordinator", password={PASSWORD!r})
users.create_user("probe_target", password={PASSWORD!r})  # the lockout probe's
school = School.objects.create(name="Probe School", phase="Secondary")
school.leaders.add(leader, deputy)
hub = Hub.objects.create(name="Probe Hub", slug="probe-hub")
hub.coordinators.add(coordinator)
HubMembership.objects.create(hub=hub, school=school, joined_on="2020-09-01")
print(school.pk)
"""

NEW_DRAFT = """
from audits.services import audit_start
from communities.models import School
school = School.objects.get(name="Probe School")
print(audit_start(school=school, period="{period}", by=None, copy_forward=False).pk)
"""

SAVED_EVIDENCE = """
from audits.models import Rating
print(repr(dict(Rating.objects.filter(audit_id={pk}).values_list("category", "evidence"))))
"""


class Tally:
    """Every answer the probes got, and what went wrong."""

    def __init__(self) -> None:
        self.statuses: Counter = Counter()
        self.problems: Counter = Counter()

    def saw(self, status: int, expected: tuple[int, ...], probe: str) -> None:
        self.statuses[status] += 1
        if status >= 500:
            self.problems["probes_5xx"] += 1
        if status not in expected:
            self.problems[f"unexpected_{probe}_{status}"] += 1


def raw_request(port: int, head: bytes, body: bytes = b"") -> int:
    """Sends a request as written (headers no client library would send) and returns the
    status of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + body)
        answer = sock.recv(4096).decode("latin-1")
    return int(answer.split()[1])


def signed_in(port: int, username: str) -> Browser:
    browser = Browser(port)
    if browser.login(username, PASSWORD) != 302:
        raise RuntimeError(f"{username} could not sign in")
    return browser


def content_type_probes(port: int, tally: Tally) -> None:
    for browser in (Browser(port), signed_in(port, "probe_leader")):
        token = browser.csrf_token("/accounts/login/")
        cookies = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        body = f"username=x&password=y&csrfmiddlewaretoken={token}".encode()
        for content_type in (
            "application/x-www-form-urlencoded; charset=latin-1",
            "application/x-www-form-urlencoded; charset*=BOGUS''x",
            "multipart/form-data",
        ):
            head = (
                f"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            tally.saw(raw_request(port, head, body), (400,), "content_type")


def body_size_probes(port: int, tally: Tally) -> None:
    huge = (
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 52428800\r\n"
        b"Connection: close\r\n\r\n"
    )
    tally.saw(raw_request(port, huge, b"--b\r\n"), (413,), "body_size")
    chunked = (
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n"
    )
    tally.saw(raw_request(port, chunked, b"5\r\na=b&c\r\n0\r\n\r\n"), (413,), "chunked")


def at_once(*calls) -> list:
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=30)
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def new_draft(env, round_: int) -> int:
    period = f"{2000 + round_}/{(2001 + round_) % 100:02d}"
    return int(manage(env, "shell", stdin=NEW_DRAFT.format(period=period)).split()[-1])


def discard_races(env, port: int, tally: Tally) -> None:
    leader, deputy = signed_in(port, "probe_leader"), signed_in(port, "probe_deputy")
    for round_ in range(ROUNDS):
        pk = new_draft(env, round_)
        path = f"/audits/{pk}/discard/"
        posts = [
            functools.partial(
                b.post, path, {"version": 1, "csrfmiddlewaretoken": b.csrf_token(path)}
            )
            for b in (leader, deputy)
        ]
        for status, _, _ in at_once(*posts):
            tally.saw(status, (302, 410), "double_discard")
    for round_ in range(ROUNDS):
        pk = new_draft(env, ROUNDS + round_)
        edit, discard = f"/audits/{pk}/edit/all/", f"/audits/{pk}/discard/"
        _, _, page = leader.get(edit)
        typed = form_values(page) | {"evidence_1": f"Typed in round {round_}", "save": "1"}
        token = deputy.csrf_token(discard)
        (save, _, save_page), (gone, _, _) = at_once(
            functools.partial(leader.post, edit, typed),
            functools.partial(deputy.post, discard, {"version": 1, "csrfmiddlewaretoken": token}),
        )
        tally.saw(save, (302, 410), "save_racing_discard")
        tally.saw(gone, (302, 409), "discard_racing_save")
        if save == 410 and f"Typed in round {round_}" not in unescape(save_page):
            tally.problems["lost_updates"] += 1


def admin_form(admin: Browser, pk: int) -> dict[str, str]:
    _, _, page = admin.get(f"/admin/audits/audit/{pk}/change/")
    return form_values(page, form_id="audit_form")


def admin_and_leader(env, port: int, tally: Tally) -> None:
    leader, admin = signed_in(port, "probe_leader"), signed_in(port, "probe_admin")
    for order in ("admin_first", "leader_first"):
        pk = new_draft(env, 20 + (order == "leader_first"))
        edit, change = f"/audits/{pk}/edit/all/", f"/admin/audits/audit/{pk}/change/"
        _, _, page = leader.get(edit)
        leader_data = form_values(page) | {"evidence_5": "Written by the leader", "save": "1"}
        admin_data = admin_form(admin, pk)
        first_evidence = next(k for k, v in admin_data.items() if k.endswith("-evidence"))
        admin_data[first_evidence] = "Written by the admin"
        admin_data["reflection_coherence"] = "Admin's reflection"
        steps = [
            functools.partial(admin.post, change, admin_data),
            functools.partial(leader.post, edit, leader_data),
        ]
        for step in steps if order == "admin_first" else steps[::-1]:
            status, _, _ = step()
            tally.saw(status, (302,), f"admin_and_leader_{order}")
        output = manage(env, "shell", stdin=SAVED_EVIDENCE.format(pk=pk))
        saved = ast.literal_eval(output.strip().splitlines()[-1])
        if "Written by the admin" not in saved.values() or saved.get(5) != "Written by the leader":
            tally.problems["lost_updates"] += 1


def lockout_probe(port: int, tally: Tally) -> None:
    """Twenty wrong passwords, each with another X-Forwarded-For, from one client that
    connects directly; then the right password. Locked means 429."""
    browser = Browser(port)
    for number in range(20):
        token = browser.csrf_token("/accounts/login/")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cookies = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        body = f"username=probe_target&password=wrong&csrfmiddlewaretoken={token}"
        headers = {
            "Host": "127.0.0.1",
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": f"198.51.100.{number}",
        }
        connection.request("POST", "/accounts/login/", body=body, headers=headers)
        tally.saw(connection.getresponse().status, (200, 429), "lockout")
        connection.close()
    if browser.login("probe_target", PASSWORD) != 429:
        tally.problems["lockout_bypassed"] += 1


def junk_filter_probe(port: int, tally: Tally, server_pids) -> float:
    coordinator = signed_in(port, "probe_coordinator")
    before = sum(_rss_kb(pid) for pid in server_pids())
    for number in range(300):
        status, _, _ = coordinator.get(f"/hubs/probe-hub/?phase=junk-{number}-{'x' * 40}")
        tally.saw(status, (200,), "junk_phase")
    return (sum(_rss_kb(pid) for pid in server_pids()) - before) / 1024


def _rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))


def _children(port: int):
    def pids() -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if f"127.0.0.1:{port}".encode() in stat.read_bytes():
                    found.append(int(stat.parent.name))
            except OSError:
                continue
        return found

    return pids


def main() -> None:
    env = production_app(BENCH_DB)
    manage(env, "shell", stdin=SETUP)
    started = time.monotonic()
    tally = Tally()
    with ExitStack() as stack:
        port = stack.enter_context(gunicorn(env, workers=2))
        content_type_probes(port, tally)
        body_size_probes(port, tally)
        discard_races(env, port, tally)
        admin_and_leader(env, port, tally)
        lockout_probe(port, tally)
        growth = junk_filter_probe(port, tally, _children(port))
    print(f"probes_requests: {sum(tally.statuses.values())}")
    print(f"probes_5xx: {tally.problems['probes_5xx']}")
    print(f"lost_updates: {tally.problems['lost_updates']}")
    print(f"lockout_bypassed: {tally.problems['lockout_bypassed']}")
    print(f"junk_filters_rss_growth_mb: {growth:.1f}")
    for name, count in sorted(tally.problems.items()):
        if name not in ("probes_5xx", "lost_updates", "lockout_bypassed"):
            print(f"{name}: {count}")
    for status, count in sorted(tally.statuses.items()):
        print(f"status_{status}: {count}")
    print(f"probes_seconds: {time.monotonic() - started:.1f}")
    if any(tally.problems.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
