-- Accounts held by a risky company or person: the holder on the account, or the one the records
-- point to (account_holder: the payer of its payslips, the only one of the name, ...).
SELECT a.account AS subject_id, max(h.log_odds) / $full_at AS strength,
       printf('%s is held by %s (%s; own risk %.1f log-odds, mainly %s)',
              coalesce(any_value(b.iban), a.account),
              coalesce(any_value(b.holderName), any_value(a.holder)), any_value(a.detail),
              max(h.log_odds), arg_max(h.top, h.log_odds)) AS value,
       [{'tbl': 'bank_account', 'id': a.account}] AS evidence
FROM account_holder a JOIN behaviour h ON h.subject_id = a.holder AND h.subject = a.kind
LEFT JOIN bank_account b ON b.id = a.account
WHERE h.log_odds >= $min_log_odds
GROUP BY a.account
