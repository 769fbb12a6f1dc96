"""Online ads: what they say and offer, who posts them, and how they tie into the case."""
