"""An ASGI app under uvicorn in a daemon thread on 127.0.0.1, on a port bound before it
starts (so its URL is known first): the LTI tests' platform, and the tool when the platform
must know the tool's URLs before the tool's app is made."""

import http.client
import socket
import threading
import time
from typing import Any

import uvicorn

START_SECONDS = 10  # uvicorn in a thread answers within milliseconds; this only bounds a hang


class BackgroundServer:
    """An ASGI app served by uvicorn in a daemon thread on 127.0.0.1, on a port the OS picks."""

    def __init__(self, app: Any) -> None:
        # Bound now, so there is no port race. proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only
        # on such sockets; without it every response waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> "BackgroundServer":
        """Start serving and return once the port answers HTTP."""
        self._thread.start()
        deadline = time.monotonic() + START_SECONDS
        while True:
            probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            try:  # any HTTP answer will do (http.client: an httpx client costs ~70 ms to make)
                probe.request("GET", "/")
                probe.getresponse().read()
                return self
            except OSError:
                if not self._thread.is_alive() or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"uvicorn did not answer on {self.url}") from None
                time.sleep(0.01)  # polling a server that is starting; nothing to wait on instead
            finally:
                probe.close()

    def stop(self) -> None:
        """Ask uvicorn to finish, forcing open connections closed if it lingers."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(START_SECONDS)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(START_SECONDS)
        self._socket.close()
