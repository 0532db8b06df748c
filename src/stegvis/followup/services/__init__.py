"""Writes of follow-ups after the end. Each one transactional and audited.

No audit detail holds a contact address, a token or a personnummer: ids, occasions, channels
and code keys only. Errors are ``ValidationError`` keyed by field with a Swedish message."""

from stegvis.followup.services._common import (
    SELF_REPORT,
    SYSTEM,
)
from stegvis.followup.services.answers import (
    SelfReport,
    invitation_answered,
    invitation_for_token,
    invitation_opened,
    self_report_decline,
    self_report_submit,
)
from stegvis.followup.services.closure import (
    follow_up_close,
)
from stegvis.followup.services.contacts import (
    contact_erase,
    contact_record,
    erase_contact_if_done,
    erase_for_participation,
    rotate_contact_keys,
)
from stegvis.followup.services.horizons import (
    horizons_set,
)
from stegvis.followup.services.links import (
    SendResult,
    letter_create,
    link_issue,
    log,
    send_due_links,
)

__all__ = [
    "SELF_REPORT",
    "SYSTEM",
    "SelfReport",
    "SendResult",
    "contact_erase",
    "contact_record",
    "erase_contact_if_done",
    "erase_for_participation",
    "follow_up_close",
    "horizons_set",
    "invitation_answered",
    "invitation_for_token",
    "invitation_opened",
    "letter_create",
    "link_issue",
    "log",
    "rotate_contact_keys",
    "self_report_decline",
    "self_report_submit",
    "send_due_links",
]
