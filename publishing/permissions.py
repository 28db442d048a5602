from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.models import Membership

FORBIDDEN = "Você não tem permissão para executar essa ação."


class CanManageDealer(BasePermission):
    """Members of the dealer read its stories; only roles that may act (not viewers) change them.

    A dealer the person does not belong to, or one that does not exist, is a 403: the contract's
    "tenta acessar uma loja que não está autorizado a gerenciar", and it does not reveal which
    dealer ids exist.
    """

    message = FORBIDDEN

    def has_permission(self, request: Request, view: Any) -> bool:
        if view.dealer_pk is None:
            return False
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=request.user, organization_id=view.dealer_pk)
            .first()
        )
        if membership is None or (request.method not in SAFE_METHODS and not membership.can_act):
            return False
        client = getattr(request, "api_client", None)
        if client is not None and client.organization_id not in (None, membership.organization_id):
            return False  # a client made on one dealer's API access page serves that dealer only
        view.dealer = membership.organization
        return True
