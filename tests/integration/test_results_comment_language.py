"""A chosen comment is marked with the language it is written in, not its form's.

Residents write Spanish in the English form (and English in the Spanish one). The results page
marks each quote with lang="…" for screen readers' voices and says "Written in Spanish." when
it differs from the page's; the response stores only the form's language, so the comment's is
guessed from its small words, and the form's is kept when the guess is unsure.
"""

import pytest
from test_results import answers, prepare, publish, results_page

from builders import make_event
from heard.analysis.language import written_in
from heard.domain.events import Language
from heard.domain.tokens import TokenKeys, sign_results_token
from heard.handlers import aggregate, results
from heard.services import aggregation
from heard.store.dynamo import Store
from heard.web.results_i18n import TEXT

SPANISH = "Gracias por venir al parque. Hace falta más luz en la calle Maple por la noche."
ENGLISH = "Thanks for coming to the park. We need more lights on Maple Street at night."


@pytest.fixture(autouse=True)
def _fresh(table: Store) -> None:
    results._store.cache_clear()
    aggregate._store.cache_clear()
    aggregation._events_read.clear()


def test_a_spanish_comment_from_the_english_form_is_marked_spanish(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    first, *_ = answers(table, stored, 6, comment=SPANISH)  # all sent from the English form
    assert prepare(stored, [first]).status == 200
    assert publish(stored).status == 200
    token = sign_results_token(stored.event.event_id, token_keys)

    status, english_page = results_page(token, "en")
    assert status == 200
    assert f'<blockquote lang="es" dir="auto">{SPANISH}</blockquote>' in english_page
    assert TEXT["en"]["written_in_es"] in english_page
    assert TEXT["en"]["written_in_en"] not in english_page

    _, spanish_page = results_page(token, "es")
    assert f'<blockquote lang="es" dir="auto">{SPANISH}</blockquote>' in spanish_page
    assert TEXT["es"]["written_in_es"] not in spanish_page  # the page's own language
    assert TEXT["es"]["written_in_en"] not in spanish_page


@pytest.mark.parametrize(
    ("text", "form", "expected"),
    [
        (SPANISH, "en", "es"),
        (ENGLISH, "es", "en"),
        (SPANISH, "es", "es"),
        (ENGLISH, "en", "en"),
        ("El oficial fue muy amable y nos explicó todo.", "en", "es"),
        ("the officers were kind, muchas gracias", "es", "en"),
        # Too little to tell: the form's language stands.
        ("Gracias", "en", "en"),
        ("Great event!", "es", "es"),
        ("", "es", "es"),
        # Words both languages have ("no", "a", "me", "he") count for neither.
        ("No. No me.", "en", "en"),
        # Half and half: unsure.
        ("the van was there, pero no lo vi", "en", "en"),
        # [phone] and [name] masks, numbers and names do not decide it.
        ("Llámeme al 312-555-0142, soy vecina de John Smith.", "en", "es"),
    ],
)
def test_the_language_is_guessed_from_the_small_words(
    text: str, form: Language, expected: Language
) -> None:
    assert written_in(text, form) == expected
