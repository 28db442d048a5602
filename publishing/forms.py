from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from publishing.models import ApiClient


class ApiClientForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ["name", "callback_url"]
        widgets = {"callback_url": forms.URLInput(attrs={"placeholder": "https://loja.example/story-callback"})}
        help_texts = {"name": _("For you: which shop system or script uses it.")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["callback_url"].assume_scheme = "https"  # type: ignore[attr-defined]
