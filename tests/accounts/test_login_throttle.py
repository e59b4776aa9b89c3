"""Failed logins, second-factor codes and account pages count on the shared atomic counter, with a cool-off, the same
refusal for every address, and a system check against unsafe rate-limit stores in production (R-SEC-08/10/24)."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.core.checks import run_checks
from django.test import RequestFactory
from django.urls import reverse

from carrefour.accounts import throttle
from carrefour.accounts.adapter import AccountAdapter
from carrefour.accounts.checks import check_rate_limit_storage
from carrefour.messaging.models import RateCounter
from tests.factories import PASSWORD, make_user
from tests.messaging.conftest import FileSite

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


@pytest.fixture
def frozen(monkeypatch):
    """The budgets' clock, set to the start of a cool-off window; `frozen.travel(seconds)` moves it on."""

    class Clock:
        now = throttle.window_start(throttle.clock(), throttle.cooloff()) + throttle.cooloff()

        def travel(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    clock = Clock()
    monkeypatch.setattr(throttle, "clock", lambda: clock.now)
    return clock


def login(client, email, password, ip=IP):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def errors_of(response) -> str:
    return str(response.context["form"].non_field_errors())


def test_the_sixth_failure_is_refused_with_the_same_words_for_a_known_and_an_unknown_address(client, frozen, settings):
    make_user("connue@exemple.fr")
    for email in ("connue@exemple.fr", "inconnue@exemple.fr"):
        for _attempt in range(settings.LOGIN_ATTEMPTS):
            assert "incorrect" in errors_of(login(client, email, "mauvais"))
        refused = login(client, email, PASSWORD if email.startswith("connue") else "mauvais")
        assert refused.status_code == 200
        assert "Trop de tentatives de connexion ont échoué" in errors_of(refused)
    assert "_auth_user_id" not in client.session


def test_failures_are_stored_hashed_in_the_shared_counter_not_in_the_cache(client, frozen):
    login(client, "cible@exemple.fr", "mauvais")
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert any(key.startswith("login:pair:") for key in keys)
    assert not any("cible" in key or IP in key for key in keys)


def test_a_successful_login_gives_its_attempt_back(client, frozen, settings):
    make_user("cible@exemple.fr")
    for _round in range(settings.LOGIN_ATTEMPTS + 2):
        assert login(client, "cible@exemple.fr", PASSWORD).status_code == 302
        client.logout()
    for _attempt in range(settings.LOGIN_ATTEMPTS - 1):
        login(client, "cible@exemple.fr", "mauvais")
    assert login(client, "cible@exemple.fr", PASSWORD).status_code == 302


def test_the_cool_off_ends_and_is_never_permanent(client, frozen, settings):
    make_user("cible@exemple.fr")
    for _attempt in range(settings.LOGIN_ATTEMPTS + 3):
        login(client, "cible@exemple.fr", "mauvais")
    frozen.travel(settings.LOGIN_COOLOFF_SECONDS - 1)
    assert "Trop de tentatives" in errors_of(login(client, "cible@exemple.fr", PASSWORD))
    frozen.travel(1)
    assert login(client, "cible@exemple.fr", PASSWORD).status_code == 302


def test_a_password_reset_clears_the_failures_of_that_address(client, frozen, settings):
    user = make_user("cible@exemple.fr")
    for _attempt in range(settings.LOGIN_ATTEMPTS):
        login(client, "cible@exemple.fr", "mauvais")
    request = RequestFactory().post("/", REMOTE_ADDR=IP)
    AccountAdapter(request)._delete_login_attempts_cached_email(request, email=user.email)
    assert login(client, "cible@exemple.fr", PASSWORD).status_code == 302


def test_wrong_second_factor_codes_are_counted_per_account(client, frozen, settings):
    user = make_user("totp@exemple.fr")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = login(client, "totp@exemple.fr", PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    for _attempt in range(settings.LOGIN_ATTEMPTS):
        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"}, REMOTE_ADDR=IP)
        assert wrong.status_code == 200
        assert "Trop de codes" not in wrong.content.decode()
    right = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    refused = client.post(reverse("mfa_authenticate"), {"code": right}, REMOTE_ADDR="198.51.100.9")
    assert "Trop de codes erronés" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_page_answers_429_once_its_budget_is_spent(client, frozen):
    for _request in range(5):
        client.post(reverse("account_reset_password"), {"email": "quelquun@exemple.fr"}, REMOTE_ADDR=IP)
    refused = client.post(reverse("account_reset_password"), {"email": "quelquun@exemple.fr"}, REMOTE_ADDR=IP)
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    other = client.post(reverse("account_reset_password"), {"email": "autre@exemple.fr"}, REMOTE_ADDR=IP)
    assert other.status_code == 302


def test_an_unverified_account_gets_at_most_one_verification_mail_per_cool_down(client, frozen):
    from allauth.account.models import EmailAddress

    user = make_user("nouvelle@exemple.fr")
    EmailAddress.objects.filter(user=user).update(verified=False)
    for _attempt in range(3):
        login(client, "nouvelle@exemple.fr", PASSWORD)
    assert len(mail.outbox) == 1
    frozen.travel(throttle.limits_data()["verification_mail_cooldown"] + 1)
    login(client, "nouvelle@exemple.fr", PASSWORD)
    assert len(mail.outbox) == 2


def test_every_rule_of_the_limits_file_names_a_real_url():
    from django.urls import get_resolver

    names = {key for key in get_resolver().reverse_dict if isinstance(key, str)}
    assert set(throttle.limits_data()["requests"]) <= names, set(throttle.limits_data()["requests"]) - names


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_the_check_refuses_a_locmem_cache_for_rate_limits_in_production(settings):
    settings.CARREFOUR_ENV = "production"
    settings.CACHES = LOCMEM
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/key"}
    errors = check_rate_limit_storage()
    assert [error.id for error in errors] == ["accounts.E001"]
    assert "LocMemCache" in errors[0].msg
    assert "accounts.E001" in [message.id for message in run_checks(tags=["security"])]

    settings.CARREFOUR_ENV = "development"
    assert check_rate_limit_storage() == []


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.filebased.FileBasedCache", "django.core.cache.backends.db.DatabaseCache"]
)
def test_the_check_refuses_non_atomic_caches_too(settings, backend):
    settings.CARREFOUR_ENV = "production"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "x"}}
    settings.MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
    assert [error.id for error in check_rate_limit_storage()] == ["accounts.E001"]


