-- Ads with a phone number found only after de-obfuscation (spelled digits, look-alikes, emoji).
SELECT c.ad AS subject_id, 0.8 + 0.1 * (count(DISTINCT c.raw) > 1)::INT AS strength,
       'phone written as ' || string_agg(DISTINCT printf('"%s" (reads %s)', c.raw, c.value), ', '
                                         ORDER BY printf('"%s" (reads %s)', c.raw, c.value))
       AS value,
       [{'tbl': 'ad', 'id': c.ad}] AS evidence
FROM ad_contact c
WHERE c.kind = 'phone' AND c.obfuscated
GROUP BY c.ad
