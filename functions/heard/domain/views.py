"""The base of the models pages and e-mails are rendered from (the digest, the results pages).

They are built from Heard's own figures, never from input, and every function imports them
(through the aggregates), while only the sender, the console and the results pages use them.
So their validators are built when first used (pydantic's `defer_build`), not when every
function loads: about 5 ms of each other function's cold start.
"""

from pydantic import BaseModel, ConfigDict


class View(BaseModel):
    model_config = ConfigDict(defer_build=True)
