import CVCore

/// The flatbuffer messages of Arrow IPC (Schema.fbs, Message.fbs, File.fbs) and their framing.
///
/// Each table is built the way Arrow's C++ writer builds it (`metadata_internal.cc`): children
/// before their parent, a field's type before its name and its (always present, maybe empty)
/// children vector, and the fields of each table added in flatc's `CreateX` order. That order
/// is what makes the bytes equal pyarrow's; the field numbers below are the schema's.
enum ArrowMessages {
    /// `MetadataVersion.V5`.
    static let metadataVersion: Int64 = 4
    /// The continuation marker and a zero length.
    static let endOfStream: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]

    static func int32(_ v: Int) -> [UInt8] {
        let u = UInt32(truncatingIfNeeded: v)
        return (0..<4).map { UInt8(truncatingIfNeeded: u >> (8 * UInt32($0))) }
    }

    private static func int64(_ v: Int) -> [UInt8] {
        let u = UInt64(bitPattern: Int64(v))
        return (0..<8).map { UInt8(truncatingIfNeeded: u >> (8 * UInt64($0))) }
    }

    /// Writes 0xFFFFFFFF, the metadata length and the metadata padded to 8 bytes (the body,
    /// if any, follows). Callers start every message at a multiple of 8.
    static func writeFramed(metadata: [UInt8], to sink: ArrowIPC.Sink) throws {
        let padded = framedLength(metadata) - 8
        let framed = [0xFF, 0xFF, 0xFF, 0xFF] + int32(padded) + metadata + repeatElement(0, count: padded - metadata.count)
        try framed.withUnsafeBytes(sink)
    }

    /// Bytes of a message before its body: the marker, the length and the padded metadata.
    static func framedLength(_ metadata: [UInt8]) -> Int { 8 + (metadata.count + 7) / 8 * 8 }

    /// A message without a body (the schema), framed.
    static func framed(metadata: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        try! writeFramed(metadata: metadata) { out.append(contentsOf: $0) }
        return out
    }

    /// Refuses list sizes a `FixedSizeList` cannot hold (its `listSize` is an int32).
    static func validate(_ schema: ArrowSchema) throws {
        for f in schema.fields {
            if case .float32List(let size) = f.type, size < 1 || size > Int(Int32.max) {
                throw CVError.invalidParameter(name: f.name, reason: "list size must be 1...\(Int32.max), got \(size)")
            }
        }
    }

    // MARK: - Schema

    /// `Message { version, header_type = Schema, header }` (a schema has no body).
    static func schemaMessage(_ schema: ArrowSchema) -> [UInt8] {
        var b = FlatBufferBuilder()
        let s = schemaTable(schema, &b)
        return message(&b, headerType: 1, header: s, bodyLength: 0)
    }

    /// `Schema { fields }` (endianness Little is the default, so it is left out).
    private static func schemaTable(_ schema: ArrowSchema, _ b: inout FlatBufferBuilder) -> FlatBufferBuilder.Offset {
        let fields = schema.fields.map { field($0.name, $0.type, nullable: $0.nullable, &b) }
        let vector = b.createVector(offsets: fields)
        let t = b.startTable()
        b.add(field: 1, offset: vector)
        return b.endTable(t)
    }

    /// `Field { name, nullable, type_type, type, children }`.
    private static func field(_ name: String, _ type: ArrowColumnType, nullable: Bool, _ b: inout FlatBufferBuilder) -> FlatBufferBuilder.Offset {
        // 1. The type (after its children), as the union's value and tag.
        var children: [FlatBufferBuilder.Offset] = []
        let typeTag: Int64, typeTable: FlatBufferBuilder.Offset
        switch type {
        case .utf8:
            typeTag = 5
            typeTable = b.endTable(b.startTable())
        case .float32List(let size):
            children.append(floatItemField(&b))
            typeTag = 16
            let t = b.startTable()
            b.add(field: 0, Int64(size), byteCount: 4)   // FixedSizeList.listSize
            typeTable = b.endTable(t)
        }
        // 2. Name and children, then the table: offsets (last declared first), then bytes.
        let nameOffset = b.createString(name)
        let childVector = b.createVector(offsets: children)
        let t = b.startTable()
        b.add(field: 5, offset: childVector)
        b.add(field: 3, offset: typeTable)
        b.add(field: 0, offset: nameOffset)
        b.add(field: 2, typeTag, byteCount: 1)
        b.add(field: 1, nullable ? 1 : 0, byteCount: 1)
        return b.endTable(t)
    }

    /// The child of a float list: `item: float32`, nullable (pyarrow's `pa.list_` default).
    private static func floatItemField(_ b: inout FlatBufferBuilder) -> FlatBufferBuilder.Offset {
        let t = b.startTable()
        b.add(field: 0, 1, byteCount: 2)   // FloatingPoint.precision = SINGLE
        let floatingPoint = b.endTable(t)
        let nameOffset = b.createString("item")
        let childVector = b.createVector(offsets: [])
        let f = b.startTable()
        b.add(field: 5, offset: childVector)
        b.add(field: 3, offset: floatingPoint)
        b.add(field: 0, offset: nameOffset)
        b.add(field: 2, 3, byteCount: 1)   // Type.FloatingPoint
        b.add(field: 1, 1, byteCount: 1)
        return b.endTable(f)
    }

    /// `Message { version, header_type, header, bodyLength }`, finished.
    private static func message(_ b: inout FlatBufferBuilder, headerType: Int64, header: FlatBufferBuilder.Offset, bodyLength: Int) -> [UInt8] {
        let t = b.startTable()
        b.add(field: 3, Int64(bodyLength), byteCount: 8)
        b.add(field: 2, offset: header)
        b.add(field: 0, metadataVersion, byteCount: 2)
        b.add(field: 1, headerType, byteCount: 1)
        return b.finish(root: b.endTable(t))
    }

    // MARK: - Record batches

    /// The metadata and the body layout of one record batch (the body's bytes are written
    /// when the message is: `EncodedRecordBatch.write(to:)`).
    /// - Throws: `CVError.invalidParameter` when the columns do not fit the schema.
    static func recordBatch(_ batch: ArrowRecordBatch, schema: ArrowSchema) throws -> EncodedRecordBatch {
        // 1. The body: every buffer of every column, each padded to 8 bytes.
        var layout = BodyLayout()
        try checkShape(batch, schema)
        for (field, column) in zip(schema.fields, batch.columns) {
            try layout.append(column, of: field, rows: batch.rowCount)
        }
        // 2. The metadata: nodes and buffers (structs), then the RecordBatch table.
        var b = FlatBufferBuilder()
        let nodes = b.createVector(structs: layout.nodes.map { FlatBufferBuilder.structBytes([(Int64($0.length), 8), (Int64($0.nulls), 8)]) },
                                   structSize: 16, alignment: 8)
        let buffers = b.createVector(structs: layout.buffers.map { FlatBufferBuilder.structBytes([(Int64($0.offset), 8), (Int64($0.length), 8)]) },
                                     structSize: 16, alignment: 8)
        let t = b.startTable()
        b.add(field: 0, Int64(batch.rowCount), byteCount: 8)
        b.add(field: 2, offset: buffers)
        b.add(field: 1, offset: nodes)
        let table = b.endTable(t)
        return EncodedRecordBatch(metadata: message(&b, headerType: 3, header: table, bodyLength: layout.length), body: layout)
    }

    private static func checkShape(_ batch: ArrowRecordBatch, _ schema: ArrowSchema) throws {
        guard batch.rowCount >= 0, batch.columns.count == schema.fields.count else {
            throw CVError.invalidParameter(name: "batch", reason: "has \(batch.columns.count) columns, the schema \(schema.fields.count)")
        }
        for (f, c) in zip(schema.fields, batch.columns) {
            let ok: Bool
            switch (f.type, c) {
            case (.utf8, .utf8(let v)): ok = v.count == batch.rowCount && (f.nullable || !v.contains(nil))
            case (.float32List(let d), .float32List(let v, let valid)):
                ok = valid.count == batch.rowCount && v.count == batch.rowCount * d && (f.nullable || !valid.contains(false))
            default: ok = false
            }
            guard ok else { throw CVError.invalidParameter(name: f.name, reason: "column does not match the schema or the batch's \(batch.rowCount) rows") }
        }
    }

    // MARK: - Footer

    /// `Footer { version, schema, dictionaries = [], recordBatches }`, finished.
    static func footer(_ schema: ArrowSchema, blocks: [(offset: Int, metadataLength: Int, bodyLength: Int)]) -> [UInt8] {
        var b = FlatBufferBuilder()
        let s = schemaTable(schema, &b)
        let blockBytes = blocks.map { FlatBufferBuilder.structBytes([(Int64($0.offset), 8), (Int64($0.metadataLength), 4), (0, 4), (Int64($0.bodyLength), 8)]) }
        let dictionaries = b.createVector(structs: [], structSize: 24, alignment: 8)
        let batches = b.createVector(structs: blockBytes, structSize: 24, alignment: 8)
        let t = b.startTable()
        b.add(field: 3, offset: batches)
        b.add(field: 2, offset: dictionaries)
        b.add(field: 1, offset: s)
        b.add(field: 0, metadataVersion, byteCount: 2)
        return b.finish(root: b.endTable(t))
    }
}

