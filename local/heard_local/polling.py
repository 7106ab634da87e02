"""A background poll loop: what a Lambda event source mapping does, for the local stack."""

import threading
import traceback
from typing import Any, TextIO


class Poller:
    """Calls `poll()` every `interval` seconds in a daemon thread, from start() to stop().

    Subclasses set `kind` (names the thread and log lines), `source` (with a `function_id`),
    `interval` and `_log`, call `_init_polling()`, and implement `poll()`.
    """

    kind = "poll"
    source: Any
    interval: float
    _log: TextIO

    def _init_polling(self) -> None:
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> object:
        raise NotImplementedError

    def start(self) -> None:
        """Poll in a daemon thread until stop()."""
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"{self.kind}-{self.source.function_id}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop polling; waits for the batch in progress."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.poll()
            except Exception:
                # Keep polling: one broken poll must not silently end the mapping for the session.
                print(f"{self.kind} poll for {self.source.function_id} failed:", file=self._log)
                traceback.print_exc(file=self._log)
