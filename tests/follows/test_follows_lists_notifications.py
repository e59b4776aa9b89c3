"""Follow and unfollow, notifications generated from the audit log (each change once), favourite lists and their
share links, the weekly digest and its one-click unsubscribe, and what an account deletion removes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carrefour.accounts.actions import delete_account, export_account
from carrefour.catalog import actions as catalog_actions
from carrefour.follows import actions, digest, notify
from carrefour.follows.models import FavouriteList, Follow, Notification, NotificationKind
from carrefour.follows.territories import Territory
from carrefour.messaging.models import OutgoingMail
from tests.factories import make_favourite_list, make_initiative, make_organisation, make_user

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=5)


def run_notifier():
    return notify.notify_followers(now=timezone.now() + LATER)


@pytest.fixture
def sheet():
    return make_initiative("Repair Café de Quimper", "29232")


@pytest.fixture
def camille():
    return make_user("camille.suit@exemple.fr")


def test_follow_and_unfollow_an_initiative_from_its_page(client, sheet, camille):
    client.force_login(camille)
    url = reverse("follows:follow_initiative", args=[sheet.slug])
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert url in page and "Ajouter à une liste" in page
    assert client.post(url, {"next": sheet.get_absolute_url()})["Location"] == sheet.get_absolute_url()
    client.post(url)  # twice: still one follow
    assert Follow.objects.filter(user=camille, initiative=sheet).count() == 1
    assert "Ne plus suivre" in client.get(sheet.get_absolute_url()).content.decode()
    client.post(url, {"suivre": "0", "next": "https://ailleurs.example.com/"})
    assert not Follow.objects.exists()


def test_follow_an_organisation_and_a_territory_and_unknown_ones_404(client, camille):
    organisation = make_organisation("Régie de quartier du Blosne")
    client.force_login(camille)
    client.post(reverse("follows:follow_organisation", args=[organisation.slug]))
    client.post(reverse("follows:follow_territory", args=["departement", "29"]))
    kinds = sorted(Follow.objects.values_list("kind", flat=True))
    assert kinds == ["organisation", "territory"]
    assert client.post(reverse("follows:follow_territory", args=["departement", "999"])).status_code == 404
    assert client.post(reverse("follows:follow_territory", args=["planete", "29"])).status_code == 404
    assert client.post(reverse("follows:follow_organisation", args=["inconnue"])).status_code == 404
    anonymous = client.__class__()
    response = anonymous.post(reverse("follows:follow_territory", args=["departement", "29"]))
    assert response["Location"].startswith(reverse("account_login"))


def test_an_update_of_a_followed_initiative_notifies_exactly_once(sheet, camille):
    actions.follow(camille, initiative=sheet)
    run_notifier()  # the creation happened before: nothing for a follower of the sheet itself
    assert not Notification.objects.exists()
    editor = make_user("editrice@exemple.fr")
    sheet.summary = "Un atelier où l'on répare ensemble, chaque samedi."
    catalog_actions.save_initiative(sheet, editor, ["summary"])
    catalog_actions.rename(sheet, "Repair Café de Quimper-Centre", editor)
    first = run_notifier()
    second = run_notifier()
    [notification] = Notification.objects.filter(user=camille)
    assert notification.kind == NotificationKind.UPDATED and "Repair Café de Quimper-Centre" in notification.summary
    assert first["notifications"] == 1 and second == {"events": 0, "notifications": 0}
    catalog_actions.change_status(sheet, "archived", editor)
    run_notifier()
    assert Notification.objects.filter(user=camille, kind=NotificationKind.STATUS).count() == 1
    assert "n'est plus publiée" in Notification.objects.get(kind=NotificationKind.STATUS).summary


def test_ones_own_change_and_changes_of_unpublished_sheets_are_not_notified(camille):
    draft = make_initiative("Projet encore secret", "29232", status="draft")
    sheet = make_initiative("Atelier vélo de Brest", "29019")
    actions.follow(camille, initiative=sheet)
    actions.follow(camille, initiative=draft)
    catalog_actions.save_initiative(sheet, camille, ["summary"])
    catalog_actions.save_initiative(draft, make_user(), ["summary"])
    run_notifier()
    assert not Notification.objects.exists()


def test_new_initiatives_in_a_followed_territory_or_organisation_are_notified(camille):
    organisation = make_organisation("Réseau des ressourceries bretonnes")
    actions.follow(camille, territory=Territory("departement", "29"))
    lyon_fan = make_user("lyon@exemple.fr")
    actions.follow(lyon_fan, organisation=organisation)
    make_initiative("Ressourcerie de Landerneau", "29103", organisation=organisation)
    make_initiative("Atelier de Lyon", "69123")
    proposal = make_initiative("Recyclerie du Faou", "29053", status="submitted")
    run_notifier()
    assert [n.summary for n in Notification.objects.filter(user=camille)] == [
        "Nouvelle initiative sur le territoire « Finistère » : « Ressourcerie de Landerneau »."
    ]
    [by_organisation] = Notification.objects.filter(user=lyon_fan)
    assert by_organisation.kind == NotificationKind.NEW_IN_ORGANISATION
    catalog_actions.change_status(proposal, "published", make_user())  # moderation publishes it
    run_notifier()
    run_notifier()
    assert Notification.objects.filter(user=camille, initiative=proposal).count() == 1


def test_events_younger_than_the_settle_delay_wait_for_the_next_run(sheet, camille):
    actions.follow(camille, initiative=sheet)
    catalog_actions.save_initiative(sheet, make_user(), ["summary"])
    assert notify.notify_followers(now=timezone.now(), settle_seconds=600)["notifications"] == 0
    assert run_notifier()["notifications"] == 1


def test_the_space_shows_follows_and_the_unread_count_and_marks_them_read(client, sheet, camille):
    actions.follow(camille, initiative=sheet)
    catalog_actions.save_initiative(sheet, make_user(), ["summary"])
    run_notifier()
    client.force_login(camille)
    page = client.get(reverse("accounts:space")).content.decode()
    assert "Mes suivis" in page and "1 notification non lue" in page and sheet.name in page
    client.post(reverse("follows:notifications_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "notification non lue" not in client.get(reverse("follows:mine")).content.decode()


def test_favourite_lists_and_their_read_only_share_link(client, sheet, camille):
    client.force_login(camille)
    response = client.post(reverse("follows:add_favourite", args=[sheet.slug]), {"new_name": "À visiter"})
    assert response.status_code == 302
    favourite_list = FavouriteList.objects.get(owner=camille)
    assert list(favourite_list.items.values_list("initiative_id", flat=True)) == [sheet.pk]
    client.post(favourite_list.get_absolute_url(), {"name": "À visiter en mai", "is_shared": "on"})
    favourite_list.refresh_from_db()
    assert favourite_list.is_shared and favourite_list.name == "À visiter en mai"
    visitor = client.__class__()
    shared = visitor.get(favourite_list.share_path())
    assert shared.status_code == 200 and sheet.name in shared.content.decode()
    assert "Retirer de la liste" not in shared.content.decode()
    assert visitor.get(reverse("follows:shared_list", args=["mauvais-jeton"])).status_code == 404
    old_path = favourite_list.share_path()
    client.post(favourite_list.get_absolute_url(), {"name": "À visiter en mai"})  # stop sharing
    assert visitor.get(old_path).status_code == 404
    client.post(favourite_list.get_absolute_url(), {"name": "À visiter en mai", "is_shared": "on"})
    favourite_list.refresh_from_db()
    assert favourite_list.share_path() != old_path and visitor.get(old_path).status_code == 404


def test_someone_elses_list_is_a_404_and_an_empty_choice_is_refused(client, sheet, camille):
    other = make_favourite_list(make_user("autre@exemple.fr"))
    client.force_login(camille)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("follows:list_delete", args=[other.pk])).status_code == 404
    response = client.post(reverse("follows:add_favourite", args=[sheet.slug]), {"new_name": ""})
    assert response.status_code == 400 and "Choisissez une liste" in response.content.decode()
    assert FavouriteList.objects.filter(owner=camille).count() == 0


def test_the_weekly_digest_lists_unread_notifications_once_with_a_one_click_unsubscribe(client, sheet, camille):
    actions.follow(camille, initiative=sheet)
    actions.set_digest(camille, True, camille)
    catalog_actions.save_initiative(sheet, make_user(), ["summary"])
    run_notifier()
    now = timezone.now() + LATER
    assert digest.send_follow_digests(now) == {"subscriptions": 1, "digests": 1}
    assert digest.send_follow_digests(now + timedelta(days=1)) == {"subscriptions": 0, "digests": 0}
    [mail] = [mail for mail in OutgoingMail.objects.all() if "camille.suit@exemple.fr" in mail.to]
    assert sheet.name in mail.body_text and mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = camille.follow_digest.unsubscribe_link_token
    assert client.post(reverse("follows:digest_unsubscribe", args=[token + "x"])).status_code == 404
    response = client.post(reverse("follows:digest_unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    camille.refresh_from_db()
    assert not hasattr(camille, "follow_digest")


def test_account_export_and_deletion_cover_follows_lists_and_notifications(sheet, camille):
    actions.follow(camille, initiative=sheet)
    favourite_list = make_favourite_list(camille, shared=True)
    actions.add_favourite(favourite_list, sheet, camille)
    data = export_account(camille)
    assert data["follows"]["follows"][0]["initiative"] == sheet.slug
    assert data["follows"]["favourite_lists"][0]["initiatives"] == [sheet.slug]
    delete_account(camille)
    assert not Follow.objects.exists() and not FavouriteList.objects.exists()
