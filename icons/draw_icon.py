#!/usr/bin/env python3
"""
draw_icon.py - generator for the "Liaison 协作台" application icon set.

What it draws
-------------
A rounded-square app tile with a diagonal deep-blue -> teal gradient.  On it
sits a "linked network" emblem: three department nodes (white rings) at the
corners of a triangle, joined to each other and to a central hub by white
links.  The hub is a warm amber disc with a navy check mark - the sign-off
point where the departments meet.  Everything is plain geometry drawn with
Pillow: no fonts, no third-party artwork.

How it renders
--------------
Each output size is rendered on its own, not scaled from one master:
  * the gradient is computed per pixel at that exact size (smooth, and it
    compresses well because it depends only on x + y);
  * the tile mask and the emblem are drawn at 4x supersampling and
    box-filtered down (exact-coverage anti-aliasing, no ringing);
  * sizes > 48 px ("full") get spokes to the hub, the check mark and a soft
    drop shadow; 32-48 px ("bold") and <= 24 px ("tiny") use simplified,
    thicker, pixel-snapped geometry so the emblem stays crisp at 16-32 px.
Tune the look via the palette constants and the LEVELS table.

Output (written next to this script - the set Tauri 2 expects):
    32x32.png, 128x128.png, 128x128@2x.png (256 px), icon.png (512 px)
               - all RGBA PNG
    icon.ico   - frames 16, 24, 32, 48, 64, 256 (Pillow ICO writer)
    icon.icns  - PNG entries ic11 (32), ic12 (64), ic07 (128), ic08/ic13
                 (256), ic09/ic14 (512), written by write_icns() below.
                 Pillow's own ICNS writer always adds a 1024 px entry
                 (upscaled if needed), which would more than double the
                 file; 512 px is plenty for an app icon.

How to rerun
------------
    pip install pillow
    python3 icons/draw_icon.py            # writes into this script's folder
    python3 icons/draw_icon.py OUT_DIR    # or into another folder
"""
import io
import math
import os
import struct
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter

SS = 4  # supersampling factor for shapes

# palette
BLUE_DEEP = (22, 46, 128)   # top-left of the tile
TEAL = (6, 122, 124)        # bottom-right of the tile
WHITE = (255, 255, 255, 255)
AMBER = (255, 186, 58, 255)
CHECK = BLUE_DEEP + (255,)
SHADOW = (4, 16, 48, 255)   # emblem drop shadow colour
SHADOW_ALPHA = 110          # its peak opacity (0-255)


def lerp(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def bg_color(u, v):
    """Background colour at normalised tile coords u, v in [0, 1].

    Depends on (u + v) only: a pure diagonal gradient.  That keeps every row a
    one-pixel shift of the previous one, which PNG/deflate compresses very well.
    """
    t = (u + v) / 2
    t = t * t * (3 - 2 * t)                    # smoothstep along the diagonal
    return lerp(BLUE_DEEP, TEAL, t)


def background(n, bold):
    """Gradient tile (rounded square, transparent corners) at n x n px."""
    grad = Image.new("RGB", (n, n))
    px = grad.load()
    for y in range(n):
        for x in range(n):
            px[x, y] = bg_color((x + 0.5) / n, (y + 0.5) / n)

    big = n * SS
    inset = round(n * (0.035 if bold else 0.06)) * SS   # whole output pixels: crisp edges
    radius = (big - 2 * inset) * 0.225
    box = (inset, inset, big - inset - 1, big - inset - 1)   # PIL boxes are inclusive
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box, radius=radius, fill=255)

    alpha = mask.reduce(SS)   # box filter: exact coverage, no ringing
    tile = Image.new("RGBA", (n, n), (0, 0, 0, 0))   # clean, fully clear corners
    tile.paste(grad, (0, 0), alpha.point(lambda v: 255 if v else 0))
    tile.putalpha(alpha)
    return tile


# Emblem geometry per level of detail, as fractions of the icon size.
#   R: node orbit radius, link/spoke: line widths, node: node radius,
#   ring: ring thickness (None = solid dot), hub: amber hub radius,
#   hub_ring: white ring round the hub, check: draw the check mark,
#   snap: snap centres to the pixel grid (crisper at tiny sizes).
LEVELS = {
    "full": dict(R=0.285, link=0.040, spoke=0.034, node=0.090, ring=0.034,
                 hub=0.080, hub_ring=0.021, check=True, snap=False),
    "bold": dict(R=0.29, link=0.0625, spoke=None, node=0.112, ring=0.048,
                 hub=0.088, hub_ring=0.0, check=False, snap=True),
    "tiny": dict(R=0.315, link=0.0625, spoke=None, node=0.098, ring=None,
                 hub=0.105, hub_ring=0.0, check=False, snap=True),
}


def level_for(n):
    return "full" if n > 48 else ("bold" if n > 24 else "tiny")


