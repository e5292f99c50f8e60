"""The colours of the ontology's styles: colour-blind safe, red kept for gaps."""

from __future__ import annotations

__all__ = ["BLUE", "BLUISH_GREEN", "CYAN", "GREEN", "GREY", "INDIGO", "LIGHT_GREY", "OLIVE",
           "ORANGE", "PINK", "PURPLE", "SAND", "SKY", "TEAL", "VERMILLION", "WINE", "YELLOW"]

# A colour-blind-safe palette: Paul Tol's "muted" scheme and Okabe and Ito's colours. No
# node uses red, which marks gaps (visualise.styles.GAP_COLOUR); every label differs from
# every other in colour or shape, every relationship type in colour, pattern or width.
INDIGO, CYAN, TEAL, GREEN, OLIVE = "#332288", "#88CCEE", "#44AA99", "#117733", "#999933"
SAND, WINE, PURPLE = "#DDCC77", "#882255", "#AA4499"
ORANGE, SKY, BLUISH_GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
BLUE, VERMILLION, PINK = "#0072B2", "#D55E00", "#CC79A7"
GREY, LIGHT_GREY = "#4D4D4D", "#999999"
