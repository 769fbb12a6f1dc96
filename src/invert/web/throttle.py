"""Limits on repeated failed logins: after ``max_failures`` failures within ``window`` for one
user name, or from one client address, further logins for that name or from that address are
refused for ``lock`` without checking the password, so guessing costs time and no Argon2 work.

The counts live in the server's memory: a restart clears them, as does a successful login for
the name's own count (not the address's, which a guesser could otherwise reset with an account
of their own). Every refusal is an audit row (``login_locked``), besides the failed logins.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoginThrottle:
    max_failures: int = 5
    window: float = 15 * 60.0
    lock: float = 15 * 60.0
    clock: Callable[[], float] = time.monotonic  # tests pass a clock of their own
    _failures: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _locked: dict[tuple[str, str], float] = field(default_factory=dict)
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _keys(name: str, address: str) -> list[tuple[str, str]]:
        return [("user", name.strip().lower()), ("address", address)]

    def locked(self, name: str, address: str) -> tuple[str, float] | None:
        """``(what, seconds left)`` if the name (``"user"``) or the address is locked out."""
        now = self.clock()
        with self._mutex:
            for key in self._keys(name, address):
                until = self._locked.get(key)
                if until is not None and until > now:
                    return key[0], until - now
                self._locked.pop(key, None)
        return None

    def failed(self, name: str, address: str) -> None:
        """Count a failed login; the one that reaches the limit starts the lock."""
        now = self.clock()
        with self._mutex:
            for key in self._keys(name, address):
                recent = self._failures.setdefault(key, deque())
                recent.append(now)
                while recent and recent[0] <= now - self.window:
                    recent.popleft()
                if len(recent) >= self.max_failures:
                    self._locked[key] = now + self.lock
                    recent.clear()

    def succeeded(self, name: str) -> None:
        with self._mutex:
            self._failures.pop(("user", name.strip().lower()), None)
