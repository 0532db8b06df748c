"""Writes of the access app: users, role grants, two-factor set-up, API keys, sign-in events.

Every function validates its input, raises ``ValidationError`` with Swedish messages naming the
field, writes, and records an audit event in the same transaction. Authorisation is checked
before the transaction opens, so that a refusal's PERMISSION_DENIED event is kept."""

from stegvis.access.services._common import (
    API_TOKEN_PREFIX,
    HIDDEN_USERNAME,
    User,
    _require_manage_account,
    is_system_admin,
)
from stegvis.access.services.activation import (
    ACTIVATION_CODE_HOURS,
    account_activate,
    activation_code_issue,
    system_admin_bootstrap,
    user_access_reset,
)
from stegvis.access.services.api_keys import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from stegvis.access.services.signin import (
    login_failed_record,
    login_record,
    safe_username,
)
from stegvis.access.services.two_factor import (
    totp_enable_with_secret,
    totp_uri,
    two_factor_secrets_rotate,
)
from stegvis.access.services.users import (
    role_grant,
    role_revoke,
    user_create,
)

__all__ = [
    "ACTIVATION_CODE_HOURS",
    "API_TOKEN_PREFIX",
    "HIDDEN_USERNAME",
    "User",
    "_require_manage_account",
    "account_activate",
    "activation_code_issue",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "is_system_admin",
    "login_failed_record",
    "login_record",
    "role_grant",
    "role_revoke",
    "safe_username",
    "system_admin_bootstrap",
    "totp_enable_with_secret",
    "totp_uri",
    "two_factor_secrets_rotate",
    "user_access_reset",
    "user_create",
]
