// The open blocking problems on link l (a MATCH and its WHERE, for a COLLECT or COUNT
// subquery), with whole and places bound by scope.cypher: a problem of $blocking_problem_types
// whose status is one of $open_problem_statuses (a problem without status counts as 待办);
// with a region, one that names enterprises counts when one of them is in scope.

MATCH (q:Problem)-[:AFFECTS]->(l)
WHERE q.type IN $blocking_problem_types
  AND coalesce(q.status, '待办') IN $open_problem_statuses
  AND (whole
       OR COUNT { (q)-[:AFFECTS]->(:Enterprise) } = 0
       OR EXISTS { MATCH (q)-[:AFFECTS]->(:Enterprise)-[:LOCATED_IN]->(p) WHERE p.id IN places })
