"""A calendar feed server for the tests: http.server in a thread on 127.0.0.1.

``FeedServer.feeds[path]`` is ``{"body": bytes, "etag": str, "delay": s,
"status": int}``; a request whose If-None-Match is the feed's ETag gets a
304. ``FeedServer.requests`` records (path, If-None-Match) of every request.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server.owner
        feed = server.feeds.get(self.path)
        server.requests.append((self.path, self.headers.get("If-None-Match")))
        if feed is None:
            self.send_response(404)
            self.end_headers()
            return
        if feed.get("delay"):
            time.sleep(feed["delay"])
        if feed.get("status", 200) != 200:
            self.send_response(feed["status"])
            self.end_headers()
            return
        etag = feed.get("etag")
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        body = feed["body"]
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if etag:
            self.send_header("ETag", etag)
        if not feed.get("no_length"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            server.closed_early += 1  # the client stopped reading (too big)

    def log_message(self, *args):
        pass


class FeedServer:
    def __init__(self):
        self.feeds = {}
        self.requests = []
        self.closed_early = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"
