"""Reading one comment: pure, deterministic functions, with no I/O.

- sentiment: a score in [-1, 1] and a positive/neutral/negative label (English and Spanish).
- themes: a comment's content words, and the most frequent ones across comments.
- concerns: terms that call for follow-up, and comments too urgent for the weekly digest.
- masking: phone numbers, emails, plates, addresses and ID numbers replaced by tokens.

Lexicons and regular expressions are built on first use and cached, so importing any of
these modules is cheap and a warm Lambda pays for them once.
"""
