"""Online ads: contacts, near-duplicate clusters, posters and their templates."""
