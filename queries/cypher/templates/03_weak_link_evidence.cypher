// 弱链证据：本地有配套但不够强的环节，逐条列出触发弱链的规则与数字
//
// Answers, for each weak link of the chain: how many local enterprises it has against the
// threshold, whether any carries a strength tag, the local revenue sum (and the revenue known
// in the link, 分环节营收 where given), the largest enterprise and its share, the open
// 卡脖子/断点 problems (type, status, owner), and the local enterprises themselves (largest
// first) — the evidence behind each 弱链 verdict.
// The diagnosis is the one of 01_link_diagnosis.cypher (same parameters, same rules).
//
// @params chain region diagnosis
//
// @include scope_note

// @include chain
// @include scope carry=c
// @include diagnosis
WITH c, r, l, status, few, small, concentrated, blocked, max_share, weak_rules
WHERE status = 'weak'
WITH c, r, l, few, small, concentrated, blocked, max_share, weak_rules,
     // the largest by revenue in the link (分环节营收 where given)
     reduce(top = null, x IN r.figures |
       CASE WHEN top IS NULL
              OR coalesce(x.revenue, 0.0) > coalesce(top.revenue, 0.0)
              OR (coalesce(x.revenue, 0.0) = coalesce(top.revenue, 0.0) AND x.id > top.id)
            THEN x ELSE top END) AS largest
RETURN l.id AS link_id,
       l.name AS link,
       l.level AS level,
       coalesce(l.key, false) AS key,
       r.n AS local_enterprises,
       few AS too_few_enterprises,
       size(r.tagged) > 0 AS has_strength_tag,
       r.revenue_sum AS revenue_sum,
       r.link_revenue_sum AS link_revenue_sum,
       size(r.known) AS known_revenue_firms,
       small AS small_and_untagged,
       largest.name AS largest_enterprise,
       max_share AS largest_share,
       coalesce(concentrated, false) AS too_concentrated,
       blocked AS has_open_blocking_problem,
       weak_rules,
       [q IN r.problems | q {.id, .name, .type, .status, .owner}] AS open_problems,
       COLLECT {
         UNWIND r.ents AS e
         RETURN e {.id, .name, .revenue, .tags} ORDER BY coalesce(e.revenue, 0.0) DESC, e.id
       } AS enterprises,
       [pr IN r.built | pr {.id, .name, .stage, .stage_raw}] AS present_projects,
       [pr IN r.pipeline | pr {.id, .name, .stage, .amount}] AS pipeline
ORDER BY size(r.problems) DESC, local_enterprises, link_id;
