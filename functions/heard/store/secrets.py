"""The HMAC keys behind signed links: Secrets Manager on AWS (cached), inline locally."""

from aws_lambda_powertools.utilities import parameters

from heard.domain.tokens import TokenKeys
from heard.settings import Settings

# Rotation adds a key and moves "current"; five minutes is how long a container may keep
# signing with the old one, which still verifies, so nothing breaks meanwhile.
_CACHE_SECONDS = 300


def load_token_keys(settings: Settings) -> TokenKeys:
    """The current key set."""
    if settings.heard_token_keys is not None:
        return TokenKeys.from_json(settings.heard_token_keys.get_secret_value())
    raw = parameters.get_secret(settings.token_keys_secret, max_age=_CACHE_SECONDS)
    return TokenKeys.from_json(raw if isinstance(raw, str) else raw.decode())
