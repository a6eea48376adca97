"""`recqual serve`: the app under waitress, a production WSGI server, with every request and response kept in memory."""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any

import waitress
from flask import Flask

from recqual.service.config import Settings

# Room for the multipart framing and headers around the largest record a request may carry.
FRAMING = 64 * 1024
# A report repeats parts of the record (recommendations, evidence) besides its full text.
REPORT_GROWTH = 4


def server_options(settings: Settings, host: str, port: int, threads: int) -> dict[str, Any]:
    """waitress settings: the body limit matches the app's, and neither request nor response is spooled to a temporary file."""
    body = settings.max_request_bytes + FRAMING
    return {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "recqual",
        "max_request_body_size": body,
        "inbuf_overflow": body,
        "outbuf_overflow": REPORT_GROWTH * body,
        "outbuf_high_watermark": REPORT_GROWTH * body + 1,
    }


def serve(app: Flask, host: str, port: int, threads: int) -> None:
    """Start the workers, then serve until interrupted (Ctrl+C or SIGTERM), stopping the workers on the way out."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    state = app.extensions["recqual"]
    server = waitress.create_server(app, **server_options(state.settings, host, port, threads))
    state.pool.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    where = f"http://{host}:{server.effective_port}" if ":" not in host else f"http://[{host}]:{server.effective_port}"
    print(f"recqual: the page is at {where}/ and the API at {where}/v1/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        state.pool.close()
