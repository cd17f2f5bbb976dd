"""Mail in production (GLUTECOACH_SMTP_URL) through a real SMTP server on loopback (aiosmtpd):
a password reset arrives by mail, its link sets a new password; the login is sent to the server;
a refused login or address is a permanent MailError, a server that is not there a passing one;
and a mail that cannot be sent does not stop the reset page answering as usual."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from glutecoach.services.mail import MailError, SmtpMailer
from tests.faults.server import free_port
from tests.web.test_account_pages import (
    EMAIL,
    ask_reset,
    reset_token,
    set_password,
    sign_in,
    visitor,
)
from tests.web.test_account_pages import app_url as app_url  # the fixture

USER, SECRET = "clinic-mailer", "mail password"


@dataclass
class Inbox:
    """What the SMTP server was given: each message, and the logins it was offered."""

    messages: list[tuple[str, list[str], Message]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.original_content or envelope.content)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        user, password = data.login.decode(), data.password.decode()
        self.logins.append((user, password))
        return AuthResult(success=(user, password) == (USER, SECRET), handled=False)


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    box = Inbox()
    port = free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        authenticator=box.authenticate,
        auth_require_tls=False,  # loopback, no certificate: STARTTLS is not offered
    )
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def url(port: int, user: str = USER, secret: str = SECRET) -> str:
    return f"smtp://{user}:{secret.replace(' ', '%20')}@127.0.0.1:{port}?from=clinic@example.org"


def test_a_message_reaches_the_server_with_its_login(inbox: tuple[Inbox, int]) -> None:
    box, port = inbox
    SmtpMailer(url(port)).send("ana@runner.test", "Your invitation", "Open this link: …")
    assert box.logins == [(USER, SECRET)]
    [(sender, to, message)] = box.messages
    assert (sender, to) == ("clinic@example.org", ["ana@runner.test"])
    assert message["Subject"] == "Your invitation" and message["To"] == "ana@runner.test"
    assert "Open this link" in message.get_payload(decode=True).decode()


def test_a_refused_login_or_address_is_permanent_a_missing_server_is_not(
    inbox: tuple[Inbox, int],
) -> None:
    box, port = inbox
    with pytest.raises(MailError, match="refused the login") as refused:
        SmtpMailer(url(port, secret="wrong")).send("ana@runner.test", "s", "b")
    assert refused.value.permanent
    box.refuse.add("gone@runner.test")
    with pytest.raises(MailError, match=r"refused the address gone@runner\.test") as unknown:
        SmtpMailer(url(port)).send("gone@runner.test", "s", "b")
    assert unknown.value.permanent
    nobody = free_port()
    with pytest.raises(MailError, match=f"could not send mail via 127.0.0.1:{nobody}") as down:
        SmtpMailer(url(nobody)).send("ana@runner.test", "s", "b")
    assert not down.value.permanent
    assert box.messages == []


def test_a_password_reset_arrives_by_mail_and_its_link_works(
    app_url: str, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = inbox
    monkeypatch.setenv("GLUTECOACH_SMTP_URL", url(port))
    with visitor(app_url) as client:
        ask_reset(client)
        [(_, to, message)] = box.messages
        assert to == [EMAIL] and "password" in message["Subject"].lower()
        token = reset_token(message.get_payload(decode=True).decode())
        new = "a password from the mail"
        done = set_password(client, token, new)
        assert done.status_code == 303 and done.headers["location"] == "/login"
        assert sign_in(client, password=new).status_code == 303


def test_a_mail_server_that_refuses_does_not_break_the_reset_page(
    app_url: str, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = inbox
    monkeypatch.setenv("GLUTECOACH_SMTP_URL", url(port, secret="wrong"))
    with visitor(app_url) as client:
        ask_reset(client)  # the same answer: nothing says whether the address has an account
    assert box.messages == [] and box.logins and set(box.logins) == {(USER, "wrong")}
