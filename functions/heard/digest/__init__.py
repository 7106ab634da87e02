"""The weekly digest email: a Digest rendered into subject, HTML and text, then a MIME message."""
