-- Companies tied to a risky other company by a director (the same resolved person), a
-- registered address shared by few firms, a phone or an e-mail. Records of
-- one registered company (same registration number) are not ties to themselves.
WITH firm AS (
    SELECT id, coalesce(registrationNumber, id) AS firm_key FROM company),
ties AS (
    SELECT d.organization AS company, 'director ' || coalesce(p.name, d.director) AS what,
           d.director AS tie,
           'directorship' AS tbl, d.id AS row_id
    FROM directorship d
    LEFT JOIN (SELECT id, min(name) AS name FROM person GROUP BY id) p ON p.id = d.director
    UNION ALL
    SELECT id, 'address ' || address, address_key, 'company', id FROM company
    WHERE address_key IN (SELECT address_key FROM company GROUP BY address_key
                          HAVING count(DISTINCT coalesce(registrationNumber, id))
                                 <= $max_firms_at_address)
    UNION ALL
    SELECT id, 'phone ' || phone, phone, 'company', id FROM company WHERE phone IS NOT NULL
    UNION ALL
    SELECT id, 'e-mail ' || email, lower(email), 'company', id FROM company
    WHERE email IS NOT NULL),
pairs AS (
    SELECT a.company, b.company AS other, a.what, a.tbl, a.row_id, b.tbl AS other_tbl,
           b.row_id AS other_row
    FROM ties a JOIN ties b ON a.tie = b.tie
    JOIN firm fa ON fa.id = a.company JOIN firm fb ON fb.id = b.company
    WHERE fa.firm_key <> fb.firm_key),
flagged AS (
    SELECT p.*, h.log_odds, h.top, c.name AS other_name
    FROM pairs p
    JOIN behaviour h ON h.subject = 'company' AND h.subject_id = p.other
    LEFT JOIN company c ON c.id = p.other
    WHERE h.log_odds >= $min_log_odds)
SELECT company AS subject_id, max(log_odds) / $full_at AS strength,
       printf('shares %s with %s (own risk %.1f log-odds, mainly %s)%s',
              -- the riskiest tie; among equal ones the same pick every run
              arg_max(what, (log_odds, other, what, other_name)),
              coalesce(arg_max(other_name, (log_odds, other, what, other_name)),
                       arg_max(other, (log_odds, other, what, other_name))),
              max(log_odds), arg_max(top, (log_odds, other, what, other_name)),
              CASE WHEN count(DISTINCT other) > 1
                   THEN printf(' and ties to %d more risky firm(s)', count(DISTINCT other) - 1)
                   ELSE '' END) AS value,
       list_distinct(flatten(list([{'tbl': tbl, 'id': row_id},
                                   {'tbl': other_tbl, 'id': other_row}]))) AS evidence
FROM flagged
GROUP BY company
