from django.db import models


class WebAddressField(models.URLField):
    """A URL column whose form field takes an address typed without a scheme as https (Django 6 behaviour)."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
