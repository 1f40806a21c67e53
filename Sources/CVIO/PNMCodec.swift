import CVCore

/// Netpbm images: P1–P6 read (plain/ASCII and raw/binary; bitmap, graymap, pixmap), P5/P6 written.
///
/// Bitmaps (P1/P4) become 8-bit with 1 (black) → 0 and 0 (white) → 255. Other maxvals follow
/// ``PNMScaling``: by default exactly what `cv2.imread(path, cv2.IMREAD_UNCHANGED)` returns.
/// Comments (`#` to end of line) are allowed wherever whitespace is. Unlike OpenCV, which
/// clamps, a sample above maxval is an error: the file is corrupt.
public enum PNMCodec {
    struct Header {
        var kind: UInt8  // '1'...'6'
        var width: Int
        var height: Int
        var maxval: Int
        var dataOffset: Int
        var channels: Int { kind == UInt8(ascii: "3") || kind == UInt8(ascii: "6") ? 3 : 1 }
        var isBitmap: Bool { kind == UInt8(ascii: "1") || kind == UInt8(ascii: "4") }
        var isPlain: Bool { kind <= UInt8(ascii: "3") }
    }

    /// Reads whitespace- and comment-separated decimal tokens.
    struct Tokenizer {
        let bytes: [UInt8]
        var pos: Int
        let source: String

        mutating func skipSpace() {
            while pos < bytes.count {
                let b = bytes[pos]
                if b == UInt8(ascii: "#") {
                    while pos < bytes.count && bytes[pos] != 10 && bytes[pos] != 13 { pos += 1 }
                } else if isSpace(b) {
                    pos += 1
                } else {
                    return
                }
            }
        }

        mutating func number(_ what: String) throws -> Int {
            skipSpace()
            guard pos < bytes.count else { throw CVError.decoding(source: source, reason: "PNM: file is truncated (expected \(what))") }
            var v = 0
            var digits = 0
            while pos < bytes.count, (48...57).contains(bytes[pos]) {
                v = v * 10 + Int(bytes[pos] - 48)
                digits += 1
                pos += 1
                if v > Int(Int32.max) { throw CVError.decoding(source: source, reason: "PNM: \(what) is too large") }
            }
            guard digits > 0 else {
                throw CVError.decoding(source: source, reason: "PNM: expected a number for \(what), found byte 0x\(String(bytes[pos], radix: 16))")
            }
            return v
        }

        /// One plain-PBM bit: '0' or '1', which may be written without separators.
        mutating func bit() throws -> Int {
            skipSpace()
            guard pos < bytes.count else { throw CVError.decoding(source: source, reason: "PNM: file is truncated (pixel data)") }
            let b = bytes[pos]
            pos += 1
            switch b {
            case UInt8(ascii: "0"): return 0
            case UInt8(ascii: "1"): return 1
            default: throw CVError.decoding(source: source, reason: "PNM: bitmap values must be 0 or 1, found '\(Character(UnicodeScalar(b)))'")
            }
        }
    }

    /// Netpbm whitespace: blank, tab, CR, LF, vertical tab, form feed.
    static func isSpace(_ b: UInt8) -> Bool { b == 32 || (9...13).contains(b) }

