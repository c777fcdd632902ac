#!/usr/bin/env python3
"""Helpers of screenshots.sh (standard library only).

  dashboard_preview.py html DASHBOARD.json OUT.html   static preview of a Grafana dashboard: every panel at its
                                                      gridPos with type, title, description and PromQL (no data -
                                                      no Grafana runs here)
  dashboard_preview.py check IMAGE.png [MIN_COLOURS]  exit 0 if the PNG is a real picture: decodes it, needs >= 200x200
                                                      pixels, >= 2% of them different from the most common colour and
                                                      >= MIN_COLOURS (default 8) distinct colours; prints the numbers
"""
import html
import json
import struct
import sys
import zlib
from collections import Counter

ROW_PX = 34
COL_PCT = 100 / 24


def preview(dashboard_path, out_path):
    with open(dashboard_path, encoding="utf-8") as f:
        dash = json.load(f)
    boxes = []
    bottom = 0
    for p in dash["panels"]:
        g = p["gridPos"]
        bottom = max(bottom, g["y"] + g["h"])
        queries = "".join(
            f'<li><code>{html.escape(t.get("expr", ""))}</code> <span class="legend">{html.escape(t.get("legendFormat", ""))}</span></li>'
            for t in p.get("targets", []))
        kind = p["type"]
        boxes.append(
            f'<div class="panel {html.escape(kind)}" style="left:{g["x"] * COL_PCT:.4f}%;top:{g["y"] * ROW_PX}px;'
            f'width:calc({g["w"] * COL_PCT:.4f}% - 6px);height:{g["h"] * ROW_PX - 6}px">'
            f'<div class="title">{html.escape(p["title"])} <span class="type">{html.escape(kind)}</span></div>'
            f'<div class="desc">{html.escape(p.get("description", ""))}</div><ul>{queries}</ul></div>')
    variables = ", ".join(html.escape(v["name"]) for v in dash.get("templating", {}).get("list", []))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(dash["title"])} (preview)</title>
<style>
body {{ background:#111217; color:#ccccdc; font:13px/1.35 sans-serif; margin:12px; }}
h1 {{ font-size:18px; margin:0 0 4px; }} .meta {{ color:#8e8e9e; margin-bottom:10px; }}
.grid {{ position:relative; height:{bottom * ROW_PX}px; }}
.panel {{ position:absolute; box-sizing:border-box; background:#181b1f; border:1px solid #2c3235; border-radius:3px;
          padding:6px 8px; overflow:hidden; }}
.panel.row {{ background:none; border:none; border-bottom:1px solid #3d71d9; color:#6e9fff; font-size:15px; }}
.title {{ font-weight:bold; color:#fff; }} .panel.row .title {{ color:#6e9fff; }}
.type {{ font-weight:normal; color:#73bf69; font-size:11px; }}
.desc {{ color:#9fa0ab; font-size:11.5px; margin:3px 0; }}
ul {{ margin:4px 0 0 14px; padding:0; }} li {{ margin-bottom:3px; }}
code {{ color:#f2cc0c; font-size:11px; white-space:pre-wrap; word-break:break-all; }} .legend {{ color:#8ab8ff; font-size:11px; }}
</style></head><body>
<h1>{html.escape(dash["title"])}</h1>
<div class="meta">uid {html.escape(dash["uid"])} &middot; {len(dash["panels"])} panels &middot; variables: {variables} &middot;
static layout preview of deploy/grafana/wdrf-dashboard.json (no data)</div>
<div class="grid">{"".join(boxes)}</div></body></html>
"""
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(page)


def pixels(png_path):
    """Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) into rows of pixel tuples."""
    with open(png_path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        ftype, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                cur[i] = (cur[i] + a) & 255
            elif ftype == 2:
                cur[i] = (cur[i] + b) & 255
            elif ftype == 3:
                cur[i] = (cur[i] + ((a + b) >> 1)) & 255
            elif ftype == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(cur))
        prev = cur
    return width, height, bpp, rows


def check(png_path, min_colours=8):
    width, height, bpp, rows = pixels(png_path)
    counts = Counter()
    for r in rows[::2]:  # every second row and column: plenty for these statistics
        for x in range(0, width * bpp, 2 * bpp):
            counts[r[x:x + 3]] += 1
    total = sum(counts.values())
    background = counts.most_common(1)[0][1]
    other = 1 - background / total
    ok = width >= 200 and height >= 200 and other >= 0.02 and len(counts) >= min_colours
    print(f"{png_path}: {width}x{height}, {len(counts)} colours, {other:.1%} non-background pixels -> "
          f"{'ok' if ok else 'EMPTY-LOOKING'}")
    return ok


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "html":
        preview(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(0 if check(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 8) else 1)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
