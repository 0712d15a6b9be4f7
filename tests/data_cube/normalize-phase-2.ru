PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
# Phase 2: push down attachment levels
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
  ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
  ?obs qb:dataSet ?dataset .
} ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
  ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs .
} ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp .
  ?comp a qb:DimensionProperty .
  ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs .
}
