"""`policywatch alert run` that dies right after a channel accepted a message and before the mark
is saved: the process exits at once (os._exit, no cleanup), as a kill there would leave it. For
test_alerts.py: `python -m tests.alert_crash alert run …`."""
import os
import sys

from alerts import channels
from policywatch.cli import main

_send = channels.send


def send_then_die(*args, **kwargs):
    error = _send(*args, **kwargs)
    if error is None:
        os._exit(70)
    return error


channels.send = send_then_die

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
