"""In French: a school leader in Quebec chooses Français on the login page and audits the
school by the pages' visible French labels, to a Virtuous report; a coordinator whose
profile says French reads the hub page in French. Every page is scanned with axe-core and
says `lang="fr-ca"`. The labels are written out here, in French, so that the test reads
what a person reads (and fails if a page falls back to English)."""

import re

import pytest
from playwright.sync_api import expect

from audits.models import Audit
from communities.models import Profile
from tests.browser.conftest import PASSWORD, serious_violations
from tests.factories import make_audit

pytestmark = pytest.mark.browser


def _french_and_accessible(page, name: str) -> None:
    assert page.locator("html").get_attribute("lang") == "fr-ca", name
    violations = serious_violations(page)
    assert not violations, f"{name}: " + "; ".join(violations)


def _log_in_in_french(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    _french_and_accessible(page, "login")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_leader_audits_the_school_in_french(browser_page, live_server, leader, school):
    page = browser_page
    _log_in_in_french(page, live_server, leader.username)
    _french_and_accessible(page, "home")

    page.get_by_role(
        "link", name=re.compile(r"^Commencer l'autoévaluation \d{4}\/\d{2} de")
    ).click()
    page.get_by_role("button", name="Commencer l'autoévaluation").click()
    expect(page.get_by_text("Catégories terminées : 0 sur 9.")).to_be_visible()
    _french_and_accessible(page, "task list")

    page.get_by_role("link", name=re.compile(r"^1\. ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enseignement et apprentissage × Recherche pertinente"
    )
    _french_and_accessible(page, "a category")
    for number in range(1, 10):
        page.get_by_role("radio", name=re.compile("^Intégration")).check()
        page.get_by_label("Comment le savons-nous?").fill(f"Preuve pour la catégorie {number}")
        page.get_by_role("button", name="Enregistrer et continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Réflexions")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifiez vos réponses")
    page.get_by_role("button", name="Soumettre l'autoévaluation").click()
    summary = page.get_by_role("alert").filter(has_text="Il y a un problème")
    expect(summary).to_contain_text("Cochez la case pour confirmer")
    _french_and_accessible(page, "check your answers with an error")
    page.get_by_label(re.compile("J'ai vérifié ces réponses")).check()
    page.get_by_role("button", name="Soumettre l'autoévaluation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Autoévaluation soumise")
    page.get_by_role("link", name="Lire le rapport").click()
    expect(page.locator("main")).to_contain_text("Vertueuse")
    _french_and_accessible(page, "report")
    audit = Audit.objects.get(school=school)
    assert audit.is_submitted and audit.is_virtuous
    assert audit.ratings.get(category=1).evidence == "Preuve pour la catégorie 1"


def test_a_coordinator_reads_the_hub_page_in_french(
    browser_page, live_server, coordinator, hub, school
):
    make_audit(school, stages=[1, 2, 3, 4, 4, 4, 4, 4, 4], period="2025/26")
    Profile.objects.for_user(coordinator)
    Profile.objects.filter(user=coordinator).update(language="fr-ca")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(coordinator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/hubs/{hub.slug}/")
    main = page.locator("main")
    expect(main).to_contain_text("Carte thermique")
    expect(main).to_contain_text("Isolement")
    expect(main).to_contain_text("Stade global")
    expect(main).not_to_contain_text("Heatmap")
    _french_and_accessible(page, "hub page")
