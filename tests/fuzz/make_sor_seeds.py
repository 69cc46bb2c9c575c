#!/usr/bin/env python3
"""make_sor_seeds.py SRC_DIR OUT_DIR - small fuzz seeds from real SOR files:
every block is kept except that DataPts is cut to 16 samples and vendor
blocks over 1 KiB are emptied, so each seed keeps the real map, header,
events and summary in a few KiB."""
import os, struct, sys

def blocks(d):
    v2 = d[:4] == b"Map\0"
    p = 4 if v2 else 0
    ver, size, nb = struct.unpack_from("<HIH", d, p)
    p += 8
    out, pos = [], size
    for _ in range(nb - 1):
        z = d.index(b"\0", p)
        name = d[p:z]
        bver, bsize = struct.unpack_from("<HI", d, z + 1)
        out.append([name, bver, d[pos:pos + bsize]])
        p, pos = z + 7, pos + bsize
    return v2, ver, out

def shrink(v2, name, body):
    head = len(name) + 1 if v2 else 0
    if name == b"DataPts":
        n, ntr = struct.unpack_from("<IH", body, head)
        k = min(n, 16)
        return (body[:head] + struct.pack("<IH", k, 1) +
                struct.pack("<IH", k, struct.unpack_from("<H", body, head + 10)[0]) +
                body[head + 12:head + 12 + 2 * k])
    std = (b"GenParams", b"SupParams", b"FxdParams", b"KeyEvents", b"Cksum")
    if name not in std and len(body) > 1024:
        return body[:head]
    return body

def rebuild(d):
    v2, ver, bl = blocks(d)
    for b in bl:
        b[2] = shrink(v2, b[0], b[2])
    ent = b"".join(n + b"\0" + struct.pack("<HI", v, len(body)) for n, v, body in bl)
    size = (4 if v2 else 0) + 8 + len(ent)
    m = (b"Map\0" if v2 else b"") + struct.pack("<HIH", ver, size, len(bl) + 1) + ent
    return m + b"".join(body for _, _, body in bl)

src, out = sys.argv[1], sys.argv[2]
for f in sorted(os.listdir(src)):
    if f.endswith(".sor"):
        seed = rebuild(open(os.path.join(src, f), "rb").read())
        open(os.path.join(out, f[:-4][:24]), "wb").write(seed)
