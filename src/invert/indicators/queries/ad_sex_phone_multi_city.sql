-- Phones of sexual-services ads seen in ads for min_cities or more cities within window_days.
WITH seen AS (
    SELECT c.value AS phone, c.ad, a.postedAt::DATE AS day,
           coalesce(t.dest_city, a.location) AS city
    FROM ad_contact c JOIN ad a ON a.id = c.ad LEFT JOIN ad_text t ON t.ad = c.ad
    WHERE c.kind = 'phone' AND lower(a.kind) = 'sex' AND a.postedAt IS NOT NULL
      AND coalesce(t.dest_city, a.location) IS NOT NULL),
windows AS (  -- for each sighting, the cities of the same phone in the window it opens
    SELECT s.phone, s.ad, s.day, count(DISTINCT o.city) AS cities,
           list(DISTINCT o.city ORDER BY o.city) AS names, list(DISTINCT o.ad) AS ads
    FROM seen s JOIN seen o ON o.phone = s.phone
                           AND o.day BETWEEN s.day AND s.day + $window_days::INT
    GROUP BY s.phone, s.ad, s.day),
circuits AS (
    SELECT phone, max(cities) AS cities, arg_max(names, cities) AS names,
           list_distinct(flatten(list(ads) FILTER (WHERE cities >= $min_cities))) AS ads
    FROM windows GROUP BY phone HAVING max(cities) >= $min_cities)
SELECT s.ad AS subject_id, least(1.0, 0.6 + 0.1 * (c.cities - $min_cities)) AS strength,
       printf('phone %s advertised in %d cities within %d days: %s', c.phone, c.cities,
              $window_days::INT, array_to_string(c.names, ', ')) AS value,
       rows_of('ad', list_sort(c.ads)[:20]) AS evidence
FROM (SELECT DISTINCT phone, ad FROM seen) s JOIN circuits c USING (phone)