/// A record batch's message, ready to be written: its metadata and its body's layout.
struct EncodedRecordBatch {
    let metadata: [UInt8]
    let body: BodyLayout

    /// Bytes before the body (`Block.metaDataLength` in a file's footer).
    var metadataLength: Int { ArrowMessages.framedLength(metadata) }
    /// Bytes of the whole message.
    var messageLength: Int { metadataLength + body.length }

    /// Writes the framed metadata and the body.
    func write(to sink: ArrowIPC.Sink) throws {
        try ArrowMessages.writeFramed(metadata: metadata, to: sink)
        try body.write(to: sink)
    }
}

/// The body of a record batch as it is laid out: the field nodes (length, null count) in
/// depth-first order, the buffers (offset, length) and their contents. The float values stay
/// in the column's array until `write(to:)` hands them to the sink as they are: the body is
/// nearly all of a message's bytes, and every extra copy of it showed in `cvtool bench arrow`.
struct BodyLayout {
    private enum Contents {
        case bytes([UInt8])
        case floats([Float])
    }

    private(set) var nodes: [(length: Int, nulls: Int)] = []
    private(set) var buffers: [(offset: Int, length: Int)] = []
    /// Bytes of the body, padding included.
    private(set) var length = 0
    private var contents: [Contents] = []

