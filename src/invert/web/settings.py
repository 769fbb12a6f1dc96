"""How one web app is run: the case it serves and the few switches that depend on where it runs.

Settings come from the command line or the environment, never from ``invert.toml``, so that a
workspace copied to another machine does not carry the deployment's choices with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SECURE_VARIABLE = "INVERT_WEB_SECURE_COOKIES"


@dataclass(frozen=True)
class Settings:
    case_dir: Path
    # Mark the session cookie Secure (sent over https only). Off by default because the app
    # listens on plain http on 127.0.0.1; turn it on behind an https proxy.
    secure_cookies: bool = False
    session_hours: int = 8
    page_size: int = 50

    @classmethod
    def from_env(cls, case_dir: Path, secure_cookies: bool | None = None) -> Settings:
        """Settings for ``case_dir``; ``secure_cookies`` None reads INVERT_WEB_SECURE_COOKIES."""
        if secure_cookies is None:
            secure_cookies = os.environ.get(SECURE_VARIABLE, "").lower() in ("1", "true", "yes")
        return cls(case_dir=Path(case_dir), secure_cookies=secure_cookies)
