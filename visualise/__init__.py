"""Interactive pyvis pages of the governance graph (renderers arrive with their own issue)."""
