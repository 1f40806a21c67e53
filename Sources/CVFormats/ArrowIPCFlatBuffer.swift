/// The part of a FlatBuffers builder that Arrow IPC metadata needs: tables of scalars and
/// offsets, strings, vectors of offsets and of structs, and `finish`.
///
/// It lays bytes out exactly as the reference C++ `flatbuffers::FlatBufferBuilder` does
/// (the builder pyarrow uses), so our messages compare byte for byte with pyarrow's: the buffer
/// grows downwards from its end; every scalar is aligned to its size; a table's fields are
/// written in the order the caller adds them (flatc's `CreateX` order: widest first, and
/// within one width the last declared first); a field equal to its default is left out; a
/// vtable identical to one already written is shared.
///
/// Positions (`Offset`) are measured from the end of the buffer, as in the C++ builder.
package struct FlatBufferBuilder {
    /// A position, counted in bytes from the end of the buffer.
    package typealias Offset = Int

    /// The bytes written so far, in reverse order (the last byte of the buffer first), so
    /// prepending is an append.
    private var reversed: [UInt8] = []
    private var minAlign = 1
    /// The fields of the open table: (vtable slot in bytes, position).
    private var fieldLocations: [(slot: Int, position: Int)] = []
    private var maxSlot = 0
    /// Positions of the vtables written so far, oldest first.
    private var vtables: [Int] = []

    package init() {}

    /// Bytes written so far.
    package var size: Int { reversed.count }

    // MARK: - Raw pushes

    private mutating func pad(_ count: Int) {
        for _ in 0..<count { reversed.append(0) }
    }

    private static func padding(_ size: Int, _ alignment: Int) -> Int { (alignment - size % alignment) % alignment }

    /// Pads so that the buffer's size is a multiple of `alignment`.
    private mutating func align(_ alignment: Int) {
        minAlign = max(minAlign, alignment)
        pad(Self.padding(size, alignment))
    }

    /// Pads so that after `length` more bytes the size is a multiple of `alignment` (nothing
    /// for no bytes: an empty vector is not aligned, as in the C++ builder).
    private mutating func preAlign(_ length: Int, _ alignment: Int) {
        guard length > 0 else { return }
        minAlign = max(minAlign, alignment)
        pad(Self.padding(size + length, alignment))
    }

    /// Prepends the little-endian bytes of `value` (`byteCount` of them) without aligning.
    private mutating func pushRaw(_ value: UInt64, byteCount: Int) {
        for i in (0..<byteCount).reversed() { reversed.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    /// Aligns to `byteCount` and prepends the scalar; returns its position.
    @discardableResult
    private mutating func push(_ value: UInt64, byteCount: Int) -> Offset {
        align(byteCount)
        pushRaw(value, byteCount: byteCount)
        return size
    }

    /// The relative offset stored at the next 4-byte slot to point at `target`.
    private mutating func refer(to target: Offset) -> UInt64 {
        align(4)
        return UInt64(UInt32(truncatingIfNeeded: size - target + 4))
    }

    // MARK: - Tables

    /// Opens a table; returns its start, for `endTable`.
    package mutating func startTable() -> Int {
        fieldLocations.removeAll(keepingCapacity: true)
        maxSlot = 0
        return size
    }

    private mutating func track(field: Int, at position: Int) {
        let slot = 4 + 2 * field
        fieldLocations.append((slot, position))
        maxSlot = max(maxSlot, slot)
    }

    /// Adds scalar field `field` (0-based, in declaration order) of `byteCount` bytes, left out
    /// when it equals the schema's default.
    package mutating func add(field: Int, _ value: Int64, byteCount: Int, default defaultValue: Int64 = 0) {
        guard value != defaultValue else { return }
        track(field: field, at: push(UInt64(bitPattern: value), byteCount: byteCount))
    }

    /// Adds offset field `field` pointing at `target` (nil: left out).
    package mutating func add(field: Int, offset target: Offset?) {
        guard let target else { return }
        let relative = refer(to: target)
        track(field: field, at: push(relative, byteCount: 4))
    }

    /// Closes the table opened at `start`: writes its vtable (or shares an identical one).
    /// - Returns: the table's position.
    package mutating func endTable(_ start: Int) -> Offset {
        let tablePosition = push(0, byteCount: 4)
        let vtableSize = max(maxSlot + 2, 4)
        var vtable = [UInt8](repeating: 0, count: vtableSize)
        func put16(_ v: Int, at i: Int) { vtable[i] = UInt8(v & 0xFF); vtable[i + 1] = UInt8(v >> 8) }
        put16(vtableSize, at: 0)
        put16(tablePosition - start, at: 2)
        for f in fieldLocations { put16(tablePosition - f.position, at: f.slot) }
        fieldLocations.removeAll(keepingCapacity: true)

        var vtablePosition = 0
        if let shared = vtables.first(where: { bytes(at: $0, count: vtableSize) == vtable && readUInt16(at: $0) == vtableSize }) {
            vtablePosition = shared
        } else {
            for b in vtable.reversed() { reversed.append(b) }
            vtablePosition = size
            vtables.append(vtablePosition)
        }
        // The table's first word: the signed distance from the table back to its vtable.
        let soffset = Int32(truncatingIfNeeded: vtablePosition - tablePosition)
        overwrite32(UInt32(bitPattern: soffset), at: tablePosition)
        return tablePosition
    }

    /// `count` bytes starting at the position `position` (forward order).
    private func bytes(at position: Int, count: Int) -> [UInt8] {
        guard position <= size, count <= position else { return [] }
        let start = size - position   // index in forward order
        return (0..<count).map { forwardByte(start + $0) }
    }

    private func forwardByte(_ i: Int) -> UInt8 { reversed[reversed.count - 1 - i] }

    private func readUInt16(at position: Int) -> Int {
        let b = bytes(at: position, count: 2)
        return b.count == 2 ? Int(b[0]) | Int(b[1]) << 8 : -1
    }

    private mutating func overwrite32(_ v: UInt32, at position: Int) {
        let start = size - position
        for k in 0..<4 { reversed[reversed.count - 1 - (start + k)] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }

    // MARK: - Strings and vectors

    /// A string: length, UTF-8 bytes, a NUL.
    package mutating func createString(_ s: String) -> Offset {
        let utf8 = Array(s.utf8)
        preAlign(utf8.count + 1, 4)
        reversed.append(0)
        for b in utf8.reversed() { reversed.append(b) }
        return push(UInt64(utf8.count), byteCount: 4)
    }

    /// A vector of offsets to tables or strings.
    package mutating func createVector(offsets: [Offset]) -> Offset {
        startVector(count: offsets.count, elementSize: 4, alignment: 4)
        for target in offsets.reversed() {
            let relative = refer(to: target)
            push(relative, byteCount: 4)
        }
        return push(UInt64(offsets.count), byteCount: 4)
    }

    /// A vector of structs, each given as its little-endian bytes (`structSize` each,
    /// padding included), aligned to `alignment`.
    package mutating func createVector(structs: [[UInt8]], structSize: Int, alignment: Int) -> Offset {
        startVector(count: structs.count, elementSize: structSize, alignment: alignment)
        for s in structs.reversed() {
            precondition(s.count == structSize, "struct of \(s.count) bytes, expected \(structSize)")
            for b in s.reversed() { reversed.append(b) }
        }
        return push(UInt64(structs.count), byteCount: 4)
    }

    private mutating func startVector(count: Int, elementSize: Int, alignment: Int) {
        preAlign(count * elementSize, 4)
        preAlign(count * elementSize, alignment)
    }

    /// Ends the buffer with the offset of its root table.
    /// - Returns: the finished buffer, in forward order.
    package mutating func finish(root: Offset) -> [UInt8] {
        preAlign(4, minAlign)
        let relative = refer(to: root)
        push(relative, byteCount: 4)
        return reversed.reversed()
    }
}

extension FlatBufferBuilder {
    /// The little-endian bytes of a struct: each field's low `byteCount` bytes, in order (give
    /// padding as a zero field: Arrow's `Block` is long, int, 4 zero bytes, long).
    package static func structBytes(_ fields: [(value: Int64, byteCount: Int)]) -> [UInt8] {
        var out: [UInt8] = []
        for f in fields {
            let v = UInt64(bitPattern: f.value)
            for i in 0..<f.byteCount { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
        }
        return out
    }
}
