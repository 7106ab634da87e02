"""The staff console's pages, one Router per page group, joined in heard.handlers.console."""
