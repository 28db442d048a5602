"""Who may see and do what: the one place a view asks for an organisation's object.

Every object a person can name in a URL belongs to an organisation (a Profile, a Credential, a
Membership's organisation). `readable` yields it when the person is a member (else 404: an
outsider learns nothing about which ids exist); `actionable` also checks the member's role.
Children (comments, conversations, members) are then reached through the parent these return,
never looked up by their own id alone.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Membership

T = TypeVar("T", bound=Model)

# What a role may do, by name: Membership.can_act (moderate, reply, publish) or can_manage.
MAY_ACT: Callable[[Membership], bool] = attrgetter("can_act")
MAY_MANAGE: Callable[[Membership], bool] = attrgetter("can_manage")


def membership(user: object, organization_id: int) -> Membership:
    """The person's membership of the organisation; not a member is a 404."""
    return get_object_or_404(
        Membership.objects.select_related("organization"), organization_id=organization_id, user=user
    )


def readable(objects: QuerySet[T], user: object, pk: int) -> T:
    """The object if it belongs to one of the person's organisations, with `.membership` (their role there)."""
    found = get_object_or_404(objects.filter(organization__memberships__user=user), pk=pk)
    # The filter above is the check; the membership it matched only says which role.
    role = Membership.objects.get(organization_id=found.organization_id, user=user)
    found.membership = role  # type: ignore[attr-defined]
    return found


def actionable(
    objects: QuerySet[T],
    user: object,
    pk: int,
    *,
    may: Callable[[Membership], bool] = MAY_ACT,
    denied: type[Exception] = PermissionDenied,
) -> T:
    """`readable`, and the person's role may act on it (else `denied`: 403, or 404 where a page hides it)."""
    found = readable(objects, user, pk)
    require(found.membership, may, denied)  # type: ignore[attr-defined]
    return found


def require(member: Membership, may: Callable[[Membership], bool], denied: type[Exception] = PermissionDenied) -> None:
    if not may(member):
        raise denied
