"""The store layer: where the governance graph is kept, and nothing else.

The interface (:mod:`.interface`), its two implementations (the embedded store over SQLite,
the Neo4j store over Bolt), their views, the run ledger, write Cypher generated from the
ontology, and the doctor that examines a store. Nothing here knows a gap check, a trace or a
report: those are questions (:mod:`graph.questions`) asked of a store.
"""
