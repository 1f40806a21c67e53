import CVCore

/// One column of an Arrow table as `ArrowIPC` writes it: UTF-8 text or fixed-size lists of
/// float32 (a descriptor per row), each nullable or not.
public enum ArrowColumnType: Sendable, Hashable {
    /// `utf8`.
    case utf8
    /// `fixed_size_list<item: float32>[size]`.
    case float32List(size: Int)
}

/// A named column of an `ArrowSchema`.
public struct ArrowField: Sendable, Hashable {
    public var name: String
    public var type: ArrowColumnType
    /// Whether rows may be null (default true, as pyarrow's `pa.field`).
    public var nullable: Bool

    public init(_ name: String, _ type: ArrowColumnType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// The columns of an Arrow table, in order.
public struct ArrowSchema: Sendable, Hashable {
    public var fields: [ArrowField]
    public init(_ fields: [ArrowField]) { self.fields = fields }
}

/// The values of one column of a record batch.
public enum ArrowColumnValues: Sendable {
    /// One string per row, nil for null.
    case utf8([String?])
    /// `rows × size` values, row-major, and whether each row is present (the values of a
    /// null row are written as they are: give zeros).
    case float32List(values: [Float], valid: [Bool])
}

/// A batch of rows: one `ArrowColumnValues` per schema field.
public struct ArrowRecordBatch: Sendable {
    public var rowCount: Int
    public var columns: [ArrowColumnValues]
    public init(rowCount: Int, columns: [ArrowColumnValues]) {
        self.rowCount = rowCount
        self.columns = columns
    }
}

/// Apache Arrow IPC, written by hand: the streaming format (what `pyarrow.ipc.open_stream` and
/// Spark's `mapInArrow` read) and the file format (`.arrow`, `pyarrow.ipc.open_file`,
/// `pandas.read_feather`).
///
/// The writer keeps pyarrow's defaults, so its bytes equal pyarrow's for the same table:
/// metadata version V5, little-endian, no compression, every message behind the 0xFFFFFFFF
/// continuation marker with its metadata padded to 8 bytes, every body buffer padded to 8 bytes,
/// a validity bitmap only for a column that has a null (else an empty buffer), a null list
/// row's values null in the child (zeros in its data), the end-of-stream marker, and in the
/// file form the
/// `ARROW1` magic, the footer (schema and record-batch blocks) and its length.
///
/// - Complexity: O(bytes written); the metadata is a few hundred bytes per batch.
/// - Reference: Apache Arrow Columnar Format, "Serialization and Interprocess Communication"
///   (arrow.apache.org/docs/format/Columnar.html), format version 1.0.
public enum ArrowIPC {
    /// Receives a writer's bytes, in order, a piece at a time. A piece is valid only during
    /// the call: it may be one of the caller's column arrays, which is handed over as it is
    /// rather than copied (the float values are nearly all of a table's bytes).
    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    /// The whole stream form: schema, batches, end-of-stream marker
    /// (`pyarrow.ipc.new_stream`).
    /// - Parameters:
    ///   - schema: the columns.
    ///   - batches: the rows, in order (none: a stream of the schema only).
    /// - Returns: the bytes `pyarrow.ipc.open_stream` reads.
    /// - Throws: `CVError.invalidParameter` for a batch that does not fit the schema.
    /// - Complexity: O(bytes written).
    public static func stream(schema: ArrowSchema, batches: [ArrowRecordBatch]) throws -> [UInt8] {
        var out: [UInt8] = []
        try stream(schema: schema, batches: batches, into: &out)
        return out
    }

    /// The whole file form (`.arrow`, `pyarrow.ipc.new_file`): magic, the stream, the footer
    /// with the schema and every batch's block.
    /// - Parameters:
    ///   - schema: the columns.
    ///   - batches: the rows, in order.
    /// - Returns: the bytes `pyarrow.ipc.open_file` and `pandas.read_feather` read.
    /// - Throws: `CVError.invalidParameter` for a batch that does not fit the schema.
    /// - Complexity: O(bytes written).
    public static func file(schema: ArrowSchema, batches: [ArrowRecordBatch]) throws -> [UInt8] {
        var out: [UInt8] = []
        try file(schema: schema, batches: batches, into: &out)
        return out
    }

    /// The stream form into `buffer`, replacing its contents but keeping its capacity: a
    /// caller that encodes table after table into the same buffer does not have the kernel
    /// hand it fresh pages for every table.
    /// - Parameters:
    ///   - schema: the columns.
    ///   - batches: the rows, in order.
    ///   - buffer: receives the bytes `stream(schema:batches:)` returns.
    /// - Throws: `CVError.invalidParameter` for a batch that does not fit the schema (then
    ///   `buffer` is left as it was).
    /// - Complexity: O(bytes written).
    public static func stream(schema: ArrowSchema, batches: [ArrowRecordBatch], into buffer: inout [UInt8]) throws {
        let layout = try Layout(schema, batches)
        fill(&buffer, count: layout.streamLength) { sink in try layout.writeStream(to: sink) }
    }

    /// The file form into `buffer`, replacing its contents but keeping its capacity (see
    /// `stream(schema:batches:into:)`).
    /// - Throws: `CVError.invalidParameter` for a batch that does not fit the schema (then
    ///   `buffer` is left as it was).
    /// - Complexity: O(bytes written).
    public static func file(schema: ArrowSchema, batches: [ArrowRecordBatch], into buffer: inout [UInt8]) throws {
        let layout = try Layout(schema, batches)
        fill(&buffer, count: layout.fileLength) { sink in try layout.writeFile(to: sink) }
    }

    /// Writes the stream form through `sink` without assembling it: the metadata is framed in
    /// small arrays, the body's buffers are handed over one by one from the batch's own
    /// arrays (zeros between them pad each to 8 bytes), so the writer never holds a copy of
    /// the table (`FileBytes` streams it into the output file this way).
    /// - Parameters:
    ///   - schema: the columns.
    ///   - batches: the rows, in order.
    ///   - sink: receives the bytes `stream(schema:batches:)` returns, in pieces.
    /// - Throws: `CVError.invalidParameter` for a batch that does not fit the schema (before
    ///   any byte reaches `sink`); what `sink` throws.
    /// - Complexity: O(bytes written); memory beyond the batches: the metadata and the text
    ///   columns' offsets and bitmaps.
    public static func writeStream(schema: ArrowSchema, batches: [ArrowRecordBatch], to sink: Sink) throws {
        try Layout(schema, batches).writeStream(to: sink)
    }

    /// Writes the file form through `sink` without assembling it (see
    /// `writeStream(schema:batches:to:)`).
    /// - Throws: `CVError.invalidParameter` for a batch that does not fit the schema (before
    ///   any byte reaches `sink`); what `sink` throws.
    /// - Complexity: O(bytes written).
    public static func writeFile(schema: ArrowSchema, batches: [ArrowRecordBatch], to sink: Sink) throws {
        try Layout(schema, batches).writeFile(to: sink)
    }

    /// Empties `buffer` (keeping its capacity), reserves `count` bytes and appends what
    /// `write` emits.
    private static func fill(_ buffer: inout [UInt8], count: Int, _ write: (Sink) throws -> Void) {
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(count)
        // Appending cannot throw, so neither can `write`'s only source of errors.
        try! write { buffer.append(contentsOf: $0) }
        assert(buffer.count == count, "Arrow IPC: wrote \(buffer.count) bytes, laid out \(count)")
    }

    /// The schema message and every batch laid out and checked against the schema: what is
    /// left is handing over bytes.
    private struct Layout {
        let schema: ArrowSchema
        let schemaMessage: [UInt8]
        let batches: [EncodedRecordBatch]

        init(_ schema: ArrowSchema, _ batches: [ArrowRecordBatch]) throws {
            try ArrowMessages.validate(schema)
            self.schema = schema
            schemaMessage = ArrowMessages.schemaMessage(schema)
            self.batches = try batches.map { try ArrowMessages.recordBatch($0, schema: schema) }
        }

        private static let magic = Array("ARROW1".utf8)

        /// Bytes of the schema message and the batches' messages.
        private var messagesLength: Int { ArrowMessages.framedLength(schemaMessage) + batches.reduce(0) { $0 + $1.messageLength } }

        var streamLength: Int { messagesLength + ArrowMessages.endOfStream.count }

        var fileLength: Int { 8 + streamLength + footer.count + 4 + Self.magic.count }

        /// `Footer`: the schema and each batch's block (its offset counts the 8 bytes of magic
        /// and padding before the stream).
        var footer: [UInt8] {
            var offset = 8 + ArrowMessages.framedLength(schemaMessage)
            var blocks: [(offset: Int, metadataLength: Int, bodyLength: Int)] = []
            for e in batches {
                blocks.append((offset, e.metadataLength, e.body.length))
                offset += e.messageLength
            }
            return ArrowMessages.footer(schema, blocks: blocks)
        }

        func writeStream(to sink: Sink) throws {
            try ArrowMessages.writeFramed(metadata: schemaMessage, to: sink)
            for e in batches { try e.write(to: sink) }
            try ArrowMessages.endOfStream.withUnsafeBytes(sink)
        }

        /// Magic (padded to 8), the stream, the footer, its length, the magic again.
        func writeFile(to sink: Sink) throws {
            let footer = footer
            try (Self.magic + [0, 0]).withUnsafeBytes(sink)
            try writeStream(to: sink)
            try (footer + ArrowMessages.int32(footer.count) + Self.magic).withUnsafeBytes(sink)
        }
    }
}

/// Writes the stream form batch by batch through `sink`, so a producer of rows needs to hold
/// one batch only (`cvtool hog`'s worker mode).
public struct ArrowStreamWriter {
    private let schema: ArrowSchema
    private let sink: ([UInt8]) throws -> Void
    private var finished = false

    /// Writes the schema message.
    /// - Parameter sink: receives the bytes, in order.
    /// - Throws: `CVError.invalidParameter` for a list size below 1; what `sink` throws.
    public init(schema: ArrowSchema, sink: @escaping ([UInt8]) throws -> Void) throws {
        try ArrowMessages.validate(schema)
        self.schema = schema
        self.sink = sink
        try sink(ArrowMessages.framed(metadata: ArrowMessages.schemaMessage(schema)))
    }

    /// Writes one record batch.
    /// - Throws: `CVError.invalidParameter` when the batch does not fit the schema; what
    ///   `sink` throws.
    public mutating func write(_ batch: ArrowRecordBatch) throws {
        precondition(!finished, "write after finish")
        let encoded = try ArrowMessages.recordBatch(batch, schema: schema)
        var message: [UInt8] = []
        message.reserveCapacity(encoded.messageLength)
        try! encoded.write { message.append(contentsOf: $0) }
        try sink(message)
    }

    /// Writes the end-of-stream marker.
    public mutating func finish() throws {
        guard !finished else { return }
        finished = true
        try sink(ArrowMessages.endOfStream)
    }
}
