"""The bigger network of the hub bench: 50 hubs × 10 schools (500 schools), ten periods
of audits each. `build_network` creates it once; `targets` are the pages wrk times (a
hub's page, the journey of a school with ten audits, the follow-up list);
`report_query_counts` prints each page's query count beside the same page of the
three-period hub "bench-20", which must be equal: none may grow with the number of
periods."""

import datetime
import random

from bench import _common as bench

HUBS, SCHOOLS = 50, 10
PERIODS = [f"{year}/{(year + 1) % 100:02d}" for year in range(2016, 2026)]
PHASES = ["Primary", "Secondary", "All-through", "Special"]
PREFIX = "network"


def build_network(user) -> None:
    """50 hubs of 10 schools, each school with an audit in each of ten periods."""
    from audits.instrument import CATEGORIES
    from audits.models import Audit, Rating
    from communities.models import Hub, HubMembership, School

    if Hub.objects.filter(slug=f"{PREFIX}-01").exists():
        return
    rng = random.Random(50)
    hubs = Hub.objects.bulk_create(
        Hub(name=f"Network hub {h:02d}", slug=f"{PREFIX}-{h:02d}") for h in range(1, HUBS + 1)
    )
    for hub in hubs:
        hub.coordinators.add(user)
    schools = School.objects.bulk_create(
        School(name=f"Network school {i:03d}", phase=rng.choice(PHASES), local_authority="X")
        for i in range(HUBS * SCHOOLS)
    )
    HubMembership.objects.bulk_create(
        HubMembership(
            hub=hubs[i // SCHOOLS],
            school=school,
            role="lead" if i % SCHOOLS == 0 else "member",
            joined_on=datetime.date(2015, 9, 1),
        )
        for i, school in enumerate(schools)
    )
    now = bench_now()
    audits = Audit.objects.bulk_create(
        (
            Audit(
                school=school,
                period=period,
                audit_date=datetime.date(2017 + k, 3, 1),
                status="submitted",
                submitted_at=now,
            )
            for school in schools
            for k, period in enumerate(PERIODS)
        ),
        batch_size=1000,
    )
    Rating.objects.bulk_create(
        (
            Rating(audit=audit, category=c.number, stage=rng.randint(1, 4), evidence="")
            for audit in audits
            for c in CATEGORIES
        ),
        batch_size=5000,
    )


def bench_now():
    from django.utils import timezone

    return timezone.now()


def journey_path() -> str:
    from communities.models import School

    return f"/schools/{School.objects.get(name='Network school 000').pk}/"


def targets(cookie: str) -> list[tuple]:
    """(name, path, cookie, expected bytes) for the wrk runs."""
    return [
        ("network_hub", f"/hubs/{PREFIX}-01/", cookie, b"Heatmap"),
        ("network_journey", journey_path(), cookie, b"<h1"),
        ("network_follow_up", f"/hubs/{PREFIX}-01/follow-up/", cookie, b"<h1"),
    ]


def count_queries(path: str, user) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"host": bench.HOST})
    client.force_login(user)
    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in process")
    return len(captured.captured_queries)


def report_query_counts(user) -> None:
    """Each page's queries for ten periods (the network) and three (bench-20)."""
    from communities.models import School

    three = School.objects.get(name="Bench 20 school 000").pk
    pairs = {
        "hub": (f"/hubs/{PREFIX}-01/", "/hubs/bench-20/"),
        "journey": (journey_path(), f"/schools/{three}/"),
        "follow_up": (f"/hubs/{PREFIX}-01/follow-up/", "/hubs/bench-20/follow-up/"),
    }
    constant = True
    for name, (ten, few) in pairs.items():
        counts = count_queries(ten, user), count_queries(few, user)
        bench.figure(f"network_{name}_queries_10_periods", counts[0])
        bench.figure(f"network_{name}_queries_3_periods", counts[1])
        constant &= counts[0] == counts[1]
    bench.figure("target_network_queries_constant_in_periods", "pass" if constant else "fail")
