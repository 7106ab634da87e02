"""Amazon Translate, for quoting a resident in the reader's language (marked as machine
translation wherever it is shown).

Optional by design: off locally (moto has no Translate) and whenever MACHINE_TRANSLATION is
false, and any failure (throttling, an unsupported pair, the service missing in the region)
answers None, so the e-mail shows the original with a note instead of failing to send. Only
masked text is ever sent: personal details are replaced before a comment leaves the table.
"""

from collections import OrderedDict
from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from heard.domain.events import Language
from heard.store.base import SDK_CONFIG

if TYPE_CHECKING:
    from mypy_boto3_translate import TranslateClient

# TranslateText takes up to 10,000 bytes; quoted comments are clipped far below that.
_MAX_CHARS = 2_000
# The same quotes go to every recipient of a run: remember a few hundred per container.
_REMEMBERED = 512


class Translator:
    """TranslateText with explicit languages (so Comprehend is never called to guess)."""

    def __init__(self, enabled: bool, client: "TranslateClient | None" = None) -> None:
        self.enabled = enabled
        self._client = client
        self._done: OrderedDict[tuple[str, str, str], str] = OrderedDict()

    @property
    def client(self) -> "TranslateClient":
        if self._client is None:
            self._client = boto3.client("translate", config=SDK_CONFIG)
        return self._client

    def translate(self, text: str, source: Language, target: Language) -> str | None:
        """`text` in `target`, or None: same language, turned off, or Translate failed."""
        text = text.strip()
        if not self.enabled or source == target or not text:
            return None
        key = (text, source, target)
        if key in self._done:
            self._done.move_to_end(key)
            return self._done[key]
        try:
            answer = self.client.translate_text(
                Text=text[:_MAX_CHARS], SourceLanguageCode=source, TargetLanguageCode=target
            )
        except (ClientError, BotoCoreError):
            # Not remembered: a throttled call may well work for the next recipient.
            return None
        translated = answer["TranslatedText"].strip()
        if not translated:
            return None
        self._done[key] = translated
        if len(self._done) > _REMEMBERED:
            self._done.popitem(last=False)
        return translated
