// The diagnosis of every link of chain c in scope (docs/analyses.md; the Python twin is
// queries/diagnosis.py), after scope.cypher. Per link: the local enterprises of the link or any
// sub-link (the roll-up), each one's revenue in the link, the projects in scope filling it, the
// open blocking problems, the present links directly upstream and downstream, the weak rules
// and the status. Binds c, r (the link's facts: ents, n, revenue_sum, revenue_max, figures,
// known, link_revenue_sum, tagged, problems, projects, built, pipeline, present), l,
// upstream_present, downstream_present, max_share, few, small, concentrated, blocked, status
// and weak_rules (the reasons, in Chinese, for a present link).
//
// It is diagnosis_links.cypher, diagnosis_facts.cypher, diagnosis_rules.cypher and
// diagnosis_reasons.cypher; 04_local_rate_by_chain.cypher, which judges every chain at once and
// needs only each link's counts, puts link_figures.cypher in place of the first two.

// @include diagnosis_links
// @include diagnosis_facts
// @include diagnosis_rules
// @include diagnosis_reasons
