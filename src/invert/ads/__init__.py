"""Online ads: what they say and offer, who posts them, and how they tie into the case.

The ads stage (``stage.run``, ``invert ads run``) reads the ``ad`` table in three steps:

* ``extract``: the ad's facts (``ad_text``: language, offered pay in euro per hour and per
  month, occupation, destination, employer, signs of a real company), its contacts
  (``ad_contact``: phones de-obfuscated and parsed, e-mails, messaging handles, web addresses)
  and the cues its wording carries (``ad_cue``), from one lexicon per language
  (``lexicons/<lang>.yml``) that users extend with files of their own;
* ``cluster``: near-duplicate text clusters (``ad_cluster``, with ``ad_template``: the shared
  text and its slots) and posters, ads tied by contacts (``ad_poster``, ``ad_poster_profile``);
* ``links``: names that personal e-mail addresses spell (``ad_contact_name``), so the network
  can tie an ad to the person or account of that name.

``tables`` holds the contract the ad indicators read.
"""
