"""Whether this process is shutting down, so long-lived responses can end in time."""

import threading

STOPPING = threading.Event()
