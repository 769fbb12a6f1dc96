"""Online ads: what each ad says, read from its title, text and structured fields.

``extract`` (``invert.ads.extract``) writes three workspace tables from the ``ad`` table: the
ad's facts (``ad_text``: language, offered pay normalised to euro per hour and per month,
occupation, destination, employer, signs of a real company), its contacts (``ad_contact``:
phones de-obfuscated and parsed, e-mails, messaging handles, web addresses) and the indicator
cues its wording carries (``ad_cue``). Words and patterns are data: one lexicon per language
(``lexicons/<lang>.yml``), which users extend with files of their own.
"""
