"""The HTTP edge: the FastAPI app, its routers (one per concern), wiring and models."""
