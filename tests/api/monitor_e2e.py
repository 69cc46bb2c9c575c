#!/usr/bin/env python3
"""monitor_e2e.py - govnet with the real Prometheus, blackbox_exporter and
Alertmanager, on loopback only.

One simulated CPE per Lomé site: a TCP listener on the site's own
127.10.x.y address (govnet monitor config --prefix 127.10.0.0/16). The
test "cuts" a trench by closing the listeners of the sites that lose
service (the down set of `govnet impact --trench T`) and expects govnet to
open one incident naming a trench whose cut takes down exactly those
sites within BOUND_S seconds, then to resolve it when they listen again.
After the cut, `govnet monitor sla --prometheus` over the test's window
must give the cut sites an availability below 1 (their down time within
the cut) and every other site 1, from Prometheus's probe_success series
(a site with a failed probe of its own under load is checked against
Prometheus's raw samples). Also a single-site power fault (a site whose
path is shared: a device incident) and two simultaneous cuts (two
incidents). Every server binds 127.0.0.1 on a free port and is stopped
at the end.
Usage: monitor_e2e.py GOVNET SITES_GEOJSON
"""
import json
import os
import random
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

BOUND_S = 60          # detection and resolution bound, seconds
INTERVAL_S = 2        # scrape and rule evaluation interval
DOWN_AFTER_S = 4      # a probe failing this long alerts

G, SITES = sys.argv[1], sys.argv[2]
T = tempfile.mkdtemp(prefix="gn_e2e_")
procs = []


def log(*a):
    print(*a, flush=True)


