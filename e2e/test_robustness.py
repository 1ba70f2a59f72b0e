"""Issue 15 against a running server, below what a browser sends: malformed and oversized bodies on a raw socket."""
import socket
import time

from conftest import seed_demo


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
