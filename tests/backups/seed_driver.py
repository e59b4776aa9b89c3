"""Seeds a small catalogue, an account and a media file into the database and data folder that the environment
points at. Run in its own process by the backup tests: `python seed_driver.py <initiatives>`."""

import sys


def seed(count: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from carrefour.catalog.taxonomy_loader import load_taxonomy
    from carrefour.territories.models import Commune, Departement, PostalCode, Region
    from tests.factories import make_initiative

    load_taxonomy()
    region = Region.objects.create(code="53", name="Bretagne", search_name="bretagne")
    departement = Departement.objects.create(code="29", name="Finistère", search_name="finistere", region=region)
    commune = Commune.objects.create(
        code="29232",
        name="Quimper",
        search_name="quimper",
        departement=departement,
        region=region,
        population=63_000,
        latitude=47.996,
        longitude=-4.102,
    )
    PostalCode.objects.create(code="29000", commune=commune)
    for index in range(count):
        make_initiative(f"Atelier vélo solidaire n° {index + 1} — « l'Été »", commune_code="29232")
    get_user_model().objects.create_user("camille@exemple.fr", "camille@exemple.fr", "une phrase de passe longue")
    image = settings.MEDIA_ROOT / "initiatives" / "2026" / "atelier.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)


if __name__ == "__main__":
    seed(int(sys.argv[1]))
