// 链主指数的输入：本链本地企业的规模、环节覆盖、本地供货伙伴、认定身份（PageRank 除外）
//
// Answers, for each local enterprise of the chain in scope (an enterprise with IN_LINK to a
// link of the chain): its revenue and tags, the chain links it is in, its distinct local
// partners through SUPPLIES either way (any chain; local and in scope), its in- and
// out-degree in the chain's supply network (the graph PageRank runs on), and the four
// components of the 链主指数 that need no graph algorithm, each in [0, 1] as in
// queries/anchors.py: scale = revenue ÷ the largest, breadth = its links ÷ the chain's links,
// pull = partners ÷ the most any has, standing = the best of its tags' points.
// `index_without_centrality` is the 链主指数 with the centrality term left out, a lower bound:
// the centrality component (PageRank) needs Neo4j GDS, which the compose service does not
// have — chainkg's Python (`chainkg anchors`, queries/anchors.py) computes it with networkx.
// Enterprises carrying $anchor_designated_tag (officially designated 链主) come first, marked
// `designated`, as in the Python ranking.
//
// @params chain region anchor

// @include chain
// @include scope carry=c
WITH c, whole, places,
     COUNT { MATCH (c)-[:HAS_LINK]->(:Link) } AS chain_links
MATCH (e:Enterprise)-[:IN_LINK]->(l:Link)<-[:HAS_LINK]-(c)
WHERE {{local node=e}}
WITH c, whole, places, chain_links, e, collect(DISTINCT l.name) AS links
WITH chain_links, e, links,
     COLLECT {
       MATCH (e)-[:SUPPLIES]-(x:Enterprise)
       WHERE x <> e AND {{local node=x}}
       RETURN DISTINCT x.name
     } AS partners,
     // in- and out-degree in the chain's supply network (the enterprises in a link of the chain)
     COUNT {
       MATCH (e)-[:SUPPLIES]->(x:Enterprise)
       WHERE x <> e AND EXISTS { MATCH (x)-[:IN_LINK]->(xl:Link) WHERE xl.chain = c.id }
     } AS supply_out,
     COUNT {
       MATCH (e)<-[:SUPPLIES]-(x:Enterprise)
       WHERE x <> e AND EXISTS { MATCH (x)-[:IN_LINK]->(xl:Link) WHERE xl.chain = c.id }
     } AS supply_in,
     reduce(best = 0.0, t IN coalesce(e.tags, []) |
       CASE WHEN coalesce($anchor_standing_points[t], 0.0) > best
            THEN toFloat($anchor_standing_points[t]) ELSE best END) AS standing
WITH collect({
       e: e, links: links, partners: partners, supply_out: supply_out, supply_in: supply_in,
       standing: standing, breadth: toFloat(size(links)) / chain_links
     }) AS rows
WITH rows,
     reduce(m = 0.0, r IN rows | CASE WHEN coalesce(r.e.revenue, 0.0) > m THEN r.e.revenue ELSE m END) AS top_revenue,
     reduce(m = 0, r IN rows | CASE WHEN size(r.partners) > m THEN size(r.partners) ELSE m END) AS top_partners
UNWIND rows AS r
WITH r, r.e AS e,
     CASE WHEN top_revenue > 0 THEN coalesce(r.e.revenue, 0.0) / top_revenue ELSE 0.0 END AS scale,
     CASE WHEN top_partners > 0 THEN toFloat(size(r.partners)) / top_partners ELSE 0.0 END AS pull
RETURN e.id AS enterprise_id,
       e.name AS enterprise,
       e.revenue AS revenue,
       coalesce(e.tags, []) AS tags,
       r.links AS links,
       size(r.links) AS link_count,
       size(r.partners) AS local_partners,
       r.partners AS partner_names,
       r.supply_out AS supply_out,
       r.supply_in AS supply_in,
       $anchor_designated_tag IN coalesce(e.tags, []) AS designated,
       round(scale, 4) AS scale,
       round(r.breadth, 4) AS breadth,
       round(pull, 4) AS pull,
       round(r.standing, 4) AS standing,
       round((
         $anchor_weight_scale * scale + $anchor_weight_breadth * r.breadth
         + $anchor_weight_pull * pull + $anchor_weight_standing * r.standing
       ) / ($anchor_weight_scale + $anchor_weight_breadth + $anchor_weight_pull
            + $anchor_weight_centrality + $anchor_weight_standing), 4) AS index_without_centrality
ORDER BY designated DESC, index_without_centrality DESC, coalesce(revenue, 0.0) DESC, enterprise, enterprise_id;
