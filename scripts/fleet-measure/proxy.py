import http.server, urllib.request, threading, time, sys, json
count = {'n': 0}
lock = threading.Lock()
LAT = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        with lock:
            count['n'] += 1
        time.sleep(LAT)
        req = urllib.request.Request('http://127.0.0.1:18545/', data=body, headers={'Content-Type': 'application/json'})
        try:
            data = urllib.request.urlopen(req, timeout=5).read()
            self.send_response(200)
        except Exception as e:
            data = b'{}'; self.send_response(502)
        self.send_header('Content-Type', 'application/json'); self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
    def do_GET(self):
        data = json.dumps(count).encode()
        self.send_response(200); self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', 18546), H).serve_forever()
