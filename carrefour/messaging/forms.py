"""The contact relay form: name, e-mail, purpose, message; a honeypot and a signed start time (no CAPTCHA)."""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from carrefour.core.forms import DescribedForm
from carrefour.messaging.models import Purpose

MIN_FILL_SECONDS = 3.0
NAME_MAX = 100
MESSAGE_MIN = 10
MESSAGE_MAX = 5000
_SALT = "carrefour.messaging.contact-form"


def started_token(moment: float | None = None) -> str:
    return signing.Signer(salt=_SALT).sign(f"{moment if moment is not None else time.time():.3f}")


def seconds_since(token: str, now: float | None = None) -> float | None:
    """Seconds since the form was displayed, or None when the token is missing or forged."""
    try:
        started = float(signing.Signer(salt=_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None
    return (now if now is not None else time.time()) - started


def check_single_line(value: str, label) -> None:
    """Values that end up in mail headers: a CR or LF could inject headers (`\\r\\nBcc: …`)."""
    if value and any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise forms.ValidationError(
            _("%(label)s doit tenir sur une seule ligne, sans retour à la ligne ni caractère de contrôle.")
            % {"label": label},
            code="multiline",
        )


class SingleLineCharField(forms.CharField):
    def to_python(self, value):
        check_single_line(value if isinstance(value, str) else "", self.label)
        return super().to_python(value)


class SingleLineEmailField(forms.EmailField):
    def to_python(self, value):
        check_single_line(value if isinstance(value, str) else "", self.label)
        return super().to_python(value)


class ContactForm(DescribedForm):
    name = SingleLineCharField(
        label=_("Votre nom"),
        max_length=NAME_MAX,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Indiquez votre nom.")},
    )
    email = SingleLineEmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_("La réponse vous parviendra à cette adresse. Elle n'est pas publiée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail, pour qu'on puisse vous répondre."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."),
        },
    )
    purpose = forms.ChoiceField(
        label=_("Objet de votre prise de contact"),
        choices=[("", _("Choisissez…")), *Purpose.choices],
        error_messages={"required": _("Choisissez l'objet de votre message.")},
    )
    message = forms.CharField(
        label=_("Votre message"),
        min_length=MESSAGE_MIN,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("%(max)s caractères au plus. N'y mettez pas de données sensibles (santé, opinions…).")
        % {"max": MESSAGE_MAX},
        error_messages={"required": _("Écrivez votre message.")},
    )
    # Honeypot: hidden from sight and from the keyboard; people leave it empty, robots fill it.
    website = forms.CharField(
        label=_("Ne pas remplir"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", started_token())

    def looks_automated(self, now: float | None = None) -> bool:
        """A filled honeypot, a missing or forged start time, or a submission faster than a person types."""
        if (self.data.get("website") or "").strip():
            return True
        elapsed = seconds_since(self.data.get("started") or "", now)
        return elapsed is None or elapsed < MIN_FILL_SECONDS

    def carried_started(self) -> str:
        """The start time to keep when the form is shown again with errors (a valid one, else a fresh one)."""
        token = self.data.get("started") or ""
        return token if seconds_since(token) is not None else started_token()
