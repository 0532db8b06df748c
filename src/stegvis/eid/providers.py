"""django-allauth's SAML provider, keeping what Stegvis checks about the assertion.

Configured through ``SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"]``; the URLs stay
allauth's. Besides the attributes, the asserted AuthnContextClassRef (the level of assurance)
reaches ``pre_social_login``. A replayed response is refused because its request is no longer
pending in the session (``stegvis.eid.views.saml_finish_acs``).
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.saml.provider import SAMLProvider


class EidSAMLProvider(SAMLProvider):
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data: Any) -> dict[str, Any]:
        return {
            "attributes": data.get_attributes(),
            "authn_contexts": list(data.get_last_authn_contexts() or []),
        }

    def extract_uid(self, data: Any) -> str:
        """A placeholder: the identity is read from the attributes in ``pre_social_login``
        (allauth refuses an empty uid, and a missing attribute must get a Swedish message)."""
        return "-"
