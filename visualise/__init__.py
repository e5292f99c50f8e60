"""Interactive, self-contained pyvis pages of the governance graph.

Page kinds: ``node`` (a neighbourhood), ``system`` (an AI system's governance), ``trace`` (a
control, risk or policy up to its executive), ``gaps`` (the graph with findings marked) and
``schema`` (the ontology). Every page is one HTML file that works offline.
"""

from aimsgraph.visualise.page import PageData, render_page
from aimsgraph.visualise.renderers import PAGE_KINDS, build_page

__all__ = ["PAGE_KINDS", "PageData", "build_page", "render_page"]
