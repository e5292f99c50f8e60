"""How people and tools reach aimsgraph: the command line, settings, and (later) HTTP."""