def test_the_check_accepts_our_settings_whose_limits_live_in_the_database_counter(settings):
    settings.CARREFOUR_ENV = "production"
    settings.CACHES = LOCMEM
    assert settings.ACCOUNT_RATE_LIMITS is False
    assert settings.MFA_RATE_LIMITS is False
    assert check_rate_limit_storage() == []


@pytest.fixture
def login_site(tmp_path) -> FileSite:
    site = FileSite(tmp_path / "site")
    site.data_dir.mkdir()
    site.run("migrate", "--verbosity", "0")
    site.run(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from allauth.account.models import EmailAddress\n"
        "user = get_user_model().objects.create_user('cible', 'cible@exemple.fr', 'un mot de passe assez long')\n"
        "EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)",
    )
    return site


LOGIN_ATTEMPTS_CODE = """
import os, sys, time
from pathlib import Path
from django.test import Client
from process_helpers import wait_for_peers
client = Client(REMOTE_ADDR="203.0.113.7")
wait_for_peers(Path(os.environ["CARREFOUR_TEST_LOG_DIR"]), "login", 2)
refused = 0
for _ in range({attempts}):
    time.sleep(0.01)
    response = client.post("/compte/login/", {{"login": "cible@exemple.fr", "password": "mauvais"}})
    refused += "Trop de tentatives de connexion" in response.content.decode()
sys.stdout.write(f"refused={{refused}}\\n")
"""


def test_two_processes_exhaust_one_shared_login_budget(login_site):
    limit, per_process = 6, 8
    code = LOGIN_ATTEMPTS_CODE.format(attempts=per_process)
    env = {"CARREFOUR_LOGIN_ATTEMPTS": str(limit), "CARREFOUR_ALLOWED_HOSTS": "testserver"}
    processes = [login_site.python(code, **env) for _ in range(2)]
    outputs = [process.communicate(timeout=180) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    refused = [int(out.strip().rpartition("refused=")[2]) for out, _err in outputs]
    # 16 attempts, one budget of 6 failures: exactly 10 refusals, whatever the interleaving.
    assert sum(refused) == 2 * per_process - limit, refused
