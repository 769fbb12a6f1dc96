-- Job ads whose every contact is private (a mobile, a messaging handle, a free-mail address)
-- and that give nothing of a company: no landline, company domain, address or number.
WITH contacts AS (
    SELECT ad,
           bool_and(kind = 'handle' OR (kind = 'phone' AND line_type = 'mobile')
                    OR kind = 'email') AS private,
           string_agg(DISTINCT CASE WHEN kind = 'handle' THEN value
                                    WHEN kind = 'phone' THEN 'mobile ' || value
                                    ELSE 'e-mail ' || value END, ', '
                      ORDER BY CASE WHEN kind = 'handle' THEN value
                                    WHEN kind = 'phone' THEN 'mobile ' || value
                                    ELSE 'e-mail ' || value END) AS listed
    FROM ad_contact WHERE kind IN ('phone', 'email', 'handle', 'web') GROUP BY ad)
SELECT c.ad AS subject_id,
       CASE WHEN a.employerName IS NULL THEN 0.9 ELSE 0.7 END AS strength,
       'only ' || c.listed || '; no landline, company domain, address or registration number'
       AS value,
       [{'tbl': 'ad', 'id': c.ad}] AS evidence
FROM contacts c
JOIN ad a ON a.id = c.ad
JOIN ad_text t ON t.ad = c.ad
WHERE c.private AND coalesce(lower(a.kind), 'job') = 'job'
  AND NOT coalesce(t.has_company_domain, false) AND NOT coalesce(t.has_street_address, false)
  AND NOT coalesce(t.has_registration, false)
