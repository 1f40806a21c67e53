#!/usr/bin/env python3
"""Generate ClassicCV's committed fixtures (inputs + anchor reference outputs).

Run with the anchors' venv (see Tools/venv.sh):

    Tools/.venv/bin/python Tools/make_fixtures.py [--out Fixtures] [--no-check]

Deterministic: every random source is seeded, gzip streams carry mtime 0 and no
file name, PNGs are written chunk by chunk with zlib at a fixed level, and
JPEGs come from Pillow's libjpeg-turbo (or from the tiny baseline encoder
below).  Re-running reproduces byte-identical files for the same anchor
versions (recorded in Fixtures/VERSIONS.txt).

Channel order convention: ClassicCV is RGB(A).  OpenCV references are
converted from BGR(A) to RGB(A) before saving.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import shutil
import struct
import sys
import zlib
from pathlib import Path

import numpy as np

import cv2
import PIL
from PIL import Image, ImageOps, features
import skimage
import skimage.data

ROOT = Path(__file__).resolve().parent.parent
SEED = 20240601

cv2.setNumThreads(1)
try:
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
except Exception:  # pragma: no cover - older OpenCV
    pass


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def rng(tag: str) -> np.random.Generator:
    """A generator seeded by SEED and a tag, so adding fixtures never shifts others."""
    return np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def save_npy(path: Path, arr: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, np.ascontiguousarray(arr), allow_pickle=False)


def gzip_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def cv_to_rgb(a):
    """OpenCV BGR(A) -> RGB(A); gray untouched; None stays None."""
    if a is None or a.ndim == 2:
        return a
    if a.shape[2] == 3:
        return a[..., ::-1].copy()
    if a.shape[2] == 4:
        return a[..., [2, 1, 0, 3]].copy()
    return a


def cv_read(path: Path, flags=cv2.IMREAD_UNCHANGED):
    return cv_to_rgb(cv2.imread(str(path), flags))


def describe(a) -> str:
    if a is None:
        return "None"
    return f"{a.dtype} {'x'.join(map(str, a.shape))}"


def test_image(h: int, w: int, c: int, maxval: int, tag: str) -> np.ndarray:
    """Gradients plus noise: every sample differs, values span the full range."""
    r = rng(tag)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    planes = []
    for k in range(c):
        base = (x / max(w - 1, 1) * (0.6 + 0.1 * k) + y / max(h - 1, 1) * (0.4 - 0.1 * k)) % 1.0
        noise = r.uniform(-0.15, 0.15, size=(h, w))
        planes.append(np.clip(base + noise, 0, 1))
    img = np.stack(planes, axis=-1) if c > 1 else planes[0]
    out = np.rint(img * maxval).astype(np.uint16 if maxval > 255 else np.uint8)
    # make sure the extremes occur
    out.flat[0] = 0
    out.flat[-1] = maxval
    return out


# --------------------------------------------------------------------------
# PNG writer (by hand: full control of bit depth, interlace, tRNS, filters)
# --------------------------------------------------------------------------

PNG_SIG = b"\x89PNG\r\n\x1a\n"
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def png_chunk(ctype: bytes, data: bytes, crc: int | None = None) -> bytes:
    if crc is None:
        crc = zlib.crc32(ctype + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", crc)


def ihdr(w, h, depth, ctype, interlace=0) -> bytes:
    return struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace)


def pack_row(samples: np.ndarray, depth: int) -> bytes:
    """samples: 1-D array of samples (pixels * channels) for one row."""
    if depth == 16:
        return samples.astype(">u2").tobytes()
    if depth == 8:
        return samples.astype(np.uint8).tobytes()
    per = 8 // depth
    s = samples.astype(np.uint8)
    pad = (-len(s)) % per
    if pad:
        s = np.concatenate([s, np.zeros(pad, np.uint8)])
    s = s.reshape(-1, per)
    out = np.zeros(len(s), np.uint16)
    for i in range(per):
        out |= s[:, i].astype(np.uint16) << (8 - depth * (i + 1))
    return out.astype(np.uint8).tobytes()


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(ftype: int, row: bytes, prev: bytes, bpp: int) -> bytes:
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        pred = (0, a, b, (a + b) // 2, paeth(a, b, c))[ftype]
        out[i] = (row[i] - pred) & 0xFF
    return bytes([ftype]) + bytes(out)


def png_scanlines(img: np.ndarray, depth: int, ctype: int, interlace: int) -> bytes:
    """Filtered scanlines; filter type cycles 0..4 by row so all filters are exercised."""
    if img.ndim == 2:
        img = img[:, :, None]
    h, w, c = img.shape
    bpp = max(1, depth * c // 8)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    out = bytearray()
    k = 0
    for (x0, y0, dx, dy) in passes:
        sub = img[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        prev = None
        for row in sub:
            raw = pack_row(row.reshape(-1), depth)
            if prev is None:
                prev = bytes(len(raw))
            out += filter_row(k % 5, raw, prev, bpp)
            prev = raw
            k += 1
    return bytes(out)


def make_png(img, depth, ctype, interlace=0, plte=None, trns=None, idat_split=2) -> bytes:
    h, w = img.shape[:2]
    data = zlib.compress(png_scanlines(img, depth, ctype, interlace), 9)
    chunks = [png_chunk(b"IHDR", ihdr(w, h, depth, ctype, interlace))]
    if plte is not None:
        chunks.append(png_chunk(b"PLTE", plte.astype(np.uint8).tobytes()))
    if trns is not None:
        chunks.append(png_chunk(b"tRNS", trns))
    # split IDAT into several chunks: decoders must concatenate them
    n = max(1, idat_split)
    step = -(-len(data) // n)
    for i in range(0, len(data), step):
        chunks.append(png_chunk(b"IDAT", data[i:i + step]))
    chunks.append(png_chunk(b"IEND", b""))
    return PNG_SIG + b"".join(chunks)


# --------------------------------------------------------------------------
# A tiny baseline JPEG encoder (used for YCCK, which Pillow cannot write)
# --------------------------------------------------------------------------

ZIGZAG = np.array([
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
    15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55,
    62, 63])
Q_LUM = np.array([16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
                  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
                  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99])
Q_CHR = np.array([17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
                  47, 66, 99, 99, 99, 99, 99, 99] + [99] * 32)
DC_LUM = ([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], list(range(12)))
DC_CHR = ([0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], list(range(12)))
AC_LUM = ([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d], bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a"
    "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9"
    "aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"))
AC_CHR = ([0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], bytes.fromhex(
    "000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738"
    "393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6"
    "a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa"))


def _huff_codes(bits, vals):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


def _scaled_q(base, quality):
    s = 5000 // quality if quality < 50 else 200 - 2 * quality
    return np.clip((base * s + 50) // 100, 1, 255)


class _Bits:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, code, length):
        self.acc = (self.acc << length) | (code & ((1 << length) - 1))
        self.n += length
        while self.n >= 8:
            byte = (self.acc >> (self.n - 8)) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)
            self.n -= 8
        self.acc &= (1 << self.n) - 1

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)


def _dct_matrix():
    c = np.zeros((8, 8))
    for k in range(8):
        for n in range(8):
            c[k, n] = (np.sqrt(1 / 8) if k == 0 else np.sqrt(2 / 8)) * np.cos(np.pi * (2 * n + 1) * k / 16)
    return c


def encode_baseline_jpeg(planes, quality=90, adobe_transform=None, sof_marker=0xC0, precision=8) -> bytes:
    """Baseline JPEG, all components 1x1 sampled, standard Huffman tables.

    planes: list of HxW uint8 arrays (already colour-transformed).  Component 0 and
    component 3 use the luma tables, components 1 and 2 the chroma tables.
    """
    h, w = planes[0].shape
    nc = len(planes)
    qt = [_scaled_q(Q_LUM, quality), _scaled_q(Q_CHR, quality)]
    tsel = [0, 1, 1, 0][:nc] if nc > 1 else [0]
    C = _dct_matrix()
    out = bytearray(b"\xff\xd8")
    if adobe_transform is not None:
        body = b"Adobe" + struct.pack(">HHHB", 100, 0, 0, adobe_transform)
        out += b"\xff\xee" + struct.pack(">H", len(body) + 2) + body
    for t in range(2 if nc > 1 else 1):
        out += b"\xff\xdb" + struct.pack(">HB", 67, t) + bytes(int(v) for v in qt[t][ZIGZAG])
    out += bytes([0xFF, sof_marker]) + struct.pack(">HBHHB", 8 + 3 * nc, precision, h, w, nc)
    for i in range(nc):
        out += bytes([i + 1, 0x11, tsel[i]])
    tables = [(0x00, DC_LUM), (0x10, AC_LUM), (0x01, DC_CHR), (0x11, AC_CHR)]
    for tc, (bits, vals) in tables[: 4 if nc > 1 else 2]:
        out += b"\xff\xc4" + struct.pack(">HB", 2 + 1 + 16 + len(vals), tc) + bytes(bits) + bytes(vals)
    out += b"\xff\xda" + struct.pack(">HB", 6 + 2 * nc, nc)
    for i in range(nc):
        out += bytes([i + 1, (tsel[i] << 4) | tsel[i]])
    out += b"\x00\x3f\x00"
    dc_codes = [_huff_codes(*DC_LUM), _huff_codes(*DC_CHR)]
    ac_codes = [_huff_codes(*AC_LUM), _huff_codes(*AC_CHR)]
    bw = _Bits()
    pred = [0] * nc
    ph, pw = -(-h // 8) * 8, -(-w // 8) * 8
    padded = [np.pad(p.astype(np.float64), ((0, ph - h), (0, pw - w)), mode="edge") for p in planes]

    def mag(v):
        n = int(abs(v)).bit_length()
        return n, (v if v >= 0 else v + (1 << n) - 1)

    for by in range(0, ph, 8):
        for bx in range(0, pw, 8):
            for ci in range(nc):
                blk = padded[ci][by:by + 8, bx:bx + 8] - 128
                coef = (C @ blk @ C.T).reshape(-1)[ZIGZAG]
                q = np.rint(coef / qt[tsel[ci]][ZIGZAG]).astype(int)
                t = tsel[ci]
                diff = q[0] - pred[ci]
                pred[ci] = q[0]
                n, bits = mag(diff)
                bw.put(*dc_codes[t][n])
                if n:
                    bw.put(bits, n)
                run = 0
                for k in range(1, 64):
                    v = q[k]
                    if v == 0:
                        run += 1
                        continue
                    while run > 15:
                        bw.put(*ac_codes[t][0xF0])
                        run -= 16
                    n, bits = mag(v)
                    bw.put(*ac_codes[t][(run << 4) | n])
                    bw.put(bits, n)
                    run = 0
                if run:
                    bw.put(*ac_codes[t][0x00])
    bw.flush()
    out += bw.out + b"\xff\xd9"
    return bytes(out)


# --------------------------------------------------------------------------
# 1. photographs
# --------------------------------------------------------------------------

PHOTOS = {
    "astronaut": ("skimage.data.astronaut()", "NASA (portrait of astronaut Eileen Collins, NASA Great Images database)", "Public domain (NASA)"),
    "chelsea": ("skimage.data.chelsea()", "Stéfan van der Walt", "CC0 1.0"),
    "coffee": ("skimage.data.coffee()", "Rachel Michetti", "CC0 1.0"),
    "camera": ("skimage.data.camera()", "scikit-image (replacement 'cameraman' photo by Lav Varshney)", "CC0 1.0"),
}


def make_images(out: Path):
    d = out / "images"
    d.mkdir(parents=True, exist_ok=True)
    for name in ("astronaut", "chelsea", "coffee"):
        rgb = getattr(skimage.data, name)()
        Image.fromarray(rgb, "RGB").save(d / f"{name}.png", optimize=True)
        Image.fromarray(rgb, "RGB").save(d / f"{name}.jpg", quality=90)
    Image.fromarray(skimage.data.camera(), "L").save(d / "camera.png", optimize=True)
    lines = ["# Photographs", "",
             f"Taken from scikit-image {skimage.__version__}'s bundled data (`skimage.data`), "
             "see <https://scikit-image.org/docs/stable/api/skimage.data.html>.", "",
             "PNG: lossless copy of the array.  JPEG: Pillow, quality 90, default 4:2:0 subsampling.", "",
             "| file | source | author | license |", "|---|---|---|---|"]
    for name, (src, author, lic) in PHOTOS.items():
        files = "camera.png" if name == "camera" else f"{name}.png, {name}.jpg"
        lines.append(f"| {files} | `{src}` | {author} | {lic} |")
    lines += ["", "camera.png is 8-bit grayscale; the others are 8-bit RGB."]
    (d / "LICENSES.md").write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# 2. PNG format matrix
# --------------------------------------------------------------------------

PW, PH = 37, 23


def palette(n: int, tag: str) -> np.ndarray:
    r = rng(tag)
    return r.integers(0, 256, size=(n, 3), dtype=np.uint8)


def make_png_matrix(out: Path):
    d = out / "formats" / "png"
    d.mkdir(parents=True, exist_ok=True)
    specs = []  # (name, img, depth, ctype, interlace, plte, trns, note)

    for depth in (1, 2, 4, 8, 16):
        img = test_image(PH, PW, 1, (1 << depth) - 1, f"gray{depth}")
        specs.append((f"gray{depth}", img, depth, 0, 0, None, None))
    for depth in (8, 16):
        m = (1 << depth) - 1
        specs.append((f"graya{depth}", test_image(PH, PW, 2, m, f"graya{depth}"), depth, 4, 0, None, None))
        specs.append((f"rgb{depth}", test_image(PH, PW, 3, m, f"rgb{depth}"), depth, 2, 0, None, None))
        specs.append((f"rgba{depth}", test_image(PH, PW, 4, m, f"rgba{depth}"), depth, 6, 0, None, None))
    for depth in (1, 2, 4, 8):
        n = (1 << depth) if depth < 8 else 200   # 8-bit: a palette shorter than 256 entries
        idx = test_image(PH, PW, 1, n - 1, f"pal{depth}")
        pl = palette(n, f"plte{depth}")
        specs.append((f"palette{depth}", idx, depth, 3, 0, pl, None))
        ntr = max(1, n // 2 + 1)  # tRNS shorter than PLTE: the rest are opaque
        tr = rng(f"trns{depth}").integers(0, 256, size=ntr, dtype=np.uint8)
        tr[0] = 0
        specs.append((f"palette{depth}_trns", idx, depth, 3, 0, pl, tr.tobytes()))
    # Adam7
    specs.append(("gray8_adam7", test_image(PH, PW, 1, 255, "gray8"), 8, 0, 1, None, None))
    specs.append(("rgb8_adam7", test_image(PH, PW, 3, 255, "rgb8"), 8, 2, 1, None, None))
    specs.append(("rgba16_adam7", test_image(PH, PW, 4, 65535, "rgba16"), 16, 6, 1, None, None))
    specs.append(("palette4_adam7", test_image(PH, PW, 1, 15, "pal4"), 4, 3, 1, palette(16, "plte4"), None))
    specs.append(("gray2_adam7", test_image(PH, PW, 1, 3, "gray2"), 2, 0, 1, None, None))
    # tRNS colour keys
    g = test_image(PH, PW, 1, 255, "gray8key")
    g[::3, ::4] = 100
    specs.append(("gray8_trns", g, 8, 0, 0, None, struct.pack(">H", 100)))
    g16 = test_image(PH, PW, 1, 65535, "gray16key")
    g16[::3, ::4] = 30000
    specs.append(("gray16_trns", g16, 16, 0, 0, None, struct.pack(">H", 30000)))
    c = test_image(PH, PW, 3, 255, "rgb8key")
    c[1::3, ::5] = (10, 200, 30)
    specs.append(("rgb8_trns", c, 8, 2, 0, None, struct.pack(">HHH", 10, 200, 30)))
    c16 = test_image(PH, PW, 3, 65535, "rgb16key")
    c16[1::3, ::5] = (1000, 50000, 300)
    specs.append(("rgb16_trns", c16, 16, 2, 0, None, struct.pack(">HHH", 1000, 50000, 300)))

    rows = []
    for name, img, depth, ctype, interlace, pl, tr in specs:
        p = d / f"{name}.png"
        write_bytes(p, make_png(img, depth, ctype, interlace, pl, tr))
        ref = cv_read(p)
        assert ref is not None, name
        save_npy(d / f"{name}.npy", ref)
        # Also the raw samples we encoded (spec truth, before any expansion)
        save_npy(d / f"{name}.samples.npy", img)
        if pl is not None:
            save_npy(d / f"{name}.plte.npy", pl)
        rows.append((name, depth, ctype, interlace, tr is not None, describe(img), describe(ref),
                     png_relation(img, depth, ctype, pl, tr, ref)))
    write_png_readme(d, rows)


def png_relation(img, depth, ctype, pl, tr, ref) -> str:
    """Describe how the OpenCV reference relates to the encoded samples (checked, not assumed)."""
    if ctype == 3:
        rgb = pl[img]
        if ref.shape[-1] == 3:
            assert np.array_equal(ref, rgb)
            return "palette expanded to RGB"
        alpha = np.full(len(pl), 255, np.uint8)
        t = np.frombuffer(tr, np.uint8)
        alpha[: len(t)] = t
        assert np.array_equal(ref, np.dstack([rgb, alpha[img]]))
        return "palette expanded to RGBA; alpha = tRNS[i], 255 past its end"
    if ctype == 0:
        if depth < 8:
            scale = 255 // ((1 << depth) - 1)
            assert np.array_equal(ref, img * scale), "low-depth gray"
            return f"samples x{scale} (bit replication) to 8-bit"
        if tr is not None:
            assert np.array_equal(ref, img)
            return "tRNS key ignored: 1 channel, samples unchanged"
        assert np.array_equal(ref, img)
        return "samples unchanged"
    if ctype == 2 and tr is not None:
        key = np.array(struct.unpack(">HHH", tr))
        alpha_max = 65535 if depth == 16 else 255
        alpha = np.where((img == key).all(-1), 0, alpha_max).astype(img.dtype)
        exp = np.dstack([img, alpha])
        assert np.array_equal(ref, exp), "rgb trns"
        return f"RGBA; alpha 0 where pixel == key else {alpha_max}"
    if ctype == 4:
        # gray+alpha: OpenCV gives 4 channels (gray replicated to RGB) + alpha
        exp = np.dstack([img[..., 0]] * 3 + [img[..., 1]])
        assert np.array_equal(ref, exp), "gray+alpha"
        return "gray replicated to R,G,B + alpha (4 channels)"
    assert np.array_equal(ref, img)
    return "samples unchanged"


def write_png_readme(d: Path, rows):
    ct = {0: "gray", 2: "RGB", 3: "palette", 4: "gray+alpha", 6: "RGBA"}
    lines = [
        "# PNG format matrix",
        "",
        f"Synthetic {PW}x{PH} images (gradients + seeded noise) written chunk by chunk by",
        "`Tools/make_fixtures.py` (zlib level 9, IDAT split into two chunks, the filter type",
        "cycles None/Sub/Up/Average/Paeth row by row so every filter is exercised).",
        "",
        "Per file `<name>.png`:",
        "",
        "- `<name>.npy`: the reference, `cv2.imread(path, cv2.IMREAD_UNCHANGED)` converted from",
        "  BGR(A) to RGB(A) channel order.",
        "- `<name>.samples.npy`: the samples as encoded (palette indices for palette images,",
        "  raw 1/2/4-bit values for low-depth gray) -- the spec truth before any expansion.",
        "- `<name>.plte.npy`: the palette (N x 3 uint8) for palette images.",
        "",
        f"OpenCV {cv2.__version__} (libpng as reported in ../../VERSIONS.txt). What IMREAD_UNCHANGED gives",
        "(each relation below is asserted by the generator, not assumed):",
        "",
        "- gray 1/2/4-bit: expanded to 8-bit by bit replication (x255, x85, x17), 1 channel.",
        "- gray 8/16: unchanged, 1 channel, uint8/uint16.",
        "- gray + tRNS colour key (8 and 16-bit): the key is IGNORED: 1 channel, no alpha.",
        "- gray+alpha 8/16: 4 channels, gray replicated into R,G,B, alpha kept; depth kept.",
        "- RGB 8/16: 3 channels, depth kept. RGBA 8/16: 4 channels, depth kept.",
        "- RGB + tRNS colour key: 4 channels, alpha = 0 where the pixel equals the key, else max",
        "  (255 or 65535); depth kept.",
        "- palette without tRNS: expanded to 3-channel RGB uint8 (any bit depth).",
        "- palette with tRNS: expanded to 4-channel RGBA uint8; alpha = tRNS[index], 255 for",
        "  indices past the end of tRNS (tRNS here is shorter than PLTE on purpose).",
        "- Adam7 interlaced files decode to the same arrays as their non-interlaced twins.",
        "- 16-bit samples come back native uint16 (PNG stores them big-endian).",
        "",
        "| file | bit depth | colour type | interlace | tRNS | samples | reference | relation |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, depth, ctype, inter, has_t, s, r, rel in rows:
        lines.append(f"| {name}.png | {depth} | {ctype} ({ct[ctype]}) | {'Adam7' if inter else 'none'} | "
                     f"{'yes' if has_t else 'no'} | {s} | {r} | {rel} |")
    (d / "README.md").write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# 3. JPEG variants
# --------------------------------------------------------------------------

def jpeg_markers(data: bytes):
    """List (marker, offset, payload) up to SOS."""
    out, pos = [], 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            break
        m = data[pos + 1]
        n = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        out.append((m, pos, data[pos + 4:pos + 2 + n]))
        if m == 0xDA:
            break
        pos += 2 + n
    return out


def sof_info(data: bytes) -> str:
    for m, _, p in jpeg_markers(data):
        if m in (0xC0, 0xC1, 0xC2):
            nc = p[5]
            samp = ",".join(f"{p[6 + 3 * i + 1] >> 4}x{p[6 + 3 * i + 1] & 15}" for i in range(nc))
            return f"SOF{m - 0xC0} {nc} comp, sampling {samp}"
    return "?"


def adobe_transform(data: bytes):
    for m, _, p in jpeg_markers(data):
        if m == 0xEE and p[:5] == b"Adobe":
            return p[11]
    return None


def pil_ref(path: Path) -> np.ndarray:
    im = Image.open(path)
    return np.asarray(im.convert("L" if im.mode == "L" else "RGB"))


def make_jpeg_matrix(out: Path):
    d = out / "formats" / "jpeg"
    d.mkdir(parents=True, exist_ok=True)
    W, H = 48, 32
    rgb = test_image(H, W, 3, 255, "jpeg_rgb")
    gray = test_image(H, W, 1, 255, "jpeg_gray")
    rows = []
    manifest = {"pillow": PIL.__version__, "files": {}}

    def add(name, data, note):
        p = d / f"{name}.jpg"
        write_bytes(p, data)
        ref = pil_ref(p)
        save_npy(d / f"{name}.npy", ref)
        im = Image.open(p)
        entry = {"mode": im.mode, "size": [im.width, im.height], "sof": sof_info(data),
                 "adobe_transform": adobe_transform(data), "progressive": bool(im.info.get("progressive")),
                 "reference": describe(ref), "note": note}
        manifest["files"][f"{name}.jpg"] = entry
        rows.append((name, entry))
        return p

    def pil_jpeg(img_arr, mode, **kw) -> bytes:
        b = io.BytesIO()
        Image.fromarray(img_arr, mode).save(b, "JPEG", **kw)
        return b.getvalue()

    add("gray_baseline", pil_jpeg(gray, "L", quality=90), "grayscale, 1 component")
    add("ycc444", pil_jpeg(rgb, "RGB", quality=90, subsampling=0), "YCbCr 4:4:4")
    add("ycc422", pil_jpeg(rgb, "RGB", quality=90, subsampling=1), "YCbCr 4:2:2")
    add("ycc420", pil_jpeg(rgb, "RGB", quality=90, subsampling=2), "YCbCr 4:2:0")
    add("ycc420_progressive", pil_jpeg(rgb, "RGB", quality=90, subsampling=2, progressive=True),
        "progressive YCbCr 4:2:0")
    # odd size (not a multiple of the MCU) to exercise edge handling
    odd = test_image(H - 3, W - 5, 3, 255, "jpeg_odd")
    add("ycc420_odd_size", pil_jpeg(odd, "RGB", quality=90, subsampling=2), "4:2:0, 43x29 (partial MCUs)")

    # CMYK via Pillow
    cmyk = test_image(H, W, 4, 255, "jpeg_cmyk")
    p = add("cmyk_adobe", pil_jpeg(cmyk, "CMYK", quality=90), "CMYK written by Pillow")
    save_npy(d / "cmyk_adobe.cmyk.npy", np.asarray(Image.open(p)))
    save_npy(d / "cmyk_adobe.cv2.npy", cv_read(p, cv2.IMREAD_COLOR))
    cmyk_from_pil = np.asarray(Image.open(p))
    # YCCK via the baseline encoder: stored samples are Adobe-inverted CMYK (255 - ink)
    stored = 255 - cmyk.astype(np.float64)         # what a Photoshop CMYK file holds
    R, G, B = 255 - stored[..., 0], 255 - stored[..., 1], 255 - stored[..., 2]
    Y = 0.299 * R + 0.587 * G + 0.114 * B
    Cb = -0.168735892 * R - 0.331264108 * G + 0.5 * B + 128
    Cr = 0.5 * R - 0.418687589 * G - 0.081312411 * B + 128
    planes = [np.clip(np.rint(v), 0, 255).astype(np.uint8) for v in (Y, Cb, Cr, stored[..., 3])]
    p = add("ycck_adobe", encode_baseline_jpeg(planes, quality=95, adobe_transform=2),
            "YCCK (Adobe transform 2) from the tiny encoder in make_fixtures.py")
    save_npy(d / "ycck_adobe.cmyk.npy", np.asarray(Image.open(p)))
    save_npy(d / "ycck_adobe.cv2.npy", cv_read(p, cv2.IMREAD_COLOR))
    # Same encoder, plain YCbCr 4:4:4 with JFIF-less Adobe transform 1 (sanity for the encoder)
    Yr = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    Cbr = -0.168735892 * rgb[..., 0] - 0.331264108 * rgb[..., 1] + 0.5 * rgb[..., 2] + 128
    Crr = 0.5 * rgb[..., 0] - 0.418687589 * rgb[..., 1] - 0.081312411 * rgb[..., 2] + 128
    planes = [np.clip(np.rint(v), 0, 255).astype(np.uint8) for v in (Yr, Cbr, Crr)]
    add("ycc444_adobe1_handmade", encode_baseline_jpeg(planes, quality=95, adobe_transform=1),
        "YCbCr 4:4:4 with Adobe marker transform 1, no JFIF (tiny encoder)")

    # EXIF orientation 1..8: 24x16, a red top-left corner, green top-right, blue bottom-left
    base = np.full((16, 24, 3), 200, np.uint8)
    base[:6, :8] = (255, 0, 0)
    base[:4, -6:] = (0, 160, 0)
    base[-5:, :4] = (0, 0, 255)
    base[8:10, 10:20] = (20, 20, 20)
    manifest["orientation"] = {}
    for o in range(1, 9):
        ex = Image.Exif()
        ex[0x0112] = o
        name = f"orientation_{o}"
        pth = add(name, pil_jpeg(base, "RGB", quality=95, subsampling=0, exif=ex.tobytes()),
                  f"EXIF Orientation {o}; reference NOT transposed")
        manifest["orientation"][f"{name}.jpg"] = o
        im = Image.open(pth)
        assert im.getexif().get(0x0112) == o
        save_npy(d / f"{name}.oriented.npy", np.asarray(ImageOps.exif_transpose(im).convert("RGB")))
        if o == 1:
            save_npy(d / "orientation_source.npy", base)
    (d / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    write_jpeg_readme(d, rows, cmyk_from_pil, cmyk)


def write_jpeg_readme(d: Path, rows, cmyk_from_pil, cmyk_src):
    cm = Image.open(d / "cmyk_adobe.jpg")
    raw_t = adobe_transform((d / "cmyk_adobe.jpg").read_bytes())
    lines = [
        "# JPEG variants",
        "",
        f"Written with Pillow {PIL.__version__} (libjpeg-turbo {features.version('libjpeg_turbo')}), except the",
        "`*_handmade` / `ycck_adobe` files, produced by the tiny baseline encoder in",
        "`Tools/make_fixtures.py` (standard Annex K tables, 1x1 sampling, Adobe APP14 marker).",
        "",
        "References `<name>.npy` = `np.asarray(Image.open(p).convert('RGB'))` (or `'L'` for gray)",
        "with Pillow's decoder: libjpeg-turbo's default `JDCT_ISLOW` integer IDCT and its default",
        "'fancy' (triangular) chroma upsampling (`do_fancy_upsampling = TRUE`).  Decoders matching",
        "them bit-exactly must use the same settings; tolerance elsewhere: max abs diff <= 1-2.",
        "Checked when these fixtures were made: Debian's libjpeg62-turbo 2.1.5 with library defaults",
        "(out_color_space JCS_RGB / JCS_GRAYSCALE / JCS_CMYK, default dct_method and upsampling)",
        "reproduces every `.npy` here bit-exactly (CMYK after the 255 - v inversion).",
        "The references are NOT rotated for EXIF orientation.",
        "",
        "CMYK/YCCK:",
        "",
        f"- Pillow writes CMYK JPEGs with an Adobe APP14 marker, transform flag = {raw_t} (no colour",
        "  transform), and stores the samples INVERTED (255 - ink), the way Photoshop does.  Pillow",
        "  reads 4-component Adobe JPEGs back inverting again ('CMYK;I'), so the ink values round-trip",
        f"  up to JPEG loss (max abs diff {np.abs(cmyk_from_pil.astype(int) - cmyk_src).max()} here).",
        "  A decoder that outputs libjpeg's raw CMYK must therefore invert (255 - v) when an Adobe",
        "  marker is present to get Pillow's ink values.",
        "- `ycck_adobe.jpg` has Adobe transform flag 2 (YCCK).  Its YCC planes were computed from the",
        "  *stored* (inverted) CMYK as libjpeg's cmyk->ycck does (R = 255 - stored C, ...), K = stored K.",
        "  libjpeg converts YCCK back to (inverted) CMYK; Pillow then inverts to ink.",
        "- `<name>.cmyk.npy`: Pillow's CMYK ink values (`np.asarray(Image.open(p))`, mode CMYK).",
        "- `<name>.npy`: Pillow's CMYK->RGB conversion of those: with k' = 255 - K,",
        "  R = k' - C*k'/255 (rounded: MULDIV255), likewise G from M, B from Y.",
        "- `<name>.cv2.npy`: for information, OpenCV's `IMREAD_COLOR` of the same file (RGB order).",
        "",
        "EXIF orientation: `orientation_<o>.jpg` (24x16, 4:4:4, q95) carry tag 0x0112 = o in an",
        "APP1 Exif block (see manifest.json `orientation`).  `.npy` is the stored (not rotated)",
        "image; `.oriented.npy` is `ImageOps.exif_transpose` (what a viewer shows). Note that",
        "`cv2.imread(..., IMREAD_COLOR)` applies the orientation by default; IMREAD_UNCHANGED does not.",
        "`orientation_source.npy` is the original image before JPEG.",
        "",
        "Not produced: arithmetic-coded and 12-bit JPEGs (neither Pillow nor the tiny encoder writes",
        "them); see ../../bad/ for a 12-bit SOF header.",
        "",
        "| file | mode | size | SOF | Adobe transform | note |",
        "|---|---|---|---|---|---|",
    ]
    for name, e in rows:
        lines.append(f"| {name}.jpg | {e['mode']} | {e['size'][0]}x{e['size'][1]} | {e['sof']} | "
                     f"{e['adobe_transform']} | {e['note']} |")
    (d / "README.md").write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# 4. PNM
# --------------------------------------------------------------------------

def pnm_header(magic: str, w: int, h: int, maxval: int | None, comment: str) -> bytes:
    s = f"{magic}\n# {comment}\n{w} {h}\n"
    if maxval is not None:
        s += f"# maxval follows\n{maxval}\n"
    return s.encode()


def pnm_ascii_body(vals: np.ndarray, per_line: int = 12) -> bytes:
    flat = vals.reshape(-1)
    lines = [" ".join(str(int(v)) for v in flat[i:i + per_line]) for i in range(0, len(flat), per_line)]
    return ("\n".join(lines) + "\n").encode()


def make_pnm(out: Path):
    d = out / "formats" / "pnm"
    d.mkdir(parents=True, exist_ok=True)
    W, H = 13, 7
    rows = []
    files = []
    bits = (test_image(H, W, 1, 255, "pbm") > 127).astype(np.uint8)   # 1 = black
    files.append(("p1_bits", pnm_header("P1", W, H, None, "P1 ascii bitmap, 1 = black") +
                  pnm_ascii_body(bits, 13), bits, 1))
    packed = b"".join(np.packbits(r).tobytes() for r in bits)
    files.append(("p4_bits", pnm_header("P4", W, H, None, "P4 packed bitmap, rows padded to a byte") + packed,
                  bits, 1))
    for maxval in (255, 65535, 1000, 100):
        g = test_image(H, W, 1, maxval, f"pgm{maxval}")
        c = test_image(H, W, 3, maxval, f"ppm{maxval}")
        dt = ">u2" if maxval > 255 else "u1"
        files.append((f"p2_max{maxval}", pnm_header("P2", W, H, maxval, f"P2 ascii gray maxval {maxval}") +
                      pnm_ascii_body(g), g, maxval))
        files.append((f"p5_max{maxval}", pnm_header("P5", W, H, maxval, f"P5 binary gray maxval {maxval}") +
                      g.astype(dt).tobytes(), g, maxval))
        files.append((f"p3_max{maxval}", pnm_header("P3", W, H, maxval, f"P3 ascii rgb maxval {maxval}") +
                      pnm_ascii_body(c), c, maxval))
        files.append((f"p6_max{maxval}", pnm_header("P6", W, H, maxval, f"P6 binary rgb maxval {maxval}") +
                      c.astype(dt).tobytes(), c, maxval))
    # header oddities: comments between tokens, tabs, CR, comment right after magic
    g = test_image(H, W, 1, 255, "pgm255")
    weird = f"P5 # comment after magic\n{W}\t# width\n  {H}\r\n# maxval\n255\n".encode() + g.tobytes()
    files.append(("p5_weird_header", weird, g, 255))

    ext = {"P1": "pbm", "P4": "pbm", "P2": "pgm", "P5": "pgm", "P3": "ppm", "P6": "ppm"}
    for name, data, samples, maxval in files:
        e = ext[data[:2].decode()]
        p = d / f"{name}.{e}"
        write_bytes(p, data)
        ref = cv_read(p)
        save_npy(d / f"{name}.samples.npy", samples)
        if ref is None:
            # Netpbm spec reference: raw samples (P1/P4: 1 = black)
            save_npy(d / f"{name}.npy", samples)
            rel = "cv2 cannot read: reference = Netpbm spec samples"
        else:
            save_npy(d / f"{name}.npy", ref)
            rel = pnm_relation(samples, maxval, ref, name)
        rows.append((p.name, describe(samples), describe(ref), rel))
    lines = [
        "# PNM (Netpbm) matrix",
        "",
        f"{W}x{H} images, headers with comments.  `<name>.samples.npy` holds the samples as written",
        "(P1/P4: 1 = black).  `<name>.npy` is `cv2.imread(path, cv2.IMREAD_UNCHANGED)` in RGB order",
        f"(OpenCV {cv2.__version__}).  The relation column is asserted by the generator.",
        "",
        "OpenCV conventions found:",
        "",
        "- P1/P4 (bitmaps): 8-bit, 1 channel, 1 (black) -> 0, 0 (white) -> 255.",
        "- Output depth is chosen by maxval: maxval <= 255 -> uint8, maxval 256..65535 -> uint16.",
        "- maxval > 255 (e.g. 1000, 65535), ASCII or binary: the RAW sample values, no rescaling.",
        "- maxval < 255, BINARY (P5/P6, e.g. maxval 100): the RAW bytes, no rescaling.",
        "- maxval < 255, ASCII (P2/P3, e.g. maxval 100): RESCALED with a LUT",
        "  `v * 255 / maxval` in integer arithmetic (floor), so 50 -> 127, 100 -> 255.",
        "  (OpenCV's grfmt_pxm.cpp applies its gray_palette LUT only on the ASCII path; the",
        "  binary path copies bytes.  This asymmetry is OpenCV's, recorded here as found.)",
        "- ASCII samples greater than maxval are clamped to maxval (not an error in OpenCV);",
        "  P1 tokens are read one digit at a time and any non-zero digit counts as 1.",
        "- maxval > 65535 and maxval 0 are rejected by OpenCV; width/height must be > 0.",
        "- P3/P6 come back as 3 channels (RGB here after the BGR swap).",
        "",
        "| file | samples | reference | relation |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lines.append("| " + " | ".join(r) + " |")
    (d / "README.md").write_text("\n".join(lines) + "\n")


def pnm_relation(samples, maxval, ref, name) -> str:
    if maxval == 1:
        exp = np.where(samples == 1, 0, 255).astype(np.uint8)
        assert np.array_equal(ref, exp), name
        return "1 -> 0, 0 -> 255, uint8"
    dt = np.uint8 if maxval < 256 else np.uint16
    if ref.dtype == dt and np.array_equal(ref, samples.astype(dt)):
        return f"raw values kept, {np.dtype(dt).name} (no maxval scaling)"
    full = 255 if ref.dtype == np.uint8 else 65535
    floor = (samples.astype(np.int64) * full // maxval).astype(ref.dtype)
    if np.array_equal(ref, floor):
        return f"scaled to 0..{full} with floor(v*{full}/{maxval}), {ref.dtype.name}"
    rounded = np.rint(samples.astype(np.float64) * full / maxval).astype(ref.dtype)
    if np.array_equal(ref, rounded):
        return f"scaled to 0..{full} with round(v*{full}/{maxval}), {ref.dtype.name}"
    raise AssertionError(f"{name}: unexplained OpenCV PNM result {describe(ref)}")


# --------------------------------------------------------------------------
# 5. gray conversion
# --------------------------------------------------------------------------

def make_gray(out: Path):
    d = out / "gray"
    d.mkdir(parents=True, exist_ok=True)
    for name in ("astronaut", "chelsea", "coffee"):
        rgb = getattr(skimage.data, name)()
        save_npy(d / f"{name}.gray.npy", cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    r = rng("gray_inputs")
    inputs = {
        "random_u8": r.integers(0, 256, size=(48, 64, 3), dtype=np.uint8),
        "random_u16": r.integers(0, 65536, size=(48, 64, 3), dtype=np.uint16),
        "random_f32": r.random(size=(48, 64, 3), dtype=np.float32),
    }
    for name, a in inputs.items():
        save_npy(d / f"{name}.npy", a)
        save_npy(d / f"{name}.gray.npy", cv2.cvtColor(a, cv2.COLOR_RGB2GRAY))
    (d / "README.md").write_text(
        "# RGB -> gray references\n\n"
        f"`<name>.gray.npy` = `cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)` (OpenCV {cv2.__version__}).\n"
        "Inputs: astronaut/chelsea/coffee are `skimage.data.<name>()` (identical to\n"
        "`../images/<name>.png`); `random_*.npy` are the seeded random inputs (64x48 RGB).\n"
        "OpenCV: uint8/uint16 use fixed-point weights 0.299/0.587/0.114 (R,G,B) with rounding;\n"
        "float32 is computed in float.\n")


# --------------------------------------------------------------------------
# 6. NPY
# --------------------------------------------------------------------------

def make_npy(out: Path):
    d = out / "npy"
    d.mkdir(parents=True, exist_ok=True)
    r = rng("npy")
    arrays = {
        "u8_hw": r.integers(0, 256, (5, 7), dtype=np.uint8),
        "u8_hwc": r.integers(0, 256, (4, 6, 3), dtype=np.uint8),
        "u16_hw": r.integers(0, 65536, (5, 7), dtype=np.uint16),
        "u16_hwc_be": r.integers(0, 65536, (4, 6, 3), dtype=np.uint16).astype(">u2"),
        "i16_hw": r.integers(-32768, 32768, (5, 7), dtype=np.int16),
        "f32_hw": r.standard_normal((5, 7)).astype(np.float32),
        "f32_hwc": r.standard_normal((4, 6, 4)).astype(np.float32),
        "f64_hw": r.standard_normal((5, 7)),
        "f64_hw_be": r.standard_normal((5, 7)).astype(">f8"),
        "f64_hw_fortran": np.asfortranarray(r.standard_normal((5, 7))),
        "c64_hw": (r.standard_normal((5, 7)) + 1j * r.standard_normal((5, 7))).astype(np.complex64),
        "c128_hwc": r.standard_normal((3, 4, 2)) + 1j * r.standard_normal((3, 4, 2)),
        "f32_hw_v2": r.standard_normal((6, 5)).astype(np.float32),
    }
    manifest = {}
    for name, a in arrays.items():
        p = d / f"{name}.npy"
        if name.endswith("_v2"):
            with open(p, "wb") as f:
                np.lib.format.write_array(f, a, version=(2, 0), allow_pickle=False)
            version = [2, 0]
        else:
            with open(p, "wb") as f:
                np.lib.format.write_array(f, a, version=(1, 0), allow_pickle=False)
            version = [1, 0]
        raw = p.read_bytes()
        assert raw[6] == version[0]
        first = a.reshape(-1, order="C")[:4]
        if np.iscomplexobj(a):
            first_v = [[float(v.real), float(v.imag)] for v in first]
        elif a.dtype.kind == "f":
            first_v = [float(v) for v in first]
        else:
            first_v = [int(v) for v in first]
        manifest[f"{name}.npy"] = {
            "descr": np.lib.format.dtype_to_descr(a.dtype), "shape": list(a.shape),
            "fortran_order": bool(a.flags.f_contiguous and not a.flags.c_contiguous),
            "version": version, "first_values_c_order": first_v,
            "sum": ([float(a.sum().real), float(a.sum().imag)] if np.iscomplexobj(a) else float(a.sum())),
        }
        np.testing.assert_array_equal(np.load(p), a)
    (d / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    (d / "README.md").write_text(
        "# NPY files\n\nWritten with `np.lib.format.write_array` (numpy "
        f"{np.__version__}); header version 1.0 except `*_v2.npy` (2.0, 4-byte header length).\n"
        "`*_be.npy` are big-endian (`>`), `*_fortran.npy` has `fortran_order: True` (data in\n"
        "column-major order).  `manifest.json` gives descr, shape, fortran_order, header version,\n"
        "the first 4 values in C (row-major) order (complex as [re, im]) and the sum.\n")


# --------------------------------------------------------------------------
# 7. IDX
# --------------------------------------------------------------------------

FASHION = Path("/usr/share/datasets/fashion-mnist")


def idx_bytes(a: np.ndarray) -> bytes:
    code = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(">i2"): 0x0B,
            np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}[a.dtype]
    return struct.pack(">BBBB", 0, 0, code, a.ndim) + struct.pack(f">{a.ndim}I", *a.shape) + a.tobytes()


def read_idx(data: bytes) -> np.ndarray:
    """Strict IDX reader (the spec), used for verification."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError("idx: bad magic")
    dt = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}.get(data[2])
    if dt is None:
        raise ValueError("idx: bad type code")
    nd = data[3]
    if len(data) < 4 + 4 * nd:
        raise ValueError("idx: truncated header")
    dims = struct.unpack(f">{nd}I", data[4:4 + 4 * nd])
    n = int(np.prod(dims, dtype=np.float64)) * np.dtype(dt).itemsize
    body = data[4 + 4 * nd:]
    if len(body) != n:
        raise ValueError(f"idx: expected {n} data bytes, found {len(body)}")
    return np.frombuffer(body, dt).reshape(dims)


