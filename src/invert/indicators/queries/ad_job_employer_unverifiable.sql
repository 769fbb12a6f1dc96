-- Job ads whose employer cannot be checked against the case's company register: none named,
-- a name the register does not hold, or a firm formed just before the ad or already dissolved.
-- Only where the case holds a register at all.
WITH register AS (
    SELECT name_key, min(incorporationDate) AS formed, max(dissolutionDate) AS dissolved,
           min(name) AS name
    FROM company WHERE name_key IS NOT NULL GROUP BY name_key),
ads AS (
    SELECT a.id, a.postedAt::DATE AS day, coalesce(a.employerName, t.employer_name) AS named,
           a.employerName_key AS named_key
    FROM ad a LEFT JOIN ad_text t ON t.ad = a.id
    WHERE coalesce(lower(a.kind), 'job') = 'job' AND (SELECT count(*) FROM register) > 0)
SELECT a.id AS subject_id,
       CASE WHEN a.named IS NULL THEN 0.5
            WHEN r.name_key IS NULL THEN 0.7 ELSE 0.8 END AS strength,
       CASE WHEN a.named IS NULL THEN 'names no employer'
            WHEN r.name_key IS NULL THEN printf('employer "%s" is not in the company register', a.named)
            WHEN r.dissolved <= a.day
                 THEN printf('employer %s was dissolved on %s, before the ad', r.name, r.dissolved)
            ELSE printf('employer %s was formed on %s, %d days before the ad', r.name, r.formed,
                        a.day - r.formed) END AS value,
       [{'tbl': 'ad', 'id': a.id}] AS evidence
FROM ads a LEFT JOIN register r ON r.name_key = a.named_key
WHERE a.named IS NULL OR r.name_key IS NULL OR r.dissolved <= a.day
   OR a.day - r.formed BETWEEN 0 AND $new_firm_days
