"""The public routes' Routers, one per concern, joined in heard.handlers.form."""