def make_idx(out: Path):
    d = out / "idx"
    d.mkdir(parents=True, exist_ok=True)
    src = "synthetic"
    imgs_f = FASHION / "t10k-images-idx3-ubyte.gz"
    labs_f = FASHION / "t10k-labels-idx1-ubyte.gz"
    if imgs_f.exists() and labs_f.exists():
        with gzip.open(imgs_f) as f:
            magic, n, rr, cc = struct.unpack(">IIII", f.read(16))
            assert magic == 0x803 and (rr, cc) == (28, 28) and n >= 10
            images = np.frombuffer(f.read(10 * 28 * 28), np.uint8).reshape(10, 28, 28)
        with gzip.open(labs_f) as f:
            assert struct.unpack(">II", f.read(8))[0] == 0x801
            labels = np.frombuffer(f.read(10), np.uint8)
        src = f"first 10 items of {imgs_f} / {labs_f.name} (Fashion-MNIST test set, MIT license)"
    else:
        r = rng("idx")
        images = r.integers(0, 256, (10, 28, 28), dtype=np.uint8)
        labels = r.integers(0, 10, 10, dtype=np.uint8)
    ib, lb = idx_bytes(images), idx_bytes(labels)
    write_bytes(d / "images-idx3-ubyte", ib)
    write_bytes(d / "labels-idx1-ubyte", lb)
    write_bytes(d / "images-idx3-ubyte.gz", gzip_bytes(ib))
    write_bytes(d / "labels-idx1-ubyte.gz", gzip_bytes(lb))
    save_npy(d / "images.npy", images)
    save_npy(d / "labels.npy", labels)
    # a float IDX (type 0x0D) for dtype coverage
    f32 = rng("idx_f32").standard_normal((3, 4)).astype(">f4")
    write_bytes(d / "floats-idx2-f32", idx_bytes(f32))
    save_npy(d / "floats.npy", f32.astype(np.float32))
    for p in ("images-idx3-ubyte", "labels-idx1-ubyte"):
        assert np.array_equal(read_idx((d / p).read_bytes()), images if p.startswith("images") else labels)
    (d / "README.md").write_text(
        "# IDX (MNIST format)\n\n"
        f"Source: {src}.\n\n"
        "- `images-idx3-ubyte` (magic 0x00000803: uint8, 3 dims 10x28x28) and `labels-idx1-ubyte`\n"
        "  (0x00000801, 10 labels), uncompressed and gzip-compressed (`.gz`, as Debian's\n"
        "  `dataset-fashion-mnist` ships them; gzip mtime 0, no file name).\n"
        "- `floats-idx2-f32`: type code 0x0D (big-endian float32), 3x4.\n"
        "- References: `images.npy`, `labels.npy`, `floats.npy` (native little-endian).\n"
        "Debian's files: /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz\n")


