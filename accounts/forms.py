from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, Role


class DisconnectForm(forms.Form):
    DELETE = "delete"
    KEEP = "keep"
    data = forms.ChoiceField(
        label=_("The data collected from these accounts"),
        choices=[(DELETE, _("Delete the collected data")), (KEEP, _("Keep the collected data"))],
        widget=forms.RadioSelect,
        initial=DELETE,
    )


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, required=False)
    remove = forms.BooleanField(required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not cleaned.get("remove") and not cleaned.get("role"):
            raise forms.ValidationError(_("Choose a role."))
        return cleaned


class RetentionForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["webhook_body_retention_days", "message_retention_days", "comment_retention_days"]