    /// Appends the buffers of one column (and its child's, for a list).
    /// - Throws: `CVError.invalidParameter` for text over the 2 GiB an int32 offset reaches.
    mutating func append(_ column: ArrowColumnValues, of field: ArrowField, rows: Int) throws {
        switch column {
        case .utf8(let values):
            let (offsets, data, nulls) = try Self.utf8Buffers(values, field: field.name)
            nodes.append((rows, nulls))
            appendValidity(nulls == 0 ? nil : values.map { $0 != nil }, repeating: 1)
            appendBuffer(.bytes(offsets), count: offsets.count)
            appendBuffer(.bytes(data), count: data.count)
        case .float32List(let values, let valid):
            let nulls = valid.reduce(0) { $0 + ($1 ? 0 : 1) }
            nodes.append((rows, nulls))
            appendValidity(nulls == 0 ? nil : valid, repeating: 1)
            // The float child: a null row's values are nulls too (as pyarrow builds them).
            let size = rows == 0 ? 0 : values.count / rows
            nodes.append((values.count, nulls * size))
            appendValidity(nulls == 0 ? nil : valid, repeating: size)
            appendBuffer(.floats(values), count: 4 * values.count)
        }
    }

    /// Hands every buffer to `sink` as it is (the float values straight from the column's
    /// array), each followed by the zeros that pad it to 8 bytes.
    func write(to sink: ArrowIPC.Sink) throws {
        for (c, b) in zip(contents, buffers) {
            switch c {
            case .bytes(let bytes): if !bytes.isEmpty { try bytes.withUnsafeBytes(sink) }
            case .floats(let values): if !values.isEmpty { try values.withUnsafeBytes(sink) }
            }
            let padding = (8 - b.length % 8) % 8
            if padding > 0 { try Self.zeros.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0.prefix(padding))) } }
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 8)

    /// The int32 offsets (rows + 1 of them), the UTF-8 bytes of a text column and its null
    /// count, in two passes over the strings: the offsets, total and nulls from each string's
    /// stored length, then each string's bytes copied with one `memcpy` into a buffer
    /// allocated once at its final size (growing it string by string reallocated it a dozen
    /// times, a fifth of `cvtool bench arrow`'s time).
    private static func utf8Buffers(_ values: [String?], field: String) throws -> (offsets: [UInt8], data: [UInt8], nulls: Int) {
        var total = 0, nulls = 0
        let offsets = try [UInt8](unsafeUninitializedCapacity: 4 * (values.count + 1)) { out, count in
            let raw = UnsafeMutableRawBufferPointer(out)
            raw.storeBytes(of: 0, toByteOffset: 0, as: Int32.self)
            for i in values.indices {
                if let v = values[i] { total += v.utf8.count } else { nulls += 1 }
                guard total <= Int(Int32.max) else {
                    throw CVError.invalidParameter(name: field, reason: "holds over \(Int32.max) bytes of text in one batch")
                }
                raw.storeBytes(of: Int32(truncatingIfNeeded: total).littleEndian, toByteOffset: 4 * (i + 1), as: Int32.self)
            }
            count = out.count
        }
        let data = [UInt8](unsafeUninitializedCapacity: total) { out, count in
            guard let base = out.baseAddress else { return }
            for i in values.indices {
                guard let v = values[i] else { continue }
                count += copyUTF8(v, to: base + count, capacity: total - count)
            }
        }
        return (offsets, data, nulls)
    }

    /// Copies the UTF-8 bytes of `s` to `destination` and returns their count: one `memcpy`
    /// from the string's own storage (native strings, without the copy that `withUTF8` on a
    /// `var` makes), else byte by byte (a bridged string).
    private static func copyUTF8(_ s: String, to destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Int in
            precondition(bytes.count <= capacity, "Arrow IPC: a string changed length while being written")
            if let source = bytes.baseAddress { destination.initialize(from: source, count: bytes.count) }
            return bytes.count
        }
        if let copied { return copied }
        var n = 0
        for byte in s.utf8 {
            precondition(n < capacity, "Arrow IPC: a string changed length while being written")
            destination[n] = byte
            n += 1
        }
        return n
    }

    /// A validity bitmap with `repeating` bits per entry of `present` (bit i of byte i/8 set
    /// for a present value), or an empty buffer when nothing is null. Nulls are the exception
    /// (a failed image), so the bitmap starts all ones, one `memset`, and null runs are
    /// cleared; setting each present row's bits cost 5 % of `cvtool bench arrow`.
    private mutating func appendValidity(_ present: [Bool]?, repeating size: Int) {
        guard let present else { appendBuffer(.bytes([]), count: 0); return }
        let n = present.count * size
        var bits = [UInt8](repeating: 0xFF, count: (n + 7) / 8)
        bits.withUnsafeMutableBufferPointer { b in
            // The last byte's bits past the end are 0, as pyarrow leaves them.
            Self.clearBits(b, from: n, to: 8 * b.count)
            for (i, p) in present.enumerated() where !p { Self.clearBits(b, from: i * size, to: (i + 1) * size) }
        }
        appendBuffer(.bytes(bits), count: bits.count)
    }

    /// Clears bits lo..<hi: whole bytes at once, single bits at the two ends.
    private static func clearBits(_ b: UnsafeMutableBufferPointer<UInt8>, from lo: Int, to hi: Int) {
        var i = lo
        while i < hi, i & 7 != 0 { b[i >> 3] &= ~(1 << UInt8(i & 7)); i += 1 }
        let whole = max(0, (hi - i) >> 3)
        if whole > 0 {
            UnsafeMutableBufferPointer(rebasing: b[(i >> 3)..<((i >> 3) + whole)]).update(repeating: 0)
            i += whole << 3
        }
        while i < hi { b[i >> 3] &= ~(1 << UInt8(i & 7)); i += 1 }
    }

    private mutating func appendBuffer(_ c: Contents, count: Int) {
        buffers.append((length, count))
        contents.append(c)
        length += (count + 7) / 8 * 8
    }
}
