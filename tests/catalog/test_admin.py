import pytest
from django.contrib.auth import get_user_model
from factories import login_with_second_factor

from carrefour.catalog.forms import LocationForm
from carrefour.catalog.models import Initiative, Organisation
from carrefour.core.models import AuditEvent, EventType

pytestmark = pytest.mark.django_db

VALID_SIRET = "73282932000074"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin@example.org", "admin@example.org", "mot de passe sûr 2026")
    login_with_second_factor(client, user)
    return client


def post_organisation(admin_client, **overrides):
    data = {
        "name": "Association Vélo Solidaire",
        "siren": "",
        "siret": "",
        "rna": "",
        "website": "",
        "description": "",
    }
    data.update(overrides)
    return admin_client.post("/admin/catalog/organisation/add/", data)


def test_admin_refuses_an_invalid_siret_with_a_clear_message(admin_client):
    response = post_organisation(admin_client, siret="73282932000075")
    assert response.status_code == 200
    assert "n&#x27;est pas un numéro SIRET valide" in response.content.decode()
    assert not Organisation.objects.exists()


def test_admin_refuses_an_invalid_rna_with_a_clear_message(admin_client):
    response = post_organisation(admin_client, rna="W12")
    assert "n&#x27;est pas un numéro RNA valide" in response.content.decode()
    assert not Organisation.objects.exists()


def test_admin_normalises_siret_spaces_and_rna_case(admin_client):
    response = post_organisation(admin_client, siret="732 829 320 00074", rna="w751515517")
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.siret == VALID_SIRET
    assert organisation.rna == "W751515517"
    assert organisation.slug == "association-velo-solidaire"
    assert AuditEvent.objects.filter(event_type=EventType.ORGANISATION_CREATED, object_id=str(organisation.pk)).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("99999", "Aucune commune ne porte le code INSEE"),
        ("75001", "est un code postal, pas un code INSEE"),
        ("7505", "n&#x27;est pas un code INSEE"),
    ],
)
def test_location_form_refuses_invalid_insee_codes(code, message):
    form = LocationForm(data={"commune": code, "precision": "commune", "position": 0})
    assert not form.is_valid()
    assert message.replace("&#x27;", "'") in " ".join(form.errors["commune"])


@pytest.mark.parametrize("code", ["75056", "2A004"])
def test_location_form_accepts_cog_codes(code):
    form = LocationForm(data={"commune": code, "precision": "commune", "position": 0})
    form.is_valid()
    assert "commune" not in form.errors


def inline_management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def initiative_post(**location):
    data = {"name": "Fablab des Deux Rives", "summary": "Un atelier de fabrication numérique ouvert à tous.",
            "description": "", "status": "published", "contact_channel": "relay"}  # fmt: skip
    for prefix in ("locations", "stakeholders", "links", "images", "source_records"):
        data.update(inline_management(prefix, 1 if prefix == "locations" else 0))
    data.update({f"locations-0-{key}": value for key, value in location.items()})
    data.setdefault("locations-0-precision", "commune")
    data.setdefault("locations-0-position", "0")
    return data


def test_admin_initiative_with_unknown_insee_code_is_refused(admin_client):
    response = admin_client.post("/admin/catalog/initiative/add/", initiative_post(commune="99999"))
    assert response.status_code == 200
    assert "Aucune commune ne porte le code INSEE" in response.content.decode()
    assert not Initiative.objects.exists()


def test_admin_initiative_is_created_published_with_its_location(admin_client):
    response = admin_client.post("/admin/catalog/initiative/add/", initiative_post(commune="2A004"))
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get()
    assert initiative.locations.get().commune.name == "Ajaccio"
    assert initiative.published_at is not None


def test_admin_rename_keeps_a_redirect(admin_client, client):
    admin_client.post("/admin/catalog/initiative/add/", initiative_post(commune="75056"))
    initiative = Initiative.objects.get()
    data = initiative_post(commune="75056")
    data["name"] = "Fablab des Trois Rives"
    data["locations-TOTAL_FORMS"] = "0"
    response = admin_client.post(f"/admin/catalog/initiative/{initiative.pk}/change/", data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.slug == "fablab-des-trois-rives"
    assert client.get("/initiatives/fablab-des-deux-rives/")["Location"] == "/initiatives/fablab-des-trois-rives/"
