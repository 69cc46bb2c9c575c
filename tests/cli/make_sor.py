#!/usr/bin/env python3
"""make_sor.py OUT WAVELENGTH_NM TOTAL_LOSS_DB EVENT... - write a Telcordia
SR-4731 version 2 SOR file (map, SupParams, FxdParams, KeyEvents, DataPts)
for tests. EVENT is KM:LOSS_DB:TYPE, e.g. 1.203:0.41:0F9999LS. Index of
refraction 1.4677; 16 flat data points."""
import struct, sys

IOR = 1.4677
C = 0.299792458  # km/us

def cstr(s):
    return s.encode() + b"\0"

def block(name, body):
    return cstr(name) + body

def main():
    out, wl, total = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    events = [e.split(":") for e in sys.argv[4:]]
    sup = block("SupParams", b"".join(cstr(s) for s in
                ["govnet-test", "OTDR", "SN1", "MOD", "SN2", "1.0", "made by make_sor.py"]))
    fxd = block("FxdParams", struct.pack("<I2sHiiH", 0, b"mt", int(wl * 10), 0, 0, 1)
                + struct.pack("<HII", 100, 1000000, 16) + struct.pack("<I", int(IOR * 1e5))
                + b"\0" * 40)
    ev = struct.pack("<H", len(events))
    for i, (km, loss, typ) in enumerate(events):
        tof = round(float(km) * IOR / (1e-4 * C))
        refl = -45000 if typ[0] == "1" else 0
        ev += struct.pack("<HIhhi8s", i + 1, tof, 350, round(float(loss) * 1000), refl,
                          typ.encode()) + b"\0" * 20 + cstr("")
    ev += struct.pack("<iiIHiI", round(total * 1000), 0, 0, 32000, 0, 0)
    keyev = block("KeyEvents", ev)
    pts = block("DataPts", struct.pack("<IHIH", 16, 1, 16, 1000) + b"\x10\x27" * 16)
    blocks = [("SupParams", sup), ("FxdParams", fxd), ("KeyEvents", keyev), ("DataPts", pts)]
    ent = b"".join(cstr(n) + struct.pack("<HI", 200, len(b)) for n, b in blocks)
    size = 4 + 8 + len(ent)
    data = cstr("Map") + struct.pack("<HIH", 200, size, len(blocks) + 1) + ent
    data += b"".join(b for _, b in blocks)
    open(out, "wb").write(data)

main()
