"""Reading one comment: pure, deterministic functions, with no I/O.

- routing: "emergency", "misconduct", "praise" or "other" (English and Spanish).
- sentiment: a score in [-1, 1] and a positive/neutral/negative label (English and Spanish).
- topics: the topics officers recognise that comments are about, counted once per comment.
- concerns: terms that call for follow-up; `urgency`, the router's old interface.
- masking: names, phone numbers, emails, plates, addresses and ID numbers replaced by tokens,
  and the tokens labelled in the reader's language.

Lexicons and regular expressions are built on first use and cached, so importing any of
these modules is cheap and a warm Lambda pays for them once; the regular expressions come
compiled from the build (patterns). These modules import the standard library only (their
domain types are for type checking; the stemmer loads when first used): the build runs them
where pydantic and the stemmer, built for Lambda, cannot load.
"""
