"""Secrets, CSRF tokens, rate limits and response headers of the class server.

Every credential is a :func:`secrets.token_urlsafe` string of 24 bytes (192 bits) and only its SHA-256 is
kept in the store, so a copied store file gives nobody a working resume link. CSRF tokens are an HMAC of a
per-browser random cookie under a per-server key (a "signed double-submit cookie"): a page of another site
can neither read the cookie nor forge the HMAC, and forms keep working with JavaScript off.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

__all__ = [
    "CLASS_CODE_ALPHABET",
    "SECURITY_HEADERS",
    "TOKEN_BYTES",
    "CsrfSigner",
    "RateLimiter",
    "new_class_code",
    "new_token",
    "token_hash",
]

TOKEN_BYTES = 24  # 192 bits, above the 128 the class needs
# Unambiguous characters for a class code read aloud or typed from a projector (no 0/O, 1/I/L).
CLASS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def new_token() -> str:
    """An unguessable URL-safe token (192 bits from :mod:`secrets`)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_class_code(length: int = 6) -> str:
    """A class code such as ``K7P2QX`` (about 31 bits; joins are rate-limited)."""
    return "".join(secrets.choice(CLASS_CODE_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class CsrfSigner:
    """Issue and check CSRF tokens bound to a browser's random ``nonce`` cookie."""

    key: bytes

    @classmethod
    def fresh(cls) -> CsrfSigner:
        return cls(secrets.token_bytes(32))

    def token(self, nonce: str) -> str:
        return hmac.new(self.key, nonce.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

    def check(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token or len(nonce) > 100 or len(token) > 100:
            return False
        return hmac.compare_digest(self.token(nonce), token)


class RateLimiter:
    """A token bucket per key (a client address): ``burst`` events at once, then ``per_minute``.

    Buckets that have refilled are dropped on the way, so the table stays as small as the set of clients
    that are actually being limited — memory does not grow with the length of a class.
    """

    def __init__(self, burst: int, per_minute: float, *, clock=time.monotonic):
        if burst < 1 or per_minute <= 0:
            raise ValueError(f"burst must be ≥ 1 and per_minute > 0, got {burst!r}, {per_minute!r}")
        self.burst, self.rate, self.clock = float(burst), per_minute / 60.0, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one event from ``key``'s bucket; ``False`` when it is empty."""
        now = self.clock()
        with self._lock:
            level, since = self._buckets.get(key, (self.burst, now))
            level = min(self.burst, level + (now - since) * self.rate)
            if level < 1:
                self._buckets[key] = (level, now)
                return False
            self._buckets[key] = (level - 1, now)
            if len(self._buckets) > 1000:
                self._prune(now)
            return True

    def _prune(self, now: float) -> None:
        full = [k for k, (level, since) in self._buckets.items() if level + (now - since) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)
