// Every Region and Park id in scope: each place of `scopes` and everything under it (its 县,
// the parks located in them). Binds {{carry}}, whole and places.

// every Region and Park id in scope: the place itself and everything under it
WITH {{carry}}, whole,
     COLLECT {
       UNWIND scopes AS s
       MATCH (p:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(s)
       RETURN DISTINCT p.id
     } AS places
