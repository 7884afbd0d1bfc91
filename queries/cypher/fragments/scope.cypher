// The scope of an analysis: $region resolved (region.cypher), then the ids of every place in
// it (places.cypher). Binds {{carry}}, whole and places.

// @include region carry={{carry}}
// @include places carry={{carry}}
