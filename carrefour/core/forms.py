"""What every form of the site shares: errors announced with their field."""

from django import forms


class DescribedMixin:
    """Each field with an error points at its message (and keeps its help text) through aria-describedby.

    The templates render the message as `<p id="<field id>_error">` and the help text as `<… id="<field id>_helptext">`.
    """

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self[name]
                described = [f"{field.auto_id}_error"] + ([f"{field.auto_id}_helptext"] if field.help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


class DescribedForm(DescribedMixin, forms.Form):
    pass
