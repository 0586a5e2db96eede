"""A fake S3 endpoint that fails on purpose, to judge the Swift store's retry policy.

usage: storage_flaky_s3.py PORT MODE LOG
  MODE slowdown:N  -> the first N requests get 503 <Code>SlowDown</Code>, later ones 200 with body "hello"
  MODE forbidden   -> every request gets 403 <Code>AccessDenied</Code>
Every request appends "METHOD PATH" to LOG, so the test counts what really reached the server.
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, mode, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen = 0


def error_body(code, message):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>"
            % (code, message)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        global seen
        seen += 1
        with open(log, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        if mode == "forbidden":
            status, body = 403, error_body("AccessDenied", "Access Denied")
        elif mode.startswith("slowdown:") and seen <= int(mode.split(":")[1]):
            status, body = 503, error_body("SlowDown", "Please reduce your request rate.")
        else:
            status, body = 200, b"hello"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/xml" if status != 200 else "application/octet-stream")
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
