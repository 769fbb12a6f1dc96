-- Firms of one graph community (see docs/network.md) with at least $min_firms firms, of which
-- at least one was short-lived or is a phoenix successor; the more such firms, the stronger.
WITH firms AS (
    SELECT g.community, g.node AS company
    FROM graph_membership g JOIN graph_node n ON n.node = g.node
    WHERE n.kind = 'company'),
clusters AS (
    SELECT community, count(*) AS firms FROM firms GROUP BY community
    HAVING count(*) >= $min_firms),
marked AS (
    SELECT f.community, h.subject_id AS company, h.indicator, h.evidence
    FROM new_hit h JOIN firms f ON f.company = h.subject_id
    WHERE h.subject = 'company' AND list_contains($marks, h.indicator)),
per_cluster AS (
    SELECT m.community, count(DISTINCT m.company) AS marked_firms,
           string_agg(DISTINCT m.indicator, ', ' ORDER BY m.indicator) AS marks,
           list_distinct(flatten(list(m.evidence))) AS evidence
    FROM marked m SEMI JOIN clusters c ON c.community = m.community
    GROUP BY m.community)
SELECT f.company AS subject_id, p.marked_firms / $full_at AS strength,
       printf('one of %d firms in graph community %d; %d of them marked (%s)', c.firms,
              f.community, p.marked_firms, p.marks) AS value,
       p.evidence
FROM firms f JOIN clusters c USING (community) JOIN per_cluster p USING (community)
