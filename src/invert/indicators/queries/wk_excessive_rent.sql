-- Rent a month per resident (residence rent, else housing-only deductions) in a home shared by more
-- people than rooms, against what a whole room rents for in the same city (or a parameter).
WITH homes AS (
    SELECT id, any_value("full") AS label, lower(trim(any_value(city))) AS city, max(rooms) AS rooms
    FROM address GROUP BY id),
employers AS (
    SELECT employer FROM employment WHERE employer IS NOT NULL
    UNION SELECT employer FROM wage_payment WHERE employer IS NOT NULL),
stays AS (
    SELECT r.id, r.resident, r.address, r.provider, coalesce(r.startDate, DATE '0001-01-01') AS s,
           coalesce(r.endDate, DATE '9999-12-31') AS e,
           CASE WHEN regexp_matches(lower(coalesce(r.rentPeriod, '')), $week_words)
                    THEN r.rent * 52 / 12
                WHEN regexp_matches(lower(coalesce(r.rentPeriod, '')), $day_words)
                    THEN r.rent * 365 / 12
                WHEN regexp_matches(lower(coalesce(r.rentPeriod, '')), $year_words)
                    THEN r.rent / 12
                ELSE r.rent END AS rent,  -- a month when the period is not given
           r.provider IN (SELECT employer FROM employers) AS by_employer
    FROM residence r
    WHERE r.resident IS NOT NULL AND r.address IS NOT NULL),
moments AS (SELECT DISTINCT address, s AS day FROM stays),
present AS (  -- people living there and the rent they pay at each moment someone moves in
    SELECT m.address, m.day, count(DISTINCT x.resident) AS people, sum(x.rent) AS rent,
           bool_or(coalesce(x.by_employer, false)) AS by_employer
    FROM moments m JOIN stays x ON x.address = m.address AND x.s <= m.day AND x.e >= m.day
    GROUP BY m.address, m.day),
private AS (  -- rent per room of homes no employer provides
    SELECT h.city, median(p.rent / h.rooms) AS per_room
    FROM present p JOIN homes h ON h.id = p.address
    WHERE h.city IS NOT NULL AND h.rooms > 0 AND p.rent > 0
    GROUP BY p.address, h.city HAVING NOT bool_or(p.by_employer)),
market AS (  -- the median over the city's private homes, when there are enough of them
    SELECT city, median(per_room) AS rent, count(*) AS homes FROM private
    GROUP BY city HAVING count(*) >= $min_homes),
housing_slips AS (  -- payslips whose only deductions are for housing, as a rent a month
    SELECT id, employee, periodStart AS ps, coalesce(periodEnd, last_day(periodStart)) AS pe,
           deductions * 365 / 12
               / (coalesce(periodEnd, last_day(periodStart)) - periodStart + 1) AS rent
    FROM wage_payment
    WHERE deductions > 0 AND periodStart IS NOT NULL
      AND coalesce(periodEnd, last_day(periodStart)) >= periodStart
      AND array_length(deductionType) > 0
      AND array_length(list_filter(deductionType, x -> regexp_matches(lower(x), $housing)))
          = array_length(deductionType)),
deducted AS (
    SELECT x.id AS stay, median(w.rent) AS rent,
           list_transform(list_sort(list({'day': w.ps, 'id': w.id})), d -> d.id) AS slips
    FROM stays x JOIN housing_slips w ON w.employee = x.resident AND w.ps <= x.e AND w.pe >= x.s
    GROUP BY x.id),
shared AS (
    SELECT x.id, x.resident, x.address, h.label, h.rooms, h.city, max(p.people) AS people
    FROM stays x JOIN homes h ON h.id = x.address
    JOIN present p ON p.address = x.address AND p.day >= x.s AND p.day <= x.e
    WHERE h.rooms > 0
    GROUP BY x.id, x.resident, x.address, h.label, h.rooms, h.city),
charged AS (
    SELECT s.*, coalesce(x.rent, d.rent) AS rent,
           CASE WHEN x.rent IS NOT NULL THEN 'rent' ELSE 'housing deductions' END AS source,
           CASE WHEN x.rent IS NULL THEN d.slips ELSE [] END AS slips,
           coalesce(m.rent, $market_room_rent) AS market,
           CASE WHEN m.rent IS NOT NULL
                THEN printf('median of %d private homes in %s', m.homes, s.city)
                ELSE 'default' END AS market_source
    FROM shared s JOIN stays x ON x.id = s.id
    LEFT JOIN deducted d ON d.stay = s.id
    LEFT JOIN market m ON m.city = s.city
    WHERE s.people > s.rooms),
worst AS (
    SELECT resident, max(rent / market) AS ratio, arg_max(charged, rent / market) AS w
    FROM charged WHERE rent >= market GROUP BY resident)
SELECT resident AS subject_id, 0.5 + (ratio - 1) AS strength,
       printf('pays %.0f a month (%s) at %s, shared by %d people in %d room(s); a whole room '
              || 'rents for %.0f a month (%s)', w.rent, w.source, w.label, w.people, w.rooms,
              w.market, w.market_source) AS value,
       [{'tbl': 'residence', 'id': w.id}, {'tbl': 'address', 'id': w.address}]
           || list_transform(w.slips, x -> {'tbl': 'wage_payment', 'id': x}) AS evidence
FROM worst
