"""Issue 15 against a running server, below what a browser sends: malformed and oversized bodies on a raw socket."""
import socket
import subprocess
import time

from conftest import BINARY, free_port, seed_demo


def raw(server, data: bytes, timeout: float = 10.0) -> bytes:
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = b""
        try:
            while True:
                part = s.recv(4096)
                if not part:
                    break
                chunks += part
                if b"\r\n\r\n" in chunks:
                    break
        except socket.timeout:
            pass
        return chunks


def test_malformed_chunked_body_is_a_bad_request(server):
    """L11: a chunk size that is not hexadecimal is the client's fault (400), not the server's (500)."""
    server.cli("migrate")
    seed_demo(server)
    server.start()
    answer = raw(server, b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    # The server still answers.
    assert raw(server, b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 200")


def test_oversized_body_is_refused_before_it_is_sent(server):
    """H4: a form route refuses a declared 8.7 MB body at once, without waiting for it."""
    server.cli("migrate")
    seed_demo(server)
    server.start()
    started = time.time()
    answer = raw(server, b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                         b"Content-Length: 8700000\r\n\r\n--b\r\n")
    assert answer.startswith(b"HTTP/1.1 413") or answer.startswith(b"HTTP/1.1 403"), answer[:200]
    assert time.time() - started < 5


def closed_by_server(s: socket.socket, wait: float) -> bool:
    """Whether the server closes `s` within `wait` seconds (EOF or reset)."""
    s.settimeout(wait)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except ConnectionError:
        return True


def test_half_sent_requests_cannot_hold_the_server(server):
    """L12: connections over the per-address limit are closed at once; a request head not finished within the header
    timeout is closed; the server answers throughout."""
    server.env.update(DANGJIAN_HEADER_TIMEOUT="2", DANGJIAN_MAX_CONNECTIONS_PER_ADDRESS="30")
    server.cli("migrate")
    server.start()
    port = int(server.url.rsplit(":", 1)[1])
    held = []
    for _ in range(30):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n")  # no blank line: the head never ends
        held.append(s)
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", port), timeout=5)
    assert closed_by_server(extra, 2), "a connection over the per-address limit is closed at once"
    # Within the header timeout (2 s here, 10 s by default) every half-sent head is closed.
    started = time.time()
    assert all(closed_by_server(s, 5) for s in held)
    assert time.time() - started < 5
    for s in held + [extra]:
        s.close()
    # The server answers again, a complete request on a new connection.
    assert raw(server, b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 200")
    # A slow but steady client within the limits is served.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        for piece in (b"GET /livez HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
            s.sendall(piece)
            time.sleep(0.5)
        assert s.recv(4096).startswith(b"HTTP/1.1 200")


def test_cookie_without_https_on_a_reachable_address_is_warned(server):
    """L9: with DANGJIAN_HTTPS=false on an address others can reach, the server says so loudly at start; on the
    loopback address it does not."""
    server.cli("migrate")

    def first_lines(hostname: str) -> str:
        env = dict(server.env, DANGJIAN_HTTPS="false")
        process = subprocess.Popen([str(BINARY), "serve", "--hostname", hostname, "--port", str(free_port())], cwd=server.workdir,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            time.sleep(3)
        finally:
            process.terminate()
        return process.communicate(timeout=30)[0]

    reachable = first_lines("0.0.0.0")
    assert "警告：DANGJIAN_HTTPS=false" in reachable and "Secure" in reachable, reachable[:500]
    assert "警告：DANGJIAN_HTTPS=false" not in first_lines("127.0.0.1")
