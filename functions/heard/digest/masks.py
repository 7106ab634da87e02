"""Masking labels in the reader's language: "[phone]" reads "[teléfono]" in a Spanish e-mail.

A stand-in until heard.analysis.masking.localize_masks (the analysis engineer's, same
signature) lands; then this module goes and its callers import that one.
"""

from heard.domain.events import Language

_LABELS: dict[Language, dict[str, str]] = {
    "en": {},
    "es": {
        "[phone]": "[teléfono]",
        "[email]": "[correo]",
        "[plate]": "[placa]",
        "[address]": "[dirección]",
        "[id]": "[identificación]",
        "[name]": "[nombre]",
    },
}


def localize_masks(text: str, lang: Language) -> str:
    """`text` with the masking tokens written in `lang`."""
    for token, label in _LABELS[lang].items():
        text = text.replace(token, label)
    return text
