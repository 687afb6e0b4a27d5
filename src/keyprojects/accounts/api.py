from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from keyprojects.accounts.models import ApiToken, hash_token
from keyprojects.core import clock


class TokenAuth(HttpBearer):
    """Bearer token → the token's user. A revoked token or an inactive user is refused (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock.now())
        request.user = found.user
        return found.user