    static func parseHeader(_ bytes: [UInt8], source: String) throws -> Header {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[1]) else {
            throw CVError.decoding(source: source, reason: "not a PNM file (expected P1...P6)")
        }
        // The magic is a token of its own: "P513 7" is not P5 (cv2 and Pillow refuse it too).
        guard bytes.count > 2 else { throw CVError.decoding(source: source, reason: "PNM: file is truncated after the magic number") }
        guard isSpace(bytes[2]) else {
            throw CVError.decoding(source: source, reason: "PNM: no whitespace after the magic number P\(Character(UnicodeScalar(bytes[1])))")
        }
        var t = Tokenizer(bytes: bytes, pos: 2, source: source)
        let kind = bytes[1]
        let w = try t.number("width"), h = try t.number("height")
        var maxval = 1
        if kind != UInt8(ascii: "1") && kind != UInt8(ascii: "4") {
            maxval = try t.number("maxval")
            guard (1...65535).contains(maxval) else {
                throw CVError.decoding(source: source, reason: "PNM: maxval must be 1...65535, got \(maxval)")
            }
        }
        // Exactly one whitespace byte separates the header from raw data.
        if kind >= UInt8(ascii: "4") {
            guard t.pos < bytes.count else { throw CVError.decoding(source: source, reason: "PNM: file is truncated after the header") }
            guard isSpace(bytes[t.pos]) else {
                throw CVError.decoding(source: source, reason: "PNM: expected whitespace after the header, found byte 0x\(String(bytes[t.pos], radix: 16))")
            }
            t.pos += 1
        }
        return Header(kind: kind, width: w, height: h, maxval: maxval, dataOffset: t.pos)
    }

    public static func readHeader(_ bytes: [UInt8], source: String = "<memory>", limits: DecodeLimits = DecodeLimits()) throws -> ImageHeader {
        let h = try parseHeader(bytes, source: source)
        try limits.check(width: h.width, height: h.height, source: source)
        let bits = h.isBitmap ? 1 : (h.maxval > 255 ? 16 : 8)
        let names: [UInt8: String] = [49: "bitmap (plain)", 50: "graymap (plain)", 51: "pixmap (plain)",
                                      52: "bitmap", 53: "graymap", 54: "pixmap"]
        return ImageHeader(format: .pnm, width: h.width, height: h.height, channels: h.channels, bitDepth: bits,
                           orientation: 1, colorModel: "\(names[h.kind] ?? "?"), maxval \(h.maxval)")
    }

    /// Decodes a PNM held in memory.
    /// - Throws: `CVError.decoding` for malformed headers, out-of-range samples or truncated
    ///   data; `CVError.limitExceeded` past `limits` (checked before allocation).
    public static func decode(_ bytes: [UInt8], source: String = "<memory>", limits: DecodeLimits = DecodeLimits(),
                              scaling: PNMScaling = .opencv) throws -> DecodedImage {
        let h = try parseHeader(bytes, source: source)
        try limits.check(width: h.width, height: h.height, source: source)
        let c = h.channels
        let n = h.width * h.height * c
        if h.maxval > 255 {
            var img = Image<UInt16>.uninitialized(width: h.width, height: h.height, channels: c)
            let full = scaling == .fullRange && h.maxval != 65535
            try img.withUnsafeMutablePixels { p, _ in
                try readSamples(bytes, h, n, source: source) { i, v in
                    p[i] = full ? UInt16((v * 65535 + h.maxval / 2) / h.maxval) : UInt16(v)
                }
            }
            return DecodedImage(image: .uint16(img), format: .pnm, sourceBitDepth: 16, orientation: 1, orientationApplied: false)
        }
        // 8-bit: map through a table (bitmaps: 1 is black).
        var table = [UInt8](repeating: 0, count: h.maxval + 1)
        if h.isBitmap {
            table = [255, 0]
        } else {
            for v in 0...h.maxval {
                switch scaling {
                case .fullRange: table[v] = UInt8((v * 255 + h.maxval / 2) / h.maxval)
                case .opencv: table[v] = h.isPlain ? UInt8(v * 255 / h.maxval) : UInt8(v)
                }
            }
        }
        var img = Image<UInt8>.uninitialized(width: h.width, height: h.height, channels: c)
        try img.withUnsafeMutablePixels { p, _ in
            try table.withUnsafeBufferPointer { lut in
                try readSamples(bytes, h, n, source: source) { i, v in p[i] = lut[v] }
            }
        }
        return DecodedImage(image: .uint8(img), format: .pnm, sourceBitDepth: h.isBitmap ? 1 : 8, orientation: 1, orientationApplied: false)
    }

    /// Calls `store(index, value)` for each of the `n` samples, validating `value <= maxval`.
    private static func readSamples(_ bytes: [UInt8], _ h: Header, _ n: Int, source: String, _ store: (Int, Int) -> Void) throws {
        let tooBig = { (v: Int) in CVError.decoding(source: source, reason: "PNM: sample value \(v) exceeds maxval \(h.maxval)") }
        if h.isPlain {
            var t = Tokenizer(bytes: bytes, pos: h.dataOffset, source: source)
            for i in 0..<n {
                let v = h.isBitmap ? try t.bit() : try t.number("pixel data")
                guard v <= h.maxval else { throw tooBig(v) }
                store(i, v)
            }
            return
        }
        let available = bytes.count - h.dataOffset
        if h.isBitmap {
            let rowBytes = (h.width + 7) / 8
            guard available >= rowBytes * h.height else {
                throw CVError.decoding(source: source, reason: "PNM: file is truncated (\(available) of \(rowBytes * h.height) data bytes)")
            }
            bytes.withUnsafeBufferPointer { b in
                for y in 0..<h.height {
                    let row = h.dataOffset + y * rowBytes
                    for x in 0..<h.width { store(y * h.width + x, Int(b[row + x / 8] >> (7 - UInt8(x % 8))) & 1) }
                }
            }
            return
        }
        let wide = h.maxval > 255
        let need = n * (wide ? 2 : 1)
        guard available >= need else {
            throw CVError.decoding(source: source, reason: "PNM: file is truncated (\(available) of \(need) data bytes)")
        }
        try bytes.withUnsafeBufferPointer { b in
            let base = h.dataOffset
            for i in 0..<n {
                let v = wide ? Int(b[base + 2 * i]) << 8 | Int(b[base + 2 * i + 1]) : Int(b[base + i])
                guard v <= h.maxval else { throw tooBig(v) }
                store(i, v)
            }
        }
    }

    /// Encodes a gray (P5) or RGB (P6) image; 8-bit with maxval 255, 16-bit with maxval 65535.
    public static func encode<P: PixelScalar>(_ image: Image<P>, target: String = "<memory>") throws -> [UInt8] {
        guard image.channels == 1 || image.channels == 3 else {
            throw CVError.encoding(target: target, reason: "PNM holds gray or RGB; this image has \(image.channels) channels")
        }
        guard P.depth != .float32 else {
            throw CVError.encoding(target: target, reason: "PNM holds 8- or 16-bit samples; convert Float images first")
        }
        let wide = P.depth == .uint16
        var out = Array("P\(image.channels == 1 ? 5 : 6)\n\(image.width) \(image.height)\n\(wide ? 65535 : 255)\n".utf8)
        let n = image.rowLength
        out.reserveCapacity(out.count + n * image.height * (wide ? 2 : 1))
        for y in 0..<image.height {
            image.withRow(y) { row in
                if wide {
                    for v in row {
                        let u = UInt16(v.floatValue)
                        out.append(UInt8(u >> 8))
                        out.append(UInt8(u & 0xFF))
                    }
                } else {
                    for v in row { out.append(UInt8(v.floatValue)) }
                }
            }
        }
        return out
    }
}
