"""What a participant receives: the e-mail, the SMS text and the printed letter (PDF).

None of them names the insats, the förbund or the person: someone looking over the
participant's shoulder learns nothing from them but that a follow-up is asked for.
"""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SUBJECT = gettext_noop("Hur går det för dig? En kort fråga från uppföljningen")


def link_for(token: str, base_url: str | None = None) -> str:
    base = (base_url or settings.STEGVIS_PUBLIC_URL).rstrip("/")
    return base + reverse("followup:answer", args=[token])


def send_email(*, to: str, link: str, valid_until: str, reminder: bool) -> None:
    body = render_to_string(
        "followup/email.txt", {"link": link, "valid_until": valid_until, "reminder": reminder}
    )
    subject = _("Påminnelse: %(subject)s") % {"subject": _(SUBJECT)} if reminder else _(SUBJECT)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send(fail_silently=False)


def sms_text(*, link: str, valid_until: str, reminder: bool) -> str:
    text = _(
        "Hur går det för dig? Svara på några korta frågor senast %(valid_until)s: %(link)s "
        "Du kan också svara att du inte vill svara."
    ) % {"valid_until": valid_until, "link": link}
    return (_("Påminnelse: %(text)s") if reminder else _("Hej! %(text)s")) % {"text": text}


def qr_png_data_uri(link: str) -> str:
    import qrcode

    image = qrcode.make(link, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def letter_pdf(*, link: str, valid_until: str) -> bytes:
    """A one-page letter (PDF/UA-1) with the link and a QR code, to print and post."""
    import weasyprint

    html = render_to_string(
        "followup/letter.html",
        {"link": link, "valid_until": valid_until, "qr": qr_png_data_uri(link)},
    )
    return weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
