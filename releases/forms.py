from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from collector.models import Profile
from insights.periods import MAX_DAYS
from releases.models import Release


class ReleaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    profiles = forms.ModelMultipleChoiceField(
        label=_("Profiles"), queryset=Profile.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, organization: Organization, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        kwargs.setdefault("initial", {"start": today - timedelta(days=89), "end": today})
        super().__init__(*args, **kwargs)
        self.organization = organization
        # Only the organization's own profiles can be chosen: another's id is not a valid choice.
        self.fields["profiles"].queryset = organization.profiles.order_by("username", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The period must start before it ends."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("A release covers at most %(days)s days.") % {"days": MAX_DAYS})
        return data

    def create(self, user: object, language: str) -> Release:
        data = self.cleaned_data
        release = Release.objects.create_numbered(
            self.organization, title=data["title"], start=data["start"], end=data["end"], created_by=user,
            language=language,
        )  # fmt: skip
        release.profiles.set(data["profiles"])
        return release
