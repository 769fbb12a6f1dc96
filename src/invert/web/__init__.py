"""The web workspace (issue #8): server-rendered pages over one case workspace, behind a login,
with roles, need-to-know per case, pseudonyms for roles that may not see identities and an
audit-log row for every view, search and export of personal data. ``create_app`` builds it;
``invert serve`` runs it.
"""
