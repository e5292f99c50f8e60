"""API keys: parsing ``AIMSGRAPH_API_KEYS`` and checking a caller's key in constant time.

Keys are configured as ``role:key`` pairs, or ``role:sha256:HEX`` with the SHA-256 of the key,
so a settings file need not hold the key itself. Only digests are kept in memory; a presented
key is hashed and compared with :func:`hmac.compare_digest` against every configured digest.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass

from aimsgraph.ontology import ConfigError

__all__ = ["ROLES", "ApiKey", "authenticate", "is_loopback", "parse_keys"]

ROLES = ("reader", "admin")


@dataclass(frozen=True)
class ApiKey:
    role: str
    digest: bytes


def parse_keys(text: str | None) -> list[ApiKey]:
    """The keys of ``AIMSGRAPH_API_KEYS``; raises ConfigError naming a malformed entry."""
    keys = []
    for position, entry in enumerate((text or "").split(","), 1):
        entry = entry.strip()
        if not entry:
            continue
        role, sep, secret = entry.partition(":")
        if not sep or role not in ROLES or not secret:
            raise ConfigError(f"AIMSGRAPH_API_KEYS entry {position} must be 'reader:KEY' or "
                              "'admin:KEY' (or ROLE:sha256:HEX)")
        if secret.startswith("sha256:"):
            try:
                digest = bytes.fromhex(secret.removeprefix("sha256:"))
            except ValueError:
                digest = b""
            if len(digest) != 32:
                raise ConfigError(f"AIMSGRAPH_API_KEYS entry {position}: sha256 needs 64 hex "
                                  "digits")
        else:
            digest = hashlib.sha256(secret.encode()).digest()
        keys.append(ApiKey(role, digest))
    return keys


def authenticate(keys: list[ApiKey], presented: str) -> str | None:
    """The role of the presented key, or None. Every configured key is compared."""
    digest = hashlib.sha256(presented.encode()).digest()
    role = None
    for key in keys:
        if hmac.compare_digest(key.digest, digest):
            role = key.role
    return role


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
