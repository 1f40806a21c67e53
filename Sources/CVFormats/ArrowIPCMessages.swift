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

    /// 0xFFFFFFFF, the metadata length, the metadata padded to 8 bytes, the body (already
    /// padded). Callers start every message at a multiple of 8.
    static func framed(metadata: [UInt8], body: [UInt8]) -> [UInt8] {
        let padded = (metadata.count + 7) / 8 * 8
        var out: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF] + int32(padded)
        out.reserveCapacity(8 + padded + body.count)
        out += metadata
        out += [UInt8](repeating: 0, count: padded - metadata.count)
        out += body
        return out
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

    /// The metadata and the body of one record batch.
    /// - Throws: `CVError.invalidParameter` when the columns do not fit the schema.
    static func recordBatch(_ batch: ArrowRecordBatch, schema: ArrowSchema) throws -> (metadata: [UInt8], body: [UInt8]) {
        // 1. The body: every buffer of every column, each padded to 8 bytes.
        var layout = BodyLayout()
        try checkShape(batch, schema)
        for (field, column) in zip(schema.fields, batch.columns) {
            layout.append(column, of: field, rows: batch.rowCount)
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
        return (message(&b, headerType: 3, header: table, bodyLength: layout.body.count), layout.body)
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

/// The body of a record batch as it is laid out: the field nodes (length, null count) in
/// depth-first order, the buffers (offset, length) and their bytes.
private struct BodyLayout {
    var nodes: [(length: Int, nulls: Int)] = []
    var buffers: [(offset: Int, length: Int)] = []
    var body: [UInt8] = []

    mutating func append(_ column: ArrowColumnValues, of field: ArrowField, rows: Int) {
        switch column {
        case .utf8(let values):
            let nulls = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
            nodes.append((rows, nulls))
            appendValidity(nulls == 0 ? nil : values.map { $0 != nil })
            var offsets: [UInt8] = [0, 0, 0, 0], data: [UInt8] = []
            offsets.reserveCapacity(4 * (rows + 1))
            for v in values {
                if let v { data += v.utf8 }
                offsets += ArrowMessages.int32(data.count)
            }
            appendBuffer(offsets)
            appendBuffer(data)
        case .float32List(let values, let valid):
            let nulls = valid.reduce(0) { $0 + ($1 ? 0 : 1) }
            nodes.append((rows, nulls))
            appendValidity(nulls == 0 ? nil : valid)
            // The float child: a null row's values are nulls too (as pyarrow builds them).
            let size = rows == 0 ? 0 : values.count / rows
            nodes.append((values.count, nulls * size))
            appendValidity(nulls == 0 ? nil : valid.flatMap { [Bool](repeating: $0, count: size) })
            appendBuffer(values.withUnsafeBytes { Array($0) })
        }
    }

    /// A validity bitmap (bit i of byte i/8 set for a present row), or an empty buffer.
    private mutating func appendValidity(_ present: [Bool]?) {
        guard let present else { appendBuffer([]); return }
        var bits = [UInt8](repeating: 0, count: (present.count + 7) / 8)
        for (i, p) in present.enumerated() where p { bits[i >> 3] |= 1 << UInt8(i & 7) }
        appendBuffer(bits)
    }

    private mutating func appendBuffer(_ bytes: [UInt8]) {
        buffers.append((body.count, bytes.count))
        body += bytes
        body += [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8)
    }
}
