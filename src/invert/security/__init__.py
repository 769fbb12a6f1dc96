"""Who may use a case and what they did: users and roles (``users``, ``roles.yml`` read by
``roles``) and the hash-chained audit log (``audit``) that the web app and the CLI write to.
"""

from __future__ import annotations

from invert.errors import InvertError


class SecurityError(InvertError):
    """A user or audit request that cannot be carried out (unknown user or role, weak password)."""