# --------------------------------------------------------------------------
# 8. bad corpus
# --------------------------------------------------------------------------

def good_png() -> bytes:
    return make_png(test_image(PH, PW, 3, 255, "rgb8"), 8, 2)


def good_jpeg(progressive=False) -> bytes:
    b = io.BytesIO()
    Image.fromarray(test_image(32, 48, 3, 255, "jpeg_rgb"), "RGB").save(b, "JPEG", quality=90,
                                                                       progressive=progressive)
    return b.getvalue()


def patch(data: bytes, offset: int, new: bytes) -> bytes:
    return data[:offset] + new + data[offset + len(new):]


def png_chunks(data: bytes):
    pos, out = 8, []
    while pos + 8 <= len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        out.append((data[pos + 4:pos + 8], pos, n))
        pos += 12 + n
    return out


def make_bad(out: Path):
    d = out / "bad"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    entries = []  # (file, kind, must_contain, description)

    def bad(name, data, kind, must, desc):
        write_bytes(d / name, data)
        entries.append((name, kind, must, desc))

    r = rng("bad")
    # --- generic
    bad("empty.png", b"", "decoding", "", "zero-length file with a .png name")
    bad("empty.jpg", b"", "decoding", "", "zero-length file with a .jpg name")
    bad("random_bytes.png", r.integers(0, 256, 512, dtype=np.uint8).tobytes(), "decoding", "",
        "512 random bytes named .png (wrong magic)")
    bad("text_file.jpg", b"This is not an image, just some text.\n" * 4, "decoding", "",
        "ASCII text named .jpg (wrong magic)")

    # --- PNG
    png = good_png()
    ch = {c[0]: c for c in png_chunks(png)}
    idat = [c for c in png_chunks(png) if c[0] == b"IDAT"]
    _, ihdr_pos, _ = ch[b"IHDR"]
    bad("png_sig_only.png", png[:8], "decoding", "truncated", "PNG truncated right after the signature")
    bad("png_trunc_ihdr.png", png[:8 + 8 + 6], "decoding", "truncated", "PNG truncated in the middle of IHDR")
    mid = idat[0][1] + 8 + idat[0][2] // 2
    bad("png_trunc_idat.png", png[:mid], "decoding", "truncated", "PNG truncated in the middle of the first IDAT")
    iend_pos = ch[b"IEND"][1]
    bad("png_no_iend.png", png[:iend_pos], "decoding", "truncated",
        "PNG with complete IDAT data but no IEND chunk (file ends after last IDAT)")
    bad("png_bad_signature.png", patch(png, 1, b"Q"), "decoding", "",
        "PNG signature with one byte changed ('\\x89QNG...')")
    bad("png_bad_ihdr_crc.png", patch(png, ihdr_pos + 8 + 13, b"\0\0\0\0"), "decoding", "crc",
        "IHDR CRC zeroed")
    p0 = idat[0][1]
    crc_pos = p0 + 8 + idat[0][2]
    bad("png_bad_idat_crc.png", patch(png, crc_pos, bytes([png[crc_pos] ^ 0xFF])), "decoding", "crc",
        "first IDAT CRC with one byte flipped (data intact)")
    # corrupt zlib: replace the deflate data of first IDAT with garbage, fix CRC
    raw = png_scanlines(test_image(PH, PW, 3, 255, "rgb8"), 8, 2, 0)
    z = bytearray(zlib.compress(raw, 9))
    for i in range(2, len(z) - 4, 7):
        z[i] ^= 0x5A
    body = png[:8] + png_chunk(b"IHDR", ihdr(PW, PH, 8, 2)) + png_chunk(b"IDAT", bytes(z)) + png_chunk(b"IEND", b"")
    bad("png_corrupt_zlib.png", body, "decoding", "", "IDAT (valid CRC) holds a corrupted deflate stream")
    body = png[:8] + png_chunk(b"IHDR", ihdr(PW, PH, 8, 2)) + png_chunk(b"IDAT", b"\x78\x9c" + b"\x00" * 20) \
        + png_chunk(b"IEND", b"")
    bad("png_bad_zlib_header.png", patch(body, 8 + 25 + 8, b"\x78\x00"), "decoding", "",
        "IDAT starts with an invalid zlib header (FCHECK wrong)")
    few = zlib.compress(raw[: len(raw) // 3], 9)
    body = png[:8] + png_chunk(b"IHDR", ihdr(PW, PH, 8, 2)) + png_chunk(b"IDAT", few) + png_chunk(b"IEND", b"")
    bad("png_short_image_data.png", body, "decoding", "",
        "complete, valid zlib stream that holds only 1/3 of the scanlines (libpng: 'Not enough image data')")
    tiny = zlib.compress(b"\x00" * 64)
    body = PNG_SIG + png_chunk(b"IHDR", ihdr(100000, 100000, 8, 2)) + png_chunk(b"IDAT", tiny) + \
        png_chunk(b"IEND", b"")
    bad("png_huge_dims.png", body, "limitExceeded", "", "IHDR 100000x100000 RGB8 (30 GB) with a tiny IDAT")
    body = PNG_SIG + png_chunk(b"IHDR", ihdr(0, PH, 8, 2)) + png_chunk(b"IDAT", tiny) + png_chunk(b"IEND", b"")
    bad("png_width0.png", body, "decoding", "", "IHDR width 0")
    body = PNG_SIG + png_chunk(b"IHDR", ihdr(2**31 + 5, 4, 8, 0)) + png_chunk(b"IDAT", tiny) + \
        png_chunk(b"IEND", b"")
    bad("png_width_2pow31.png", body, "decoding", "", "IHDR width 2^31+5 (> PNG maximum 2^31-1)")
    body = PNG_SIG + png_chunk(b"IHDR", ihdr(PW, PH, 4, 2)) + png_chunk(b"IDAT", tiny) + png_chunk(b"IEND", b"")
    bad("png_bad_depth_colortype.png", body, "decoding", "", "IHDR RGB (colour type 2) with bit depth 4 (invalid)")
    body = PNG_SIG + png_chunk(b"IHDR", ihdr(PW, PH, 8, 5)) + png_chunk(b"IDAT", tiny) + png_chunk(b"IEND", b"")
    bad("png_bad_colortype.png", body, "decoding", "", "IHDR colour type 5 (does not exist)")
    idx = test_image(PH, PW, 1, 15, "pal4")
    good_pal = make_png(idx, 4, 3, 0, palette(16, "plte4"), None)
    no_plte = b"".join([good_pal[:8]] + [good_pal[p:p + 12 + n] for t, p, n in png_chunks(good_pal) if t != b"PLTE"])
    bad("png_palette_no_plte.png", no_plte, "decoding", "", "palette (colour type 3) image without a PLTE chunk")
    small_pal = make_png(idx, 4, 3, 0, palette(4, "plte_small"), None)
    bad("png_palette_index_oob.png", small_pal, "decoding", "",
        "4-bit palette image whose indices reach 15 but PLTE has only 4 entries "
        "(libpng 1.6 fills out-of-range entries with black and warns; ClassicCV must reject)")
    bad("png_idat_before_ihdr.png", PNG_SIG + png_chunk(b"IDAT", tiny) + png_chunk(b"IHDR", ihdr(PW, PH, 8, 0)) +
        png_chunk(b"IEND", b""), "decoding", "", "IDAT chunk before IHDR")
    bad("png_interlace2.png", PNG_SIG + png_chunk(b"IHDR", ihdr(PW, PH, 8, 0, 2)) + png_chunk(b"IDAT", tiny) +
        png_chunk(b"IEND", b""), "decoding", "", "IHDR interlace method 2 (invalid)")

    # --- JPEG
    jpg = good_jpeg()
    marks = jpeg_markers(jpg)
    mpos = {m: p for m, p, _ in marks}
    sos_pos = mpos[0xDA]
    bad("jpeg_soi_only.jpg", jpg[:2], "decoding", "", "JPEG truncated right after SOI")
    bad("jpeg_trunc_header.jpg", jpg[: mpos[0xDB] + 30], "decoding", "", "JPEG truncated inside the DQT segment")
    scan_start = sos_pos + 2 + struct.unpack(">H", jpg[sos_pos + 2:sos_pos + 4])[0]
    cut = scan_start + (len(jpg) - scan_start) // 2
    bad("jpeg_trunc_scan.jpg", jpg[:cut], "decoding", "truncated",
        "baseline JPEG truncated in the middle of the entropy-coded scan; libjpeg-turbo only warns "
        "(JWRN_JPEG_EOF, pads with zeros) -- ClassicCV treats it as an error")
    pj = good_jpeg(progressive=True)
    bad("jpeg_progressive_trunc.jpg", pj[: len(pj) * 2 // 3], "decoding", "truncated",
        "progressive JPEG truncated after 2/3 of its bytes (missing later scans)")
    # bad DHT: counts sum to more than 256 values
    dht = mpos[0xC4]
    bad("jpeg_bad_dht.jpg", patch(jpg, dht + 5, bytes([0xFF] * 16)), "decoding", "",
        "first DHT's 16 code-length counts all set to 255 (sum > 256: bogus Huffman table)")
    sof = mpos[0xC0]
    bad("jpeg_huge_sof.jpg", patch(jpg, sof + 5, struct.pack(">HH", 65500, 65500)), "limitExceeded", "",
        "SOF0 claims 65500x65500 (libjpeg's maximum), tiny scan")
    bad("jpeg_width0.jpg", patch(jpg, sof + 7, b"\0\0"), "decoding", "", "SOF0 width 0")
    bad("jpeg_height0.jpg", patch(jpg, sof + 5, b"\0\0"), "decoding", "",
        "SOF0 height 0 (DNL marker, unsupported by libjpeg)")
    bad("jpeg_no_sos.jpg", jpg[:sos_pos] + b"\xff\xd9", "decoding", "",
        "all headers, then EOI: no SOS / scan at all")
    bad("jpeg_no_sof.jpg", jpg[:sof] + jpg[sof + 2 + struct.unpack('>H', jpg[sof + 2:sof + 4])[0]:], "decoding", "",
        "SOF0 segment removed (SOS without frame header)")
    dqt = mpos[0xDB]
    dqt_len = struct.unpack(">H", jpg[dqt + 2:dqt + 4])[0]
    bad("jpeg_no_dqt.jpg", jpg[:dqt] + jpg[dqt + 2 + dqt_len:], "decoding", "",
        "DQT segment removed (quantization table not defined)")
    bad("jpeg_bad_sampling.jpg", patch(jpg, sof + 11, b"\x55"), "decoding", "",
        "SOF0 luma sampling factors 5x5 (max is 4)")
    bad("jpeg_12bit.jpg", patch(patch(jpg, sof + 1, b"\xc1"), sof + 4, b"\x0c"), "unsupported", "",
        "SOF1 (extended sequential) with 12-bit precision; scan data is 8-bit garbage. "
        "Header alone is enough to refuse")
    bad("jpeg_segment_overrun.jpg", patch(jpg, mpos[0xDB] + 2, b"\xff\xf0"), "decoding", "",
        "DQT segment length 0xFFF0, runs past the end of the file")

    # --- PNM
    g = test_image(7, 13, 1, 255, "pgm255")
    c = test_image(7, 13, 3, 255, "ppm255")
    bad("pnm_maxval0.pgm", b"P5\n13 7\n0\n" + g.tobytes(), "decoding", "", "P5 with maxval 0")
    bad("pnm_maxval70000.pgm", b"P5\n13 7\n70000\n" + g.astype(">u2").tobytes() * 2, "decoding", "",
        "P5 with maxval 70000 (> 65535)")
    bad("pnm_maxval70000_ascii.pgm", b"P2\n2 1\n70000\n5 69999\n", "decoding", "", "P2 with maxval 70000")
    bad("pnm_negative_width.pgm", b"P5\n-13 7\n255\n" + g.tobytes(), "decoding", "", "P5 width -13")
    bad("pnm_zero_height.ppm", b"P6\n13 0\n255\n", "decoding", "", "P6 height 0")
    bad("pnm_absurd_width.ppm", b"P6\n99999999999999999999999 7\n255\n" + c.tobytes(), "decoding", "",
        "P6 width with 23 digits (overflows any integer type)")
    bad("pnm_huge_dims.ppm", b"P6\n100000 100000\n255\n" + c.tobytes(), "limitExceeded", "",
        "P6 header 100000x100000 (30 GB) with a 273-byte body")
    bad("pnm_trunc_p5.pgm", b"P5\n13 7\n255\n" + g.tobytes()[:50], "decoding", "truncated",
        "P5 body has 50 of 91 bytes")
    bad("pnm_trunc_p6_16bit.ppm", b"P6\n13 7\n65535\n" + c.astype(">u2").tobytes()[:301], "decoding", "truncated",
        "16-bit P6 body has 301 of 546 bytes (odd count: ends mid-sample)")
    bad("pnm_trunc_p3.ppm", b"P3\n4 4\n255\n" + b"1 2 3 4 5 6 7 8 9\n", "decoding", "",
        "P3 ASCII body with 9 of 48 values")
    bad("pnm_p2_nonnumeric.pgm", b"P2\n3 2\n255\n1 2 3\n4 five 6\n", "decoding", "",
        "P2 body with a non-numeric token 'five'")
    bad("pnm_p1_value2.pbm", b"P1\n4 2\n0 1 0 1\n1 2 1 0\n", "decoding", "", "P1 body with a value 2")
    bad("pnm_value_gt_maxval.pgm", b"P2\n3 1\n100\n10 200 30\n", "decoding", "",
        "P2 sample 200 greater than maxval 100")
    bad("pnm_bad_magic.pgm", b"P8\n13 7\n255\n" + g.tobytes(), "decoding", "", "magic 'P8' (no such Netpbm format)")
    bad("pnm_header_only.pgm", b"P5\n13", "decoding", "", "P5 header cut before the height")
    bad("pnm_no_whitespace_after_maxval.pgm", b"P5\n13 7\n255" + g.tobytes()[:0], "decoding", "",
        "P5 header ends at maxval with no whitespace and no body")

    # --- NPY
    def npy_raw(header: str, body: bytes, version=(1, 0)) -> bytes:
        h = header.encode("latin1")
        hl = 10 if version[0] == 1 else 12
        pad = (-(hl + len(h) + 1)) % 64
        h = h + b" " * pad + b"\n"
        lenfield = struct.pack("<H", len(h)) if version[0] == 1 else struct.pack("<I", len(h))
        return b"\x93NUMPY" + bytes(version) + lenfield + h + body

    f32 = rng("badnpy").standard_normal((4, 5)).astype("<f4").tobytes()
    bad("npy_bad_magic.npy", b"\x93NUMPX\x01\x00" + npy_raw("{'descr': '<f4', 'fortran_order': False, "
                                                          "'shape': (4, 5), }", f32)[8:],
        "decoding", "", "magic '\\x93NUMPX'")
    bad("npy_bad_header_dict.npy", npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 5", f32),
        "decoding", "", "header dict not closed: \"{'descr': '<f4', 'fortran_order': False, 'shape': (4, 5\"")
    bad("npy_header_missing_key.npy", npy_raw("{'descr': '<f4', 'shape': (4, 5), }", f32), "decoding", "",
        "header dict without 'fortran_order'")
    bad("npy_shape_mismatch.npy", npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (40, 50), }", f32),
        "decoding", "", "shape (40, 50) float32 = 8000 bytes, but only 80 bytes of data")
    bad("npy_unicode.npy", npy_raw("{'descr': '<U4', 'fortran_order': False, 'shape': (2,), }",
                                   "abcdwxyz".encode("utf-32-le")),
        "unsupported", "", "dtype '<U4' (unicode strings)")
    bad("npy_object.npy", npy_raw("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }",
                                  b"\x80\x04N."), "unsupported", "", "dtype object ('|O'), pickled payload")
    bad("npy_bad_version.npy", npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 5), }", f32,
                                       version=(9, 0)), "decoding", "", "format version 9.0")
    bad("npy_header_len_overrun.npy", b"\x93NUMPY\x01\x00\xff\xff{'descr': '<f4'", "decoding", "",
        "header length 65535 but the file ends after 15 header bytes")
    bad("npy_structured.npy", npy_raw("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, "
                                      "'shape': (2,), }", b"\0" * 16), "unsupported", "",
        "structured dtype [('a','<f4'),('b','<i4')]")

    # --- IDX
    imgs = rng("badidx").integers(0, 256, (3, 4, 5), dtype=np.uint8)
    good_idx = idx_bytes(imgs)
    bad("idx_bad_magic.idx", patch(good_idx, 0, b"\x12\x34"), "decoding", "", "IDX magic bytes 0x1234 (must be 0)")
    bad("idx_bad_type.idx", patch(good_idx, 2, b"\x0a"), "decoding", "", "IDX type code 0x0A (undefined)")
    bad("idx_short_data.idx", struct.pack(">BBBBIII", 0, 0, 8, 3, 10, 28, 28) + imgs.tobytes(), "decoding",
        "", "IDX dims 10x28x28 (7840 bytes) but only 60 bytes of data")
    bad("idx_trunc_header.idx", good_idx[:9], "decoding", "", "IDX header cut inside the dimension list")
    bad("idx_huge_dims.idx", struct.pack(">BBBBIII", 0, 0, 8, 3, 2**31, 2**31, 4) + b"\0" * 64, "limitExceeded",
        "", "IDX dims 2^31 x 2^31 x 4 with a 64-byte body")
    gz = gzip_bytes(idx_bytes(rng("badidx2").integers(0, 256, (10, 28, 28), dtype=np.uint8)))
    bad("idx_trunc.idx.gz", gz[: len(gz) // 2], "decoding", "", "gzip stream truncated at half its length")
    bad("idx_bad_gzip_crc.idx.gz", patch(gz, len(gz) - 8, b"\0\0\0\0"), "decoding", "",
        "complete gzip stream with a wrong CRC32 trailer")

    (d / "manifest.tsv").write_text("file\tkind\tmust_contain\n" +
                                    "".join(f"{f}\t{k}\t{m}\n" for f, k, m, _ in entries))
    return d, entries


class quiet_stderr:
    """Silence C-level stderr (libpng/libjpeg chatter) while probing the anchors."""

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        self.null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(self.null, 2)

    def __exit__(self, *exc):
        os.dup2(self.saved, 2)
        os.close(self.saved)
        os.close(self.null)


def anchor_verdict(path: Path) -> str:
    """What the anchors say about a bad file ('rejects' or the surprising result)."""
    name = path.name
    data = path.read_bytes()
    if name.endswith(".npy"):
        try:
            a = np.load(path, allow_pickle=False)
            return f"np.load ACCEPTS ({describe(a)})"
        except Exception as e:
            return f"np.load raises {type(e).__name__}"
    if ".idx" in name:
        try:
            raw = gzip.decompress(data) if name.endswith(".gz") else data
            a = read_idx(raw)
            return f"spec reader ACCEPTS ({describe(a)})"
        except Exception as e:
            return f"spec reader raises {type(e).__name__}"
    res = []
    try:
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED) if data else None
        res.append("cv2: None" if img is None else f"cv2 ACCEPTS ({describe(img)})")
    except cv2.error:
        res.append("cv2 raises cv2.error")
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            res.append(f"Pillow ACCEPTS ({im.mode} {im.width}x{im.height})")
    except Exception as e:
        res.append(f"Pillow raises {type(e).__name__}")
    return "; ".join(res)


def write_bad_readme(d: Path, entries):
    lines = ["# Corpus of broken files", "",
             "Each file must make ClassicCV throw (never crash, hang, or allocate beyond the decode",
             "limits).  `manifest.tsv` columns: `file`, `kind` (the expected `CVError` case: `decoding`,",
             "`limitExceeded` or `unsupported`), `must_contain` (a lowercase substring the error",
             "message must contain; empty = no requirement).",
             "",
             "Decisions: a JPEG whose scan ends early is an error (libjpeg-turbo by itself only warns,",
             "JWRN_JPEG_EOF, and pads with zeros; OpenCV 5 and Pillow both reject it).  A PNG whose",
             "image data is short is an error (libpng errors too: 'Not enough image data').  An",
             "out-of-range palette index is an error (libpng 1.6 only warns -- a benign error -- and",
             "OpenCV/Pillow accept the file; call png_set_benign_errors(png, 0) or check).  Huge dimensions",
             "must be refused from the header, before allocating (`limitExceeded`).",
             "",
             "The last column is what the anchors do with the file (cv2.imdecode IMREAD_UNCHANGED and",
             "Pillow for images, np.load(allow_pickle=False) for NPY, a strict spec reader for IDX);",
             "'ACCEPTS' marks the cases where an anchor is more lenient than ClassicCV.",
             "",
             "| file | kind | must_contain | description | anchors |", "|---|---|---|---|---|"]
    with quiet_stderr():
        verdicts = [anchor_verdict(d / f) for f, _, _, _ in entries]
    for (f, k, m, desc), v in zip(entries, verdicts):
        lines.append(f"| {f} | {k} | {m} | {desc} | {v} |")
    (d / "README.md").write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# versions
# --------------------------------------------------------------------------

def write_versions(out: Path):
    bi = cv2.getBuildInformation()

    def grab(key):
        for line in bi.splitlines():
            s = line.strip()
            if s.startswith(key + ":"):
                return s.split(":", 1)[1].strip()
        return "?"

    lines = [
        f"python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"opencv {cv2.__version__}",
        f"opencv JPEG: {grab('JPEG')}",
        f"opencv PNG: {grab('PNG')}",
        f"opencv ZLib: {grab('ZLib')}",
        f"scikit-image {skimage.__version__}",
        f"pillow {PIL.__version__}",
        f"pillow libjpeg-turbo {features.version('libjpeg_turbo')} (libjpeg API {features.version('jpg')})",
        f"pillow zlib {features.version('zlib')}",
    ]
    # what the Swift side links against (Debian packages), for information
    try:
        import subprocess
        q = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Version}\\n", "libpng16-16",
                            "libjpeg62-turbo", "zlib1g"], capture_output=True, text=True, timeout=10)
        lines += [f"system {l}" for l in q.stdout.splitlines() if l.strip()]
    except Exception:
        pass
    (out / "VERSIONS.txt").write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "Fixtures")
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    steps = [("images", make_images), ("png", make_png_matrix), ("jpeg", make_jpeg_matrix), ("pnm", make_pnm),
             ("gray", make_gray), ("npy", make_npy), ("idx", make_idx)]
    for name, fn in steps:
        fn(out)
        print(f"make_fixtures: {name} done", file=sys.stderr)
    d, entries = make_bad(out)
    write_bad_readme(d, entries)
    print(f"make_fixtures: bad corpus: {len(entries)} files", file=sys.stderr)
    write_versions(out)


if __name__ == "__main__":
    main()
