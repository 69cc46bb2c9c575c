#!/usr/bin/env python3
"""prom_answers.py MODE A B C - answers Prometheus's /api/v1/query_range
the way Prometheus does, from a script, on 127.0.0.1 (a free port, printed
first), so `monitor sla --prometheus` can be checked to the second and on
the answers a real Prometheus cannot be made to give. (The real Prometheus
is exercised by tests/api/monitor_e2e.py.)

MODE ok: for the sum by (site) of count_over_time / sum_over_time of
probe_success over windows [Nms], with one sample per 15 s: site A is down
from 2026-11-01 10:00 to 12:00 UTC (0 samples), site B has samples only
in the first 12 hours, site C is up throughout; no other site has data.
MODE vector | error | badgateway: a vector result, Prometheus's error form
(HTTP 400), a proxy's HTML page (HTTP 502). Serves until killed."""
import http.server
import json
import re
import sys
import urllib.parse

MODE, A, B, C = sys.argv[1:5]
DAY0 = 1793491200           # 2026-11-01T00:00:00Z
DOWN = (DAY0 + 36000, DAY0 + 43200)
STEP = 15


def series(q, start, end, step):
    ms = int(re.search(r"\[(\d+)ms\]", q).group(1))
    length = (ms + 1) // 1000
    total = "sum_over_time" not in q
    out = {A: [], B: [], C: []}
    for t in range(start, end + 1, step):
        n = length // STEP
        lo, hi = max(t - length, DOWN[0]), min(t, DOWN[1])
        down = max(0, hi - lo) // STEP
        out[A].append([t, str(n if total else n - down)])
        if t <= DAY0 + 43200:
            out[B].append([t, str(n)])
        out[C].append([t, str(n)])
    return [{"metric": {"site": s}, "values": v} for s, v in out.items() if v]


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, code, body, ctype="application/json"):
        b = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        if u.path != "/api/v1/query_range":
            return self.answer(404, "not found", "text/plain")
        if MODE == "vector":
            return self.answer(200, json.dumps({"status": "success", "data": {
                "resultType": "vector", "result": []}}))
        if MODE == "error":
            return self.answer(400, json.dumps({
                "status": "error", "errorType": "bad_data",
                "error": "1:12: parse error: unexpected character"}))
        if MODE == "badgateway":
            return self.answer(502, "<html>Bad Gateway</html>", "text/html")
        res = series(q["query"], int(q["start"]), int(q["end"]), int(q["step"]))
        self.answer(200, json.dumps({"status": "success", "data": {
            "resultType": "matrix", "result": res}}))


srv = http.server.HTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
