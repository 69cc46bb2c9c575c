#!/usr/bin/env python3
"""Trace every circuit of a store from its building's CPE port with
`govnet trace DB --port P --json` and print the figures as JSON:
length, splices and loss (1310/1550 nm) of working and protect circuits.

Usage: trace_circuits.py GOVNET DB [--out FILE]
The CPE port of a circuit strand is circuit_strands.cpe_port (strand 0).
"""
import json
import sqlite3
import statistics
import subprocess
import sys


def quant(v, q):
    if not v:
        return 0.0
    v = sorted(v)
    k = max(0, min(len(v) - 1, int(-(-q * len(v) // 1)) - 1))
    return v[k]


def main():
    govnet, db = sys.argv[1], sys.argv[2]
    out = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--out" else None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT c.fid, c.role, s.site_id, cs.cpe_port FROM circuits c JOIN"
        " sites s ON s.fid=c.site JOIN circuit_strands cs ON"
        " cs.circuit=c.fid AND cs.strand=0 ORDER BY c.fid").fetchall()
    con.close()
    res = {"working": [], "protect": []}
    for cid, role, site, port in rows:
        p = subprocess.run([govnet, "trace", db, "--port", str(port), "--json"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"trace of circuit {cid} (port {port}) failed: {p.stderr}")
        t = json.loads(p.stdout)
        if t.get("circuit") != cid:
            sys.exit(f"port {port} traces circuit {t.get('circuit')}, not {cid}")
        res[role].append({"circuit": cid, "site": site, "port": port,
                          "length_m": t["length_m"], "splices": t["splices"],
                          "loss_1310": t["loss_db"]["1310"],
                          "loss_1550": t["loss_db"]["1550"]})
    summary = {}
    for role, cs in res.items():
        km = [c["length_m"] / 1000 for c in cs]
        sp = [c["splices"] for c in cs]
        l13 = [c["loss_1310"] for c in cs]
        l15 = [c["loss_1550"] for c in cs]
        summary[role] = {
            "circuits": len(cs),
            "km_median": round(statistics.median(km), 2) if km else 0,
            "km_max": round(max(km), 2) if km else 0,
            "splices_median": statistics.median(sp) if sp else 0,
            "splices_max": max(sp) if sp else 0,
            "loss1310_median": round(statistics.median(l13), 2) if l13 else 0,
            "loss1310_p90": round(quant(l13, 0.9), 2),
            "loss1310_max": round(max(l13), 2) if l13 else 0,
            "loss1550_max": round(max(l15), 2) if l15 else 0,
            "over_10db_1310": sum(1 for x in l13 if x > 10),
            "over_20db_1310": sum(1 for x in l13 if x > 20),
        }
    if out:
        with open(out, "w") as f:
            json.dump(res, f)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
