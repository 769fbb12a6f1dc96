"""A helper process that normalises values, so a long list is normalised on two cores.

Normalisers (names, phones, IBANs, addresses) are Python, held to one core by the interpreter;
a million distinct names take half a minute. ``Helper`` starts ``python -m invert.ingest.helper``
once, on first need, and sends it lists of values to normalise while the calling process does
another part of the list. The helper is a fresh interpreter that imports only ``invert.types``:
it does not re-run the calling program (as multiprocessing's spawn would) nor copy it with its
threads (as fork would). Requests and answers are pickles over its standard input and output.

If the helper cannot be started or fails, ``Helper.normalise`` says so by returning None and the
caller normalises the values itself: the helper only ever saves time.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from typing import Any

from invert.types import Normalised


class Helper:
    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._sending: threading.Thread | None = None
        self._sent = False
        self.failed = False

    def start(self, type_name: str, options: dict[str, Any], values: list[str]) -> bool:
        """Send values to normalise; False if the helper is not available."""
        if self.failed:
            return False
        try:
            if self._proc is None:
                env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "invert.ingest.helper"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=env,
                )
            request = pickle.dumps((type_name, options, values), protocol=5)
        except (OSError, pickle.PicklingError):
            self._fail()
            return False
        # Sent from a thread: a helper still starting would otherwise keep the caller waiting
        # on a full pipe instead of normalising its own part.
        self._sent = False
        self._sending = threading.Thread(target=self._send, args=(self._proc, request), daemon=True)
        self._sending.start()
        return True

    def _send(self, proc: subprocess.Popen[bytes], request: bytes) -> None:
        try:
            assert proc.stdin is not None
            proc.stdin.write(request)
            proc.stdin.flush()
            self._sent = True
        except (OSError, ValueError):
            self._sent = False

    def result(self) -> list[Normalised] | None:
        """The answer to the last ``start``, or None if the helper failed."""
        assert self._sending is not None
        self._sending.join()
        if not self._sent or self._proc is None or self._proc.stdout is None:
            self._fail()
            return None
        try:
            answer = pickle.load(self._proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            self._fail()
            return None
        return answer if isinstance(answer, list) else None

    def close(self) -> None:
        if self._proc is not None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.close()
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
            self._proc = None

    def _fail(self) -> None:
        self.failed = True
        if self._proc is not None:
            self._proc.kill()
            self._proc = None


def main() -> None:
    """The helper's loop: normalise each request until standard input closes."""
    from invert import types

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            type_name, options, values = pickle.load(source)
        except EOFError:
            return
        pickle.dump(types.get(type_name).normalise(values, options), sink, protocol=5)  # type: ignore[misc]
        sink.flush()


if __name__ == "__main__":
    main()