def run(*args):
    return subprocess.run([G, *args], check=True, capture_output=True,
                          text=True).stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def http(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.read().decode()


def wait_for(what, fn, bound=BOUND_S):
    t0 = time.time()
    last = None
    while time.time() - t0 < bound:
        try:
            last = fn()
            if last:
                return time.time() - t0, last
        except Exception as e:  # a server still starting
            last = e
        time.sleep(0.5)
    raise SystemExit(f"FAIL: {what} not within {bound} s (last: {last})")


class Cpes:
    """One listening socket per site; accept and close in a thread."""

    def __init__(self, addrs):
        self.addrs, self.socks = addrs, {}
        self.sel = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.stop_flag = False
        self.th = threading.Thread(target=self.loop, daemon=True)

    def start(self, sites):
        with self.lock:
            for s in sites:
                host, port = self.addrs[s]
                k = socket.socket()
                k.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                k.bind((host, port))
                k.listen(64)
                k.setblocking(False)
                self.socks[s] = k
                self.sel.register(k, selectors.EVENT_READ)

    def stop(self, sites):
        with self.lock:
            for s in sites:
                k = self.socks.pop(s)
                self.sel.unregister(k)
                k.close()

    def loop(self):
        while not self.stop_flag:
            with self.lock:
                events = self.sel.select(timeout=0)
            for key, _ in events:
                try:
                    c, _ = key.fileobj.accept()
                    c.close()
                except OSError:
                    pass
            time.sleep(0.01)


def spawn(name, args):
    out = open(os.path.join(T, name + ".log"), "w")
    p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    procs.append((name, p))
    return p


def stop_all():
    for name, p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def down_of(trenches):
    a = ["impact", DB, "--json"]
    for t in trenches:
        a += ["--trench", str(t)]
    return sorted(s["id"] for s in json.loads(run(*a))["sites"]
                  if not s["protected"])


def incidents(open_only=False):
    q = "?open=1" if open_only else ""
    return json.loads(http(f"http://127.0.0.1:{gp}/api/incidents{q}",
                           headers=AUTH))["incidents"]


def names_cut(inc, down):
    kind, tid = inc["key"].split(":", 1)
    return (kind == "trench" and sorted(inc["sites"]) == down
            and down_of([int(tid)]) == down)


def scenario(title, cut_sets, expect):
    """Close the listeners of each down set, wait for the incidents,
    reopen, wait for their resolution."""
    before = {i["id"] for i in incidents()}
    sites = sorted({s for d in cut_sets for s in d})
    cpes.stop(sites)
    t0 = time.time()

    def opened():
        new = [i for i in incidents() if i["id"] not in before
               and i.get("resolution") != "superseded"]
        return new if expect(new) else None
    dt, new = wait_for(f"{title}: incident", opened)
    log(f"ok: {title}: {len(new)} incident(s) opened in {dt:.1f} s:",
        ", ".join(i["key"] for i in new))
    cpes.start(sites)
    t1 = time.time()

    def resolved():
        now = {i["id"]: i for i in incidents()}
        return all(now[i["id"]]["state"] == "resolved" for i in new)
    dt2, _ = wait_for(f"{title}: resolution", resolved)
    log(f"ok: {title}: resolved {dt2:.1f} s after the sites came back"
        f" ({time.time() - t0:.1f} s in all)")
    return t0, t1


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def check_prom_sla(w0, w1, cut, span):
    """monitor sla --prometheus over [w0, w1): the cut sites below 1, down
    at most the cut's span (plus a scrape each side); the others at 1
    unless Prometheus itself holds a failed probe of theirs."""
    url = f"http://127.0.0.1:{pp}"
    d = json.loads(run("monitor", "sla", DB, "--from", iso(w0), "--to",
                       iso(w1), "--prometheus", url, "--step",
                       str(INTERVAL_S)))
    assert d["source"] == "prometheus", d["source"]
    by = {x["id"]: x for x in d["sites"]}
    for s in cut:
        a = by[s]
        assert a["availability"] is not None and a["availability"] < 1, a
        assert 0 < a["down_s"] <= span + 2 * INTERVAL_S, (a, span)
    others = [s for s in by if s not in cut and s in addrs]
    odd = [s for s in others if by[s]["availability"] != 1]
    if odd:  # a probe of its own failed under load: Prometheus must agree
        q = urllib.parse.quote(
            f'min by (site) (min_over_time(probe_success{{job="govnet_cpe"}}'
            f'[{int(w1 - w0)}s]))')
        r = json.loads(http(f"{url}/api/v1/query?query={q}&time={int(w1)}"))
        zero = {x["metric"]["site"] for x in r["data"]["result"]
                if float(x["value"][1]) == 0}
        assert set(odd) <= zero, (odd, zero)
    assert len(odd) < len(others) // 20, odd
    rep = os.path.join(T, "stability.html")
    run("monitor", "report", DB, "--from", iso(w0), "--to", iso(w1),
        "--prometheus", url, "--step", str(INTERVAL_S), "--lang", "en",
        "--out", rep)
    h = open(rep, encoding="utf-8").read()
    assert "Prometheus probe_success" in h and any(
        f"<td>{s}</td>" in h for s in cut), rep
    log(f"ok: SLA from probe_success: {len(cut)} cut sites at "
        f"{min(by[s]['availability'] for s in cut):.4f}..."
        f"{max(by[s]['availability'] for s in cut):.4f}, "
        f"{len(others) - len(odd)} others at 1 ({len(odd)} with a failed"
        f" probe of their own), overall {d['overall']['availability']:.5f}")


try:
    DB = os.path.join(T, "lome.db")
    run("plan", "--sites", SITES, "--pop", "1.2278,6.1260", "--resilience",
        "critical", "--out", os.path.join(T, "plan.gpkg"))
    run("db", "init", DB)
    run("db", "import-plan", DB, os.path.join(T, "plan.gpkg"))
    gp, bp, ap, pp, probe = (free_port() for _ in range(5))
    tok = os.path.join(T, "token")
    open(tok, "w").write("e2e-token-%d\n" % os.getpid())
    AUTH = {"Authorization": "Bearer e2e-token-%d" % os.getpid()}
    cfg = os.path.join(T, "cfg")
    run("monitor", "config", DB, "--out", cfg, "--prefix", "127.10.0.0/16",
        "--port", str(probe), "--interval", str(INTERVAL_S), "--down-after",
        str(DOWN_AFTER_S), "--blackbox", f"127.0.0.1:{bp}", "--alertmanager",
        f"127.0.0.1:{ap}", "--webhook", f"http://127.0.0.1:{gp}/api/alerts",
        "--token-file", tok)
    targets = json.load(open(os.path.join(cfg, "targets", "cpe.json")))
    addrs = {}
    for t in targets:
        host, port = t["targets"][0].rsplit(":", 1)
        addrs[t["labels"]["site"]] = (host, int(port))
    cpes = Cpes(addrs)
    cpes.start(sorted(addrs))
    cpes.th.start()
    log(f"ok: {len(addrs)} simulated CPEs listening on 127.10.x.y:{probe}")

    spawn("govnet", [G, "serve", "--db", DB, "--listen", f"127.0.0.1:{gp}",
                     "--token-file", tok])
    spawn("blackbox", ["prometheus-blackbox-exporter", "--config.file",
                       os.path.join(cfg, "blackbox.yml"),
                       f"--web.listen-address=127.0.0.1:{bp}"])
    spawn("alertmanager", ["prometheus-alertmanager", "--config.file",
                           os.path.join(cfg, "alertmanager.yml"),
                           "--storage.path", os.path.join(T, "am"),
                           f"--web.listen-address=127.0.0.1:{ap}",
                           "--cluster.listen-address="])
    spawn("prometheus", ["prometheus", "--config.file",
                         os.path.join(cfg, "prometheus.yml"),
                         "--storage.tsdb.path", os.path.join(T, "prom"),
                         f"--web.listen-address=127.0.0.1:{pp}"])
    wait_for("govnet", lambda: "ok" in http(f"http://127.0.0.1:{gp}/api/health"))
    wait_for("alertmanager", lambda: http(f"http://127.0.0.1:{ap}/-/ready") is not None)
    wait_for("prometheus", lambda: http(f"http://127.0.0.1:{pp}/-/ready") is not None)
    q = urllib.parse.quote('sum(probe_success{job="govnet_cpe"})')

    def all_up():
        r = json.loads(http(f"http://127.0.0.1:{pp}/api/v1/query?query={q}"))
        v = r["data"]["result"]
        return v and int(float(v[0]["value"][1])) == len(addrs)
    dt, _ = wait_for("every CPE probed up", all_up, bound=120)
    w0 = int(time.time()) + 1
    log(f"ok: Prometheus probes all {len(addrs)} CPEs up ({dt:.1f} s)")

    rng = random.Random(15)
    ids = list(range(1, 705))
    rng.shuffle(ids)
    sets = []
    for t in ids[:80]:
        d = down_of([t])
        if 3 <= len(d) <= 40 and all(not (set(d) & set(x)) for _, x in sets):
            sets.append((t, d))
        if len(sets) == 3:
            break
    assert len(sets) == 3, sets
    (t1, d1), (t2, d2), (t3, d3) = sets

    c0, c1 = scenario(f"cut of trench {t1} ({len(d1)} sites)", [d1],
                      lambda new: len(new) == 1 and names_cut(new[0], d1))
    time.sleep(2 * INTERVAL_S)  # the samples after the return are in
    check_prom_sla(w0, int(time.time()), d1, c1 - c0)

    power = None
    for s in rng.sample(sorted(addrs), 60):
        c = json.loads(run("monitor", "diagnose", DB, "--down", s, "--json"))
        if c["candidates"] and c["candidates"][0]["kind"] == "device":
            power = s
            break
    assert power, "no site with a shared path"
    scenario(f"power fault at site {power}", [[power]],
             lambda new: len(new) == 1 and new[0]["key"] == "device:" + power)

    scenario(f"two cuts, trenches {t2} and {t3}", [d2, d3],
             lambda new: len(new) == 2 and sorted(
                 [names_cut(i, d2) or names_cut(i, d3) for i in new]) == [1, 1]
             and {tuple(sorted(i["sites"])) for i in new}
             == {tuple(d2), tuple(d3)})
    mttr = json.loads(http(f"http://127.0.0.1:{gp}/api/incidents",
                           headers=AUTH))["mttr_s"]
    log(f"ok: MTTR over the test's incidents {mttr} s")
    cpes.stop_flag = True
finally:
    stop_all()
    if os.environ.get("GN_E2E_KEEP"):
        log("kept", T)
    else:
        shutil.rmtree(T, ignore_errors=True)
