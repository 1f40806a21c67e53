import CVFormats

extension FeatureTable {
    /// Parses a table held in memory: what `read(path:format:)` does after reading the file,
    /// for callers that already hold the bytes (fuzzing, network input).
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - format: its format (there is no extension to choose it from).
    ///   - source: the name errors carry (default `<memory>`).
    /// - Returns: the table; NPY gives features only.
    /// - Throws: `LearnError.decoding` naming `source`, row and column when it is malformed.
    /// - Complexity: O(n) in the size of `bytes` plus the dense matrix.
    public static func decode(_ bytes: [UInt8], format: Format, source: String = "<memory>") throws -> FeatureTable {
        do {
            switch format {
            case .csv: return try CSVTable.parse(bytes)
            case .libsvm: return try LIBSVMTable.parse(bytes)
            case .npy: return FeatureTable(features: try NPYFile.parseMatrix(bytes))
            }
        } catch let e as LearnError {
            throw e.relabeled(source)
        }
    }
}
