"""Backups: the domain dumped with `dumpdata`, loaded into an empty database, gives the
same reports; on PostgreSQL the documented `pg_dump` / `pg_restore` round trip keeps
every row (docs/deployment.md)."""

import re
import shutil
import subprocess
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from audits import rules
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import Audit, Rating
from audits.services import (
    CategoryAnswer,
    ReflectionsAnswer,
    audit_save_draft,
    audit_start,
    audit_submit,
)
from communities.models import Hub, HubMembership, Partner, Partnership, School
from tests.factories import (
    HubFactory,
    HubMembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
)

DUMPED_APPS = ["auth.user", "communities", "audits"]


def build_domain():
    """Schools in a hub with partnerships; audits submitted over two periods, a draft and
    a hub's own audit, all written through the services (so with history)."""
    admin = UserFactory(username="backup_admin", is_staff=True, is_superuser=True)
    leader = UserFactory(username="backup_leader")
    coordinator = UserFactory(username="backup_coordinator")
    hub = HubFactory(name="Backup Hub", slug="backup-hub")
    hub.coordinators.add(coordinator)
    schools = [SchoolFactory(name=f"Backup School {n}") for n in range(3)]
    for index, school in enumerate(schools):
        HubMembershipFactory(hub=hub, school=school, role="lead" if index == 0 else "member")
        PartnershipFactory(school=school, activity=f"Partnership {index}")
        school.leaders.add(leader)
        for period, shift in (("2023/24", 0), ("2024/25", 1)):
            stages = {c.number: min(4, (c.number + index + shift) % 4 + 1) for c in CATEGORIES}
            if index == 2 and period == "2024/25":
                stages = dict.fromkeys(stages, 4)  # a Virtuous school
            _audit(school=school, period=period, by=leader, stages=stages, submit=True)
    _audit(school=schools[0], period="2025/26", by=leader, stages={1: 2, 5: 3}, submit=False)
    _audit(hub=hub, period="2024/25", by=coordinator, stages=dict.fromkeys(range(1, 10), 3))
    return admin


def _audit(*, by, stages, period, submit=True, **subject):
    audit = audit_start(**subject, period=period, by=by, copy_forward=False)
    categories = {
        number: CategoryAnswer(stage, f"Evidence {number} for {period} — “quoted”, <b>", 1)
        for number, stage in stages.items()
    }
    reflections = ReflectionsAnswer(
        {q.field: f"{q.question} Answered." for q in REFLECTION_QUESTIONS}, 1
    )
    audit = audit_save_draft(audit=audit, categories=categories, reflections=reflections, by=by)
    if submit:
        audit = audit_submit(audit=audit, by=by, version=audit.version)
    return audit


def _to_ms(moment):
    return moment and moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def reports() -> dict:
    """What every audit's report says, by the rules, plus what it holds."""
    result = {}
    for audit in Audit.objects.select_related("school", "hub").with_ratings().order_by("pk"):
        stages = audit.stages
        result[audit.pk] = {
            "subject": str(audit.subject),
            "period": audit.period,
            "status": audit.status,
            "version": audit.version,
            "virtuous": rules.is_virtuous(stages),
            "integration_count": rules.integration_count(stages),
            "overall": rules.overall_stage(stages),
            "areas": rules.area_profile(stages),
            "sources": rules.source_profile(stages),
            "gaps": rules.gaps_to_virtuous(stages),
            "evidence": {r.category: r.evidence for r in audit.ratings.all()},
            "reflections": {q.field: getattr(audit, q.field) for q in REFLECTION_QUESTIONS},
            # dumpdata's JSON keeps times to the millisecond.
            "submitted": (audit.submitted_by_id, _to_ms(audit.submitted_at)),
        }
    return result


def report_pages(admin) -> dict[int, str]:
    """Each report page as the admin reads it, without the per-request CSRF token."""
    client = Client()
    client.force_login(admin)
    pages = {}
    for pk in Audit.objects.order_by("pk").values_list("pk", flat=True):
        response = client.get(reverse("audits:audit_report", args=[pk]))
        assert response.status_code == 200
        page = response.content.decode()
        pages[pk] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return pages


def domain_counts() -> dict[str, int]:
    models = (School, Hub, HubMembership, Partner, Partnership, Audit, Rating)
    counts = {model.__name__: model.objects.count() for model in models}
    tracked = (School, Hub, HubMembership, Partner, Partnership, Audit, Rating)
    counts |= {f"history of {model.__name__}": model.history.count() for model in tracked}
    return counts


@pytest.mark.django_db(transaction=True)
def test_dumpdata_loaded_into_an_empty_database_gives_the_same_reports(tmp_path):
    admin = build_domain()
    before, pages_before, counts_before = reports(), report_pages(admin), domain_counts()
    assert any(report["virtuous"] for report in before.values())
    dump = tmp_path / "clc-domain.json"
    call_command("dumpdata", *DUMPED_APPS, output=str(dump), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    assert Audit.objects.count() == School.objects.count() == 0

    # As docs/deployment.md says: SIMPLE_HISTORY_ENABLED=false manage.py loaddata ...
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(dump), verbosity=0)
    assert domain_counts() == counts_before
    assert reports() == before
    admin.refresh_from_db()
    assert report_pages(admin) == pages_before


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_keep_every_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore are for PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore are not installed")
    build_domain()
    db = connection.settings_dict
    password = db["PASSWORD"] or ""
    server = f"postgres://{db['USER']}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    dump = tmp_path / "clc_audit.dump"
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={dump}",
            f"{server}/{db['NAME']}",
        ],
        check=True,
        timeout=120,
    )
    restored = f"clc_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                f"--dbname={server}/{restored}",
                str(dump),
            ],
            check=True,
            timeout=120,
        )
        tables = [
            "communities_school",
            "communities_hub",
            "communities_hubmembership",
            "communities_partnership",
            "audits_audit",
            "audits_rating",
            "audits_historicalaudit",
            "audits_historicalrating",
            "auth_user",
            "django_session",
        ]
        query = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
        ratings = (
            "SELECT md5(string_agg(concat_ws('|', audit_id, category, stage, evidence), ','"
            " ORDER BY id)) FROM audits_rating"
        )
        with connection.cursor() as cursor:
            cursor.execute(query)
            counts_here = cursor.fetchone()
            cursor.execute(ratings)
            ratings_here = cursor.fetchone()
        out = subprocess.run(
            [
                "psql",
                "-At",
                f"{server}/{restored}",
                "-c",
                query,
                "-c",
                ratings,
                "-c",
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audits_%_submitted_is_final'",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split()
        assert tuple(int(n) for n in out[0].split("|")) == counts_here
        assert out[1] == ratings_here[0]
        # audits, ratings, and the two tables of evidence (files, links)
        assert out[2] == "4", "the triggers that keep submitted audits final came back too"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
