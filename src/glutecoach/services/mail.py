"""Sending an email (an invitation, a password-reset link): to the server log in development,
through an SMTP server in production (GLUTECOACH_SMTP_URL)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from glutecoach.domain.errors import InvalidInput

log = logging.getLogger("glutecoach.mail")
SMTP_TIMEOUT_S = 10


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class MailError(Exception):
    """The message could not be handed to the mail server; `permanent`: retrying will not help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class LogMailer:
    """Development: the message goes to the server log (where a developer reads the link)."""

    def send(self, to: str, subject: str, body: str) -> None:
        log.warning("email to %s: %s\n%s", to, subject, body)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: bool  # smtps://: TLS from the start; smtp://: STARTTLS when the server offers it
    username: str | None
    password: str | None
    sender: str


def parse_smtp_url(url: str) -> SmtpSettings:
    """smtp[s]://user:password@host:port?from=coach@example.org"""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InvalidInput(
            "SMTP URL: expected smtp://user:password@host:587?from=address (or smtps://)"
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError:
        raise InvalidInput("SMTP URL: the port is not a number") from None
    sender = parse_qs(parts.query).get("from", [f"glutecoach@{parts.hostname}"])[0]
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        tls=parts.scheme == "smtps",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=sender,
    )


class SmtpMailer:
    def __init__(self, url: str) -> None:
        self.settings = parse_smtp_url(url)

    def send(self, to: str, subject: str, body: str) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.sender, to, subject
        message.set_content(body)
        context = ssl.create_default_context()
        try:
            server = (
                smtplib.SMTP_SSL(s.host, s.port, timeout=SMTP_TIMEOUT_S, context=context)
                if s.tls
                else smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT_S)
            )
            with server:
                if not s.tls:
                    server.ehlo()
                    if server.has_extn("starttls"):
                        server.starttls(context=context)
                        server.ehlo()
                if s.username is not None:
                    server.login(s.username, s.password or "")
                server.send_message(message)
        except smtplib.SMTPAuthenticationError as error:
            raise MailError(
                f"the mail server refused the login ({error.smtp_code})", permanent=True
            ) from None
        except smtplib.SMTPRecipientsRefused:
            raise MailError(f"the mail server refused the address {to}", permanent=True) from None
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(
                f"could not send mail via {s.host}:{s.port}: {error}", permanent=False
            ) from None


def mailer(smtp_url: str | None) -> Mailer:
    """The mailer the settings ask for: SMTP when a URL is set, else the server log."""
    return SmtpMailer(smtp_url) if smtp_url else LogMailer()
