"""An e-mail address field: pydantic's EmailStr check, with email-validator loaded only when
an address is first checked.

pydantic's EmailStr imports email-validator when a model using it is built, at import: about
20 ms of every cold start (it compiles the RFC's grammar into regular expressions) in each
function that imports a model with an address, though most never check one (a form post
rarely carries a contact address; the stream, the planner and the admin API never do). The
check itself is pydantic's own `validate_email`, so what is accepted, how it is normalized and
the error a resident or organizer sees are EmailStr's to the letter.
"""

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pydantic.networks import validate_email


def _checked(value: str) -> str:
    """The address as EmailStr would store it (normalized); pydantic's error when invalid."""
    return validate_email(value)[1]


EmailAddress = Annotated[
    str, AfterValidator(_checked), WithJsonSchema({"format": "email", "type": "string"})
]
