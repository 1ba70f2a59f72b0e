"""RFC 6238 one-time passwords as an authenticator app computes them (issue 15, H6), for the browser tests and the
benchmarks that sign in as the demo's administrators."""
import base64
import hashlib
import hmac
import struct
import time

_LAST_STEP: dict = {}


def code(secret: str) -> str:
    """HMAC-SHA1, 30-second steps, six digits. The server accepts each step once and one step of drift: a later
    sign-in with the same secret uses the next step, waiting only when it must."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    now = int(time.time() // 30)
    step = max(now, _LAST_STEP.get(secret, now - 1) + 1)
    while step > int(time.time() // 30) + 1:
        time.sleep(1)
    _LAST_STEP[secret] = step
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)
