"""Request budgets of the account pages (sign-up, password reset, e-mail management…), counted on the shared atomic
counter: they replace allauth's own limits, which lived in Django's cache (R-SEC-24). The budgets are data
(`data/limits.yaml`); a spent budget answers 429 with the site's page, the same for every address typed (R-SEC-10)."""

from django.shortcuts import render

from carrefour.accounts import throttle


class AccountRequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or not match.url_name:
            return None
        limits = throttle.request_limits(match.url_name, request)
        if limits and throttle.take_attempt(limits) is None:
            return render(request, "429.html", status=429)
        return None
