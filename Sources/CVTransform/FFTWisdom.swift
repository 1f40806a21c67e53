import CFFTW
import CVCore
import Foundation

/// FFTW wisdom: the planner's memory of which algorithms were fastest, so that an
/// FFTW_MEASURE plan made in one run is made instantly in the next.
///
/// Double (`fftw_`) and single (`fftwf_`) precision keep separate wisdom. The file format of
/// ``export(toFile:)`` is the single-precision wisdom text followed by the double-precision
/// one (each is FFTW's own s-expression `(fftw-3.3.10 fftwf_wisdom …)`), so FFTW's own
/// `fftwf_import_wisdom_from_filename` reads the first part of the same file.
/// Every call holds the planner lock (FFTW's wisdom is planner state).
public enum FFTWisdom {
    /// The accumulated wisdom of one precision as FFTW's text.
    public static func exportString(precision: FFTPrecision) -> String {
        FFTPlanner.withPlannerLock {
            let raw: UnsafeMutablePointer<CChar>?
            switch precision {
            case .double: raw = fftw_export_wisdom_to_string()
            case .float: raw = fftwf_export_wisdom_to_string()
            }
            guard let raw else { return "" }
            defer { free(raw) }  // FFTW 3.3 allocates it with malloc
            return String(cString: raw)
        }
    }

    /// Adds wisdom from FFTW's text (of the given precision) to the planner.
    /// - Throws: `CVError.decoding` when FFTW rejects the text.
    public static func importString(_ text: String, precision: FFTPrecision) throws {
        let ok: Int32 = FFTPlanner.withPlannerLock {
            switch precision {
            case .double: return fftw_import_wisdom_from_string(text)
            case .float: return fftwf_import_wisdom_from_string(text)
            }
        }
        guard ok != 0 else {
            throw CVError.decoding(source: "<wisdom>", reason: "FFTW rejected the \(precision.rawValue) wisdom text")
        }
    }

    /// Both precisions' wisdom as one text (float first, then double).
    public static func exportCombined() -> String {
        exportString(precision: .float) + exportString(precision: .double)
    }

    /// Imports text written by ``exportCombined()`` (or a single FFTW wisdom text of either precision).
    /// - Throws: `CVError.decoding` when a part is not FFTW wisdom or FFTW rejects it.
    public static func importCombined(_ text: String, source: String = "<wisdom>") throws {
        var depth = 0
        var start: String.Index?
        var parts: [Substring] = []
        for i in text.indices {
            switch text[i] {
            case "(":
                if depth == 0 { start = i }
                depth += 1
            case ")":
                depth -= 1
                if depth < 0 { throw CVError.decoding(source: source, reason: "unbalanced parentheses in FFTW wisdom") }
                if depth == 0, let s = start { parts.append(text[s...i]) }
            default:
                if depth == 0 && !text[i].isWhitespace {
                    throw CVError.decoding(source: source, reason: "unexpected text outside FFTW wisdom")
                }
            }
        }
        guard depth == 0 else { throw CVError.decoding(source: source, reason: "truncated FFTW wisdom") }
        for part in parts {
            let header = part.prefix(64)
            let precision: FFTPrecision
            if header.contains("fftwf_wisdom") { precision = .float }
            else if header.contains("fftw_wisdom") { precision = .double }
            else { throw CVError.decoding(source: source, reason: "not FFTW wisdom (expected '(fftw-3… fftw_wisdom' or 'fftwf_wisdom')") }
            do { try importString(String(part), precision: precision) } catch {
                throw CVError.decoding(source: source, reason: "FFTW rejected the \(precision.rawValue) wisdom (made by another FFTW version or build?)")
            }
        }
    }

    /// Writes both precisions' wisdom to `path` (atomically).
    /// - Throws: `CVError.io` when the file cannot be written.
    public static func export(toFile path: String) throws {
        do {
            try exportCombined().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CVError.io(path: path, reason: "cannot write FFTW wisdom: \(error.localizedDescription)")
        }
    }

    /// Reads wisdom written by ``export(toFile:)`` (or by FFTW's `fftw[f]_export_wisdom_to_filename`).
    /// - Throws: `CVError.io` when the file cannot be read, `CVError.decoding` when it is not wisdom.
    public static func `import`(fromFile path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CVError.io(path: path, reason: "cannot read FFTW wisdom: \(error.localizedDescription)")
        }
        try importCombined(text, source: path)
    }

    /// Forgets all wisdom of both precisions (cached plans stay valid).
    public static func forget() {
        FFTPlanner.withPlannerLock {
            fftw_forget_wisdom()
            fftwf_forget_wisdom()
        }
    }
}
