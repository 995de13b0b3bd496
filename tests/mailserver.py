"""A real local SMTP server for the tests (aiosmtpd), collecting what arrives."""

import email
import socket
from email import policy

from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self, messages):
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """Start, collect, stop."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
        self.controller = Controller(_Collector(self.messages), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()
