"""R-GDPR-05 (Art. 19): erasures are published at /api/v1/tombstones, without personal data, for re-users."""

import pytest
from django.urls import reverse

from carrefour.api import openapi
from carrefour.privacy.erasure import erase_person
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "soizic.le.gall@exemple.fr"


def test_an_erasure_appears_in_the_tombstone_feed_without_personal_data(client, django_capture_on_commit_callbacks):
    sheet = factories.make_initiative(contact_email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(EMAIL, ["Soizic Le Gall"])
    response = client.get(reverse("api:tombstones"))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["licence"] == "etalab-2.0" and body["count"] == 2
    items = {(item["object_type"], item["object_id"]): item for item in body["results"]}
    assert items[("initiative", str(sheet.pk))]["fields"] == ["contact_email"]
    assert items[("initiative", str(sheet.pk))]["api_url"].endswith(f"/api/v1/initiatives/{sheet.pk}")
    assert any(object_type == "person" for object_type, _id in items)
    assert EMAIL not in response.content.decode() and "Soizic" not in response.content.decode()


def test_the_feed_filters_by_date_and_explains_a_bad_date_in_french(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(EMAIL)
    assert client.get(reverse("api:tombstones"), {"since": "2999-01-01T00:00:00Z"}).json()["count"] == 0
    assert client.get(reverse("api:tombstones"), {"since": "2000-01-01T00:00:00Z"}).json()["count"] == 1
    bad = client.get(reverse("api:tombstones"), {"since": "hier"})
    assert bad.status_code == 400 and "ISO 8601" in bad.json()["error"]
    assert client.post(reverse("api:tombstones")).status_code in (403, 405)


def test_the_feed_is_in_the_openapi_document():
    operation = openapi.document()["paths"]["/api/v1/tombstones"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"since", "cursor", "page_size"}
