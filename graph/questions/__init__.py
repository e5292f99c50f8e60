"""The question layer: the definitions, the gap checks, the traces, entities and history.

Every gap check and every trace is one declaration holding both of its twins: Python over a
view, and Cypher for a store that speaks it. :class:`graph.queries.Queries` picks
the twin for the store it is given.
"""
