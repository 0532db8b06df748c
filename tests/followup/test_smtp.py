"""The links leave through a real SMTP server (aiosmtpd started by the test)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command

from stegvis.followup import services
from stegvis.participants import followup
from tests.followup.smtp import smtp_server, use_smtp
from tests.support.ports import free_port

pytestmark = pytest.mark.django_db


def test_send_followups_delivers_over_smtp(personas, ended_factory, settings, capsys):
    port = free_port()
    use_smtp(settings, port)
    settings.STEGVIS_PUBLIC_URL = "https://stegvis.example"
    p = ended_factory(60)
    services.contact_record(actor=personas.officer_a, participation=p,
                            email="deltagare@exempel.se", mobile="", agreed=True)
    opens = followup.window(p.end_date, "followup_3m")[0]
    with smtp_server(port) as server, time_machine.travel(
        dt.datetime.combine(opens, dt.time(8)).astimezone(), tick=True
    ):
        call_command("send_followups")
        call_command("send_followups")
    assert "Skickade 1 länkar" in capsys.readouterr().out
    [message] = server.messages
    assert message["To"] == "deltagare@exempel.se"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    body = message.get_content()
    assert re.search(r"https://stegvis\.example/svar/[A-Za-z0-9_-]{43}/", body)


def test_a_failing_server_leaves_the_link_unsent_for_the_next_run(personas, ended_factory,
                                                                 settings):
    port = free_port()
    use_smtp(settings, port)  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    p = ended_factory(60)
    services.contact_record(actor=personas.officer_a, participation=p,
                            email="deltagare@exempel.se", mobile="", agreed=True)
    opens = followup.window(p.end_date, "followup_3m")[0]
    with time_machine.travel(dt.datetime.combine(opens, dt.time(8)).astimezone(), tick=True):
        assert services.send_due_links().failed == 1
        with smtp_server(port) as server:
            assert services.send_due_links().sent == 1
    assert len(server.messages) == 1
