import Foundation

/// A dictionary behind its own short lock, for the FFT batch and chirp plan caches. Values
/// dropped by ``removeAll()`` are released after the lock is given back (plan deinits take
/// FFTW's planner lock).
final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Key: Value] = [:]

    subscript(key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return items[key]
    }

    /// Stores `value` for `key` unless another thread stored one first; returns the one kept.
    func insert(_ value: Value, for key: Key) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let existing = items[key] { return existing }
        items[key] = value
        return value
    }

    func removeAll() {
        lock.lock()
        let old = items
        items = [:]
        lock.unlock()
        _ = old
    }
}
