-- Median length of the employment spells that ended.
SELECT employer AS subject_id,
       1 - median(endDate - startDate) / ($median_days * 2.0) AS strength,
       printf('median spell %d days over %d ended spells', median(endDate - startDate)::INT,
              count(*)) AS value,
       rows_of('employment', list(id)) AS evidence
FROM employment
WHERE employer IS NOT NULL AND startDate IS NOT NULL AND endDate IS NOT NULL
GROUP BY employer
HAVING count(*) >= $min_spells AND median(endDate - startDate) < $median_days
