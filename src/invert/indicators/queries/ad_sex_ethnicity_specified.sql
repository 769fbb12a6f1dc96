-- Sexual-services ads whose text says one of the cues in $cues (lexicons of the ads stage).
SELECT subject_id, strength, value, evidence FROM ad_cue_hits($cues, ['sex'])
