"""How people and tools reach aimsgraph: the command line (:mod:`api.cli`), the HTTP API
(:mod:`api.http`), and what both share: settings, opening the configured store, output,
rendering and the reference pages."""
