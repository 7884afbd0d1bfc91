// Which weak rules fired, in Chinese, for a present link (after diagnosis_rules.cypher).
// Binds what diagnosis_rules.cypher binds and weak_rules.

WITH c, r, l, upstream_present, downstream_present, max_share, few, small, concentrated, blocked, status,
     // which weak rules fired (reported for present links only)
     [rule IN [
       CASE WHEN few THEN '本地企业' + toString(r.n) + '家，少于' + toString($weak_min_enterprises) + '家' END,
       CASE WHEN small THEN '无强势企业，且本地营收合计' + toString(r.link_revenue_sum) + '亿元，低于' + toString($weak_min_revenue) + '亿元' END,
       CASE WHEN concentrated THEN '最大企业占本地营收' + toString(round(max_share * 100, 1)) + '%' END,
       CASE WHEN blocked THEN '未销号问题' + toString(r.n_problems) + '个' END
     ] WHERE rule IS NOT NULL AND r.present] AS weak_rules
