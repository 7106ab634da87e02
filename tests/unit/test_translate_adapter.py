"""The Amazon Translate adapter (moto has no Translate: botocore's Stubber plays it here).

It must ask with explicit languages, give None rather than fail an e-mail, remember answers
for the next recipient, and never be asked when it is off or the languages are the same.
"""

import boto3
from botocore.stub import Stubber

from heard.store.translate import Translator


def stubbed() -> tuple[Translator, Stubber]:
    client = boto3.client(
        "translate",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return Translator(True, client), Stubber(client)


def test_it_asks_with_explicit_languages_and_remembers_the_answer() -> None:
    translator, stub = stubbed()
    stub.add_response(
        "translate_text",
        {
            "TranslatedText": "Nobody listened to us.",
            "SourceLanguageCode": "es",
            "TargetLanguageCode": "en",
        },
        {"Text": "Nadie nos escuchó.", "SourceLanguageCode": "es", "TargetLanguageCode": "en"},
    )
    with stub:
        first = translator.translate("Nadie nos escuchó.", "es", "en")
        second = translator.translate("Nadie nos escuchó.", "es", "en")  # no second call
    assert first == second == "Nobody listened to us."
    stub.assert_no_pending_responses()


def test_a_failure_is_no_translation_and_is_not_remembered() -> None:
    translator, stub = stubbed()
    stub.add_client_error("translate_text", "ThrottlingException", http_status_code=400)
    stub.add_response(
        "translate_text",
        {"TranslatedText": "Thanks!", "SourceLanguageCode": "es", "TargetLanguageCode": "en"},
    )
    with stub:
        assert translator.translate("¡Gracias!", "es", "en") is None
        assert translator.translate("¡Gracias!", "es", "en") == "Thanks!"


def test_it_is_never_asked_when_off_or_for_the_readers_own_language() -> None:
    translator, stub = stubbed()
    off = Translator(False, translator.client)
    with stub:  # no responses queued: any call would raise
        assert off.translate("Nadie nos escuchó.", "es", "en") is None
        assert translator.translate("Thanks", "en", "en") is None
        assert translator.translate("   ", "es", "en") is None
