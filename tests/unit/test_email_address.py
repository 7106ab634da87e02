"""EmailAddress checks an address exactly as pydantic's EmailStr does, loading email-validator
only when an address is first checked."""

import pytest
from pydantic import BaseModel, EmailStr, ValidationError

from heard.domain.email_address import EmailAddress


class Ours(BaseModel):
    email: EmailAddress | None = None


class Pydantics(BaseModel):
    email: EmailStr | None = None


ADDRESSES = [
    "officer.lee@example.org",
    "  Resident@Example.ORG ",
    "José@example.org",
    "name@bücher.example",
    "Jane Doe <jane@example.org>",
    "no-at-sign.example.org",
    "two@@example.org",
    "a@b",
    "",
    "x" * 2050 + "@example.org",
    "user@[192.0.2.1]",
    "dot.@example.org",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_is_accepted_normalized_or_refused_as_emailstr_does(address: str) -> None:
    try:
        expected = Pydantics(email=address).email
    except ValidationError as refusal:
        with pytest.raises(ValidationError) as ours:
            Ours(email=address)
        assert ours.value.errors(include_url=False) == refusal.errors(include_url=False)
    else:
        assert Ours(email=address).email == expected


def test_a_value_that_is_not_text_is_refused_as_emailstr_refuses_it() -> None:
    with pytest.raises(ValidationError) as ours:
        Ours(email=42)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as theirs:
        Pydantics(email=42)  # type: ignore[arg-type]
    assert ours.value.errors(include_url=False) == theirs.value.errors(include_url=False)


def test_the_api_documents_it_as_an_email_address() -> None:
    assert Ours.model_json_schema() == Pydantics.model_json_schema() | {"title": "Ours"}
