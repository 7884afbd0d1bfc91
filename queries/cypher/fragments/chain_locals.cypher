// One COLLECT term (for a WITH): the ids of chain c's local enterprises in scope — in a link of
// c, local = true, located in scope (local.cypher) — bound to {{as}}, {{node}} naming the firm.

COLLECT {
  MATCH ({{node}}:Enterprise)-[:IN_LINK]->(:Link)<-[:HAS_LINK]-(c)
  WHERE {{local node={{node}}}}
  RETURN DISTINCT {{node}}.id
} AS {{as}}
