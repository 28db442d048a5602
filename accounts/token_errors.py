"""The one outcome of a token error anywhere in the project: the credential needs reconnecting."""

from __future__ import annotations

import logging

from accounts.models import Credential
from meta.errors import MetaError, PermissionMissing, TokenInvalid
from meta.redact import redact

logger = logging.getLogger(__name__)


def handle_token_error(credential: Credential, exc: MetaError) -> bool:
    """Mark the credential needs_reconnect when Meta says its token is dead or lacks a permission.

    Returns True when the error was about the token (the caller stops using it), False otherwise.
    Every scheduled job skips credentials that are not `usable()`, so this is what stops them.
    """
    if not isinstance(exc, (TokenInvalid, PermissionMissing)):
        return False
    if credential.mark_needs_reconnect(redact(str(exc)), rerequest=isinstance(exc, PermissionMissing)):
        logger.warning("credential %s needs reconnect: %s", credential.pk, redact(str(exc)))
    else:
        logger.info("credential %s: an older token failed (%s); its new one stays", credential.pk, redact(str(exc)))
    return True
