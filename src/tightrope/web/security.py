"""Hardening around the dashboard app: Host allow-list, security headers on every response, a bounded queue.

`ServerGuard` is plain ASGI middleware, outermost in the app, so what it does holds for every response:

* **Host allow-list.** A page on another site can reach a loopback server through DNS rebinding (its
  name re-resolved to 127.0.0.1); the browser then sends that site's name as Host. Only the names
  listed are answered (loopback names by default, more with `tightrope serve --allow-host`); any
  other Host gets 400 before the app sees the request.
* **Security headers on every response**: pages, API answers, 404s, and a 500 from an unforeseen error,
  which is answered here (with the headers, and logged) instead of by the server's bare fallback.
* **A burst is queued, not refused.** At most `max_active` requests run at once; up to `max_waiting`
  more wait their turn (each up to `wait_timeout_s`). Only past that bound is a request answered 503
  (with Retry-After). The server's connection cap is set just above the bound (`connection_limit`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any, Callable

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

MAX_ACTIVE = 16  # requests handled at once (each opens the database read-only)
MAX_WAITING = 512  # requests queued beyond those; more are answered 503
WAIT_TIMEOUT_S = 60.0  # the longest a queued request waits before a 503

log = logging.getLogger("tightrope.web")

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


def connection_limit(max_active: int = MAX_ACTIVE, max_waiting: int = MAX_WAITING) -> int:
    """The server's own cap on open connections: the queue's bound, so the queue decides, not the server."""
    return max_active + max_waiting


def host_name(value: str) -> str:
    """'Example.org:8000' -> 'example.org'; '[::1]:8000' -> '::1'; a trailing dot dropped."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else ""
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts_for(bind: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Loopback names, the address the server binds to (unless a wildcard), and the names given."""
    names = list(LOOPBACK_HOSTS)
    if host_name(bind) not in WILDCARD_ADDRESSES:
        names.append(host_name(bind))
    names.extend(extra)
    return tuple(dict.fromkeys(n.strip().lower().rstrip(".") for n in names if n.strip()))


class HostCheck:
    """Whether a Host header names one of the allowed hosts: exact names, '*.example.org', or '*' (any)."""

    def __init__(self, allowed: Iterable[str]):
        names = [n.strip().lower().rstrip(".") for n in allowed]
        self.any = "*" in names
        self.suffixes = tuple(n[1:] for n in names if n.startswith("*."))
        self.exact = frozenset(host_name(n) if not n.startswith("[") else n[1:-1] for n in names
                               if n != "*" and not n.startswith("*."))

    def __call__(self, header: str | None) -> bool:
        if self.any:
            return True
        name = host_name(header or "")
        return bool(name) and (name in self.exact or name.endswith(self.suffixes))


class ServerGuard:
    """ASGI middleware: Host allow-list, security headers on every response, bounded queue, 500s answered."""

    def __init__(self, app: Callable, allowed_hosts: Iterable[str] | None = None, max_active: int = MAX_ACTIVE,
                 max_waiting: int = MAX_WAITING, wait_timeout_s: float = WAIT_TIMEOUT_S,
                 headers: dict[str, str] | None = None):
        self.app = app
        self.host_ok = HostCheck(allowed_hosts) if allowed_hosts is not None else None
        self.max_active = max_active
        self.max_waiting = max_waiting
        self.wait_timeout_s = wait_timeout_s
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in (headers or SECURITY_HEADERS).items()]
        self.waiting = 0
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def slots(self) -> asyncio.Semaphore:
        """The semaphore of the running event loop (a test client may run each request in a new loop)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._slots, self._loop, self.waiting = asyncio.Semaphore(self.max_active), loop, 0
        return self._slots  # type: ignore[return-value]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan events
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if self.host_ok is not None and not self.host_ok(_header(scope, b"host")):
            await _plain(send_with_headers, 400, "Invalid Host header: this server answers only the names it "
                                                 "was started for (tightrope serve --allow-host NAME)")
            return
        slots = self.slots()
        if slots.locked():
            if self.waiting >= self.max_waiting:
                await _plain(send_with_headers, 503, "Server busy: too many requests waiting", retry_after=True)
                return
            self.waiting += 1
            try:
                async with asyncio.timeout(self.wait_timeout_s):
                    await slots.acquire()
            except TimeoutError:
                await _plain(send_with_headers, 503, "Server busy: waited too long for a turn", retry_after=True)
                return
            finally:
                self.waiting -= 1
        else:
            await slots.acquire()
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("error answering %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _plain(send_with_headers, 500, "Internal server error")
        finally:
            slots.release()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _plain(send: Send, status: int, text: str, retry_after: bool = False) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if retry_after:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
