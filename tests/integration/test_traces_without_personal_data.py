"""No comment, e-mail or phone number reaches X-Ray.

Powertools' Tracer records every traced method's return value and exception as segment
metadata unless POWERTOOLS_TRACER_CAPTURE_RESPONSE / _ERROR are "false": an organizer's
response listing, a digest's contacts, a subscriber list would all sit in traces, outside the
table's access rules and beyond erasure. Each handler runs here in a fresh process with tracing
on, as Lambda runs it, with template.yaml's Globals environment, sending its segments to a
stand-in daemon on 127.0.0.1; a control run with capture switched back on shows the probe
would see the leak.
"""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from probes import xray_run

ROOT = Path(__file__).resolve().parents[2]
PERSONAL = [b"555-201-3344", b"Officer Diaz pushed", xray_run.CONTACT.encode(), b"lt.probe@"]


def traces(overrides: dict[str, str]) -> list[bytes]:
    """Every datagram the handlers sent to a stand-in X-Ray daemon during one probe run."""
    daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    daemon.bind(("127.0.0.1", 0))
    daemon.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                received.append(daemon.recvfrom(65535)[0])
            except TimeoutError:
                continue

    listener = threading.Thread(target=listen)
    listener.start()
    port = daemon.getsockname()[1]
    env = {
        **os.environ,
        "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{port}",
        "PYTHONPATH": os.pathsep.join(str(ROOT / part) for part in ("tests", "functions", "local")),
    }
    try:
        subprocess.run(
            [sys.executable, "-m", "probes.xray_run", json.dumps(overrides)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        stop.set()
        listener.join()
        daemon.close()
    return received


@pytest.mark.parametrize("leak", PERSONAL, ids=lambda b: b.decode())
def test_the_templates_tracer_settings_keep_personal_data_out_of_traces(
    template_traces: list[bytes], leak: bytes
) -> None:
    assert len(template_traces) > 10, "tracing did not run: the probe proves nothing"
    assert not [segment for segment in template_traces if leak in segment]


def test_with_capture_on_the_probe_sees_the_leak() -> None:
    leaked = traces(
        {"POWERTOOLS_TRACER_CAPTURE_RESPONSE": "true", "POWERTOOLS_TRACER_CAPTURE_ERROR": "true"}
    )
    assert any(b"555-201-3344" in segment for segment in leaked)


@pytest.fixture(scope="module")
def template_traces() -> list[bytes]:
    return traces({})
