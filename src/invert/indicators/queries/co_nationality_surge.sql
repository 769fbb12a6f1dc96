-- New hires per quarter: one nationality's share jumps by many percentage points over its share
-- of the hires in the four quarters before (a group brought in at once, e.g. by a gang leader).
WITH hires AS (
    SELECT e.id, e.employer, date_trunc('quarter', e.startDate)::DATE AS q,
           any_value(p.nationality) AS nationality
    FROM employment e JOIN person p ON p.id = e.employee
    WHERE e.employer IS NOT NULL AND e.startDate IS NOT NULL AND p.nationality IS NOT NULL
    GROUP BY e.id, e.employer, e.startDate),
per_q AS (SELECT employer, q, count(*) AS n FROM hires GROUP BY employer, q),
totals AS (
    SELECT employer, q, n,
           -- the four quarters before (quarters numbered, so the frame is a plain range)
           coalesce(sum(n) OVER (PARTITION BY employer ORDER BY year(q) * 4 + quarter(q)
                                 RANGE BETWEEN 4 PRECEDING AND 1 PRECEDING), 0)
           AS before_n
    FROM per_q),
per_nat AS (
    SELECT employer, q, nationality, count(*) AS k, list(id) AS ids
    FROM hires GROUP BY employer, q, nationality),
shares AS (
    SELECT pn.*, t.n, t.before_n,
           coalesce(sum(pn.k) OVER (PARTITION BY pn.employer, pn.nationality
                                   ORDER BY year(pn.q) * 4 + quarter(pn.q)
                                   RANGE BETWEEN 4 PRECEDING AND 1 PRECEDING), 0) AS before_k
    FROM per_nat pn JOIN totals t USING (employer, q)),
surges AS (
    SELECT *, round(k / n - before_k / before_n, 6) AS rise FROM shares
    WHERE k >= $min_hires AND before_n >= $min_hires)  -- a group, against a real baseline
SELECT employer AS subject_id, 0.5 + max(rise) - $rise AS strength,
       printf('Q%d %d: %d of %d new hires %s (%.0f%%) against %.0f%% in the year before',
              quarter(arg_max(q, rise)), year(arg_max(q, rise)), arg_max(k, rise),
              arg_max(n, rise), arg_max(nationality, rise),
              100 * arg_max(k / n, rise), 100 * arg_max(before_k / before_n, rise)) AS value,
       flatten(list(list_transform(ids, x -> {'tbl': 'employment', 'id': x}))) AS evidence
FROM surges
WHERE rise >= $rise
GROUP BY employer