def emblem(n, level):
    """Network emblem as a transparent RGBA layer at n x n px."""
    L = LEVELS[level]
    S = n * SS
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    # Snap centres to the output pixel grid so lines land on whole pixels:
    # odd line widths want pixel centres, even widths want pixel boundaries.
    link_px = max(1, round(n * L["link"]))
    half = 0.5 if link_px % 2 else 0.0

    def snap(v):
        return (round(v / SS - half) + half) * SS if L["snap"] else v

    cx, cy = snap(S * 0.5), snap(S * 0.525)   # optical centre (triangle is top-heavy)
    R = S * L["R"]
    nodes = [(snap(cx + R * math.cos(math.radians(a))), snap(cy + R * math.sin(math.radians(a))))
             for a in (-90, 30, 150)]
    # keep the two bottom nodes mirror-symmetric after snapping
    nodes[2] = (2 * cx - nodes[1][0], nodes[1][1])

    def width(f):  # line width in supersampled px, at least one output px
        return max(SS, round(S * f))

    def disc(x, y, r, fill):
        d.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    for i in range(3):
        d.line([nodes[i], nodes[(i + 1) % 3]], fill=WHITE,
               width=link_px * SS if L["snap"] else width(L["link"]))
    if L["spoke"]:
        for p in nodes:
            d.line([(cx, cy), p], fill=WHITE, width=width(L["spoke"]))
    def radius(f):  # snapped radii give crisp circle outlines at tiny sizes
        return (max(1, round(n * f - half)) + half) * SS if L["snap"] else S * f

    node_r = radius(L["node"])
    for (x, y) in nodes:
        disc(x, y, node_r, WHITE)
        if L["ring"]:
            ring = max(1, round(n * L["ring"])) * SS if L["snap"] else S * L["ring"]
            disc(x, y, node_r - ring, (0, 0, 0, 0))  # punch the ring hole
    hub_r = radius(L["hub"])
    if L["hub_ring"]:
        disc(cx, cy, hub_r + S * L["hub_ring"], WHITE)
    disc(cx, cy, hub_r, AMBER)
    if L["check"]:
        cw = round(S * 0.026)
        pts = [(cx - hub_r * 0.46, cy + hub_r * 0.04),
               (cx - hub_r * 0.12, cy + hub_r * 0.38),
               (cx + hub_r * 0.50, cy - hub_r * 0.34)]
        d.line(pts, fill=CHECK, width=cw, joint="curve")
        for (x, y) in (pts[0], pts[2]):
            disc(x, y, cw / 2, CHECK)

    return img.reduce(SS)     # box filter = area-coverage anti-aliasing


def render(n):
    level = level_for(n)
    tile = background(n, level != "full")
    mark = emblem(n, level)
    if level == "full":
        # soft drop shadow under the emblem, clipped to the tile
        blur = mark.getchannel("A").filter(ImageFilter.GaussianBlur(n * 0.014))
        off = round(n * 0.014)
        shade = Image.new("L", (n, n), 0)
        shade.paste(blur.point(lambda v: v * SHADOW_ALPHA // 255), (0, off))
        shade = ImageChops.multiply(shade, tile.getchannel("A"))
        layer = Image.new("RGBA", (n, n), SHADOW)
        layer.putalpha(shade)
        tile.alpha_composite(layer)
    tile.alpha_composite(mark)
    return tile


def png_bytes(im):
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def write_icns(path, images):
    """Minimal ICNS writer: PNG-compressed entries, each stored once."""
    types = [(b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic13", 256),
             (b"ic08", 256), (b"ic14", 512), (b"ic09", 512), (b"ic10", 1024)]
    entries = [(t, png_bytes(images[s])) for t, s in types if s in images]
    body = b"".join(t + struct.pack(">I", 8 + len(data)) + data for t, data in entries)
    with open(path, "wb") as f:
        f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    cache = {}

    def get(n):
        if n not in cache:
            cache[n] = render(n)
        return cache[n]

    pngs = {"32x32.png": 32, "128x128.png": 128, "128x128@2x.png": 256, "icon.png": 512}
    for name, n in pngs.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(png_bytes(get(n)))

    ico_sizes = [16, 24, 32, 48, 64, 256]
    frames = [get(n) for n in ico_sizes]
    frames[-1].save(os.path.join(out, "icon.ico"), format="ICO",
                    sizes=[(n, n) for n in ico_sizes], append_images=frames[:-1])

    write_icns(os.path.join(out, "icon.icns"), {n: get(n) for n in (32, 64, 128, 256, 512)})

    total = 0
    for name in list(pngs) + ["icon.ico", "icon.icns"]:
        size = os.path.getsize(os.path.join(out, name))
        total += size
        print(f"{name:16s} {size:8d} bytes")
    print(f"{'total':16s} {total:8d} bytes")


if __name__ == "__main__":
    main()
