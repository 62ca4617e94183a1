"""Real servers for the alert tests: an SMTP server (aiosmtpd, with or without AUTH) and an HTTP
webhook receiver that can be told to fail, each on a free local port."""
from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 OK"


class SMTPServer:
    def __init__(self, user: str | None = None, password: str | None = None):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.logins: list[str] = []
        kwargs = {}
        if user:
            def authenticate(server, session, envelope, mechanism, auth_data):
                ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                    and auth_data.password.decode() == password
                if ok:
                    self.logins.append(user)
                return AuthResult(success=ok)
            # plain local SMTP: AUTH without TLS (Apprise's mailto with mode=insecure)
            kwargs = {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False}
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> "SMTPServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller._thread is not None:      # stopped once already (a test takes it down)
            self.controller.stop()

    @property
    def messages(self):
        return self.mailbox.messages


class Webhook:
    """Receives POSTed JSON; `failing = True` answers 503 (the channel is down)."""

    def __init__(self):
        self.received: list[dict] = []
        self.failing = False
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if hook.failing:
                    self.send_response(503)
                    self.end_headers()
                    return
                hook.received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def payloads(self) -> list[dict]:
        """Our digest payloads: Apprise's JSON envelope carries each as its `message`."""
        return [json.loads(r["message"]) for r in self.received]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
