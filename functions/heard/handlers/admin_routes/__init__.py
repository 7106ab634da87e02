"""The admin API's routes, one Router per concern, joined in heard.handlers.admin."""
