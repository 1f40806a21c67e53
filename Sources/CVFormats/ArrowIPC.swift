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
    /// The whole stream form: schema, batches, end-of-stream marker
    /// (`pyarrow.ipc.new_stream`).
    /// - Parameters:
    ///   - schema: the columns.
    ///   - batches: the rows, in order (none: a stream of the schema only).
    /// - Returns: the bytes `pyarrow.ipc.open_stream` reads.
    /// - Throws: `CVError.invalidParameter` for a batch that does not fit the schema.
    /// - Complexity: O(bytes written).
    public static func stream(schema: ArrowSchema, batches: [ArrowRecordBatch]) throws -> [UInt8] {
        let (schemaMessage, encoded) = try encode(schema, batches)
        var out: [UInt8] = []
        out.reserveCapacity(ArrowMessages.framedLength(schemaMessage) + encoded.reduce(0) { $0 + $1.messageLength } + 8)
        ArrowMessages.appendFramed(metadata: schemaMessage, to: &out)
        for e in encoded { e.append(to: &out) }
        out += ArrowMessages.endOfStream
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
        let (schemaMessage, encoded) = try encode(schema, batches)
        var out: [UInt8] = []
        // The footer is a few hundred bytes plus 24 a batch.
        out.reserveCapacity(8 + ArrowMessages.framedLength(schemaMessage) + encoded.reduce(0) { $0 + $1.messageLength }
                            + 8 + 2 * schemaMessage.count + 24 * batches.count + 256)
        out += Array("ARROW1".utf8) + [0, 0]
        ArrowMessages.appendFramed(metadata: schemaMessage, to: &out)
        var blocks: [(offset: Int, metadataLength: Int, bodyLength: Int)] = []
        for e in encoded {
            blocks.append((out.count, e.metadataLength, e.body.length))
            e.append(to: &out)
        }
        out += ArrowMessages.endOfStream
        let footer = ArrowMessages.footer(schema, blocks: blocks)
        out += footer
        out += ArrowMessages.int32(footer.count)
        out += Array("ARROW1".utf8)
        return out
    }

    /// The schema message and every batch laid out, checked against the schema.
    private static func encode(_ schema: ArrowSchema, _ batches: [ArrowRecordBatch]) throws -> ([UInt8], [EncodedRecordBatch]) {
        try ArrowMessages.validate(schema)
        return (ArrowMessages.schemaMessage(schema), try batches.map { try ArrowMessages.recordBatch($0, schema: schema) })
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
        encoded.append(to: &message)
        try sink(message)
    }

    /// Writes the end-of-stream marker.
    public mutating func finish() throws {
        guard !finished else { return }
        finished = true
        try sink(ArrowMessages.endOfStream)
    }
}
