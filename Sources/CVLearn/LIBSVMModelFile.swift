import Foundation

/// LIBSVM's text model format (`svm-train` output, `svm_save_model` / `svm_load_model`) for
/// `KernelSVM`, so models move between CVLearn, `svm-predict` and the LIBSVM bindings.
///
/// Only C-SVC with the kernels LIBSVM knows (linear, poly, rbf, sigmoid) can be written; χ² and
/// intersection have no LIBSVM code. Support vectors are written sparse (zeros omitted,
/// 1-based indices) with 17 significant digits, so a model read back predicts the same.
/// `labels` are the class names in index order (LIBSVM expects integers; any name without
/// white space is written as is).
public enum LIBSVMModelFile {
    static let kernelNames: [KernelType: String] = [.linear: "linear", .polynomial: "polynomial", .rbf: "rbf", .sigmoid: "sigmoid"]

    /// The model as LIBSVM text.
    /// - Throws: `LearnError.encoding` for χ²/intersection kernels or labels with white space.
    public static func encode(_ m: KernelSVM, labels: [String]) throws -> String {
        guard let kname = kernelNames[m.kernelFunction.type] else {
            throw LearnError.encoding(target: "<memory>", reason: "LIBSVM has no \(m.kernelFunction.type.rawValue) kernel")
        }
        guard labels.count == m.classCount, labels.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw LearnError.encoding(target: "<memory>", reason: "need \(m.classCount) labels without white space")
        }
        func g(_ v: Double) -> String { String(format: "%.17g", v) }
        var s = "svm_type c_svc\nkernel_type \(kname)\n"
        let kf = m.kernelFunction
        if kf.type == .polynomial { s += "degree \(kf.degree)\n" }
        if kf.type != .linear { s += "gamma \(g(kf.gamma))\n" }
        if kf.type == .polynomial || kf.type == .sigmoid { s += "coef0 \(g(kf.coef0))\n" }
        s += "nr_class \(m.classCount)\ntotal_sv \(m.supportVectorCount)\n"
        s += "rho " + m.rho.map(g).joined(separator: " ") + "\n"
        s += "label " + labels.joined(separator: " ") + "\n"
        if let a = m.plattA, let b = m.plattB {
            s += "probA " + a.map(g).joined(separator: " ") + "\n"
            s += "probB " + b.map(g).joined(separator: " ") + "\n"
        }
        s += "nr_sv " + m.supportCounts.map(String.init).joined(separator: " ") + "\nSV\n"
        let n = m.supportVectorCount, d = m.featureCount
        for v in 0..<n {
            var line = (0..<max(m.classCount - 1, 0)).map { g(m.dualCoefficients[$0 * n + v]) }.joined(separator: " ")
            for k in 0..<d where m.supportVectors[v * d + k] != 0 {
                line += " \(k + 1):" + String(format: "%.9g", Double(m.supportVectors[v * d + k]))
            }
            s += line + " \n"
        }
        return s
    }

    /// Parses LIBSVM text. `featureCount` fixes the width (LIBSVM files do not store it; default:
    /// the largest index present).
    /// - Returns: the model and its labels.
    /// - Throws: `LearnError.decoding` naming the line at fault.
    public static func decode(_ text: String, featureCount: Int? = nil, source: String = "<memory>") throws -> (KernelSVM, [String]) {
        var header: [String: [String]] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i < lines.count {
            let parts = lines[i].split(separator: " ").map(String.init)
            i += 1
            if parts.first == "SV" { break }
            if let k = parts.first { header[k] = Array(parts.dropFirst()) }
        }
        func fail(_ r: String) -> LearnError { .decoding(source: source, reason: r) }
        guard header["svm_type"]?.first == "c_svc" else { throw fail("only svm_type c_svc is supported") }
        guard let kn = header["kernel_type"]?.first, let kt = kernelNames.first(where: { $0.value == kn })?.key else {
            throw fail("unsupported kernel_type \(header["kernel_type"]?.first ?? "missing")")
        }
        guard let k = header["nr_class"]?.first.flatMap({ Int($0) }), k >= 2,
              let nr = header["nr_sv"]?.compactMap({ Int($0) }), nr.count == k,
              let rho = header["rho"]?.compactMap({ Double($0) }), rho.count == ClassPairs(classCount: k).count,
              let labels = header["label"], labels.count == k else { throw fail("missing or inconsistent nr_class/nr_sv/rho/label") }
        let gamma = header["gamma"]?.first.flatMap { Double($0) } ?? 0
        let degree = header["degree"]?.first.flatMap { Int($0) } ?? 3
        let coef0 = header["coef0"]?.first.flatMap { Double($0) } ?? 0
        let n = nr.reduce(0, +)
        var coefRows = [[Double]](repeating: [], count: k - 1)
        var sparse: [[(Int, Float)]] = []
        var width = 0
        for v in 0..<n {
            guard i < lines.count else { throw fail("expected \(n) support vectors, found \(v)") }
            let parts = lines[i].split(separator: " ")
            i += 1
            guard parts.count >= k - 1 else { throw fail("support vector \(v + 1): too few coefficients") }
            for c in 0..<(k - 1) {
                guard let x = Double(parts[c]) else { throw fail("support vector \(v + 1): bad coefficient '\(parts[c])'") }
                coefRows[c].append(x)
            }
            var row: [(Int, Float)] = []
            for p in parts.dropFirst(k - 1) {
                let kv = p.split(separator: ":")
                guard kv.count == 2, let idx = Int(kv[0]), idx >= 1, let val = Float(kv[1]) else { throw fail("support vector \(v + 1): bad entry '\(p)'") }
                row.append((idx - 1, val))
                width = max(width, idx)
            }
            sparse.append(row)
        }
        let d = featureCount ?? width
        guard d >= width, d >= 1 else { throw fail("support vectors use \(width) features, more than \(d)") }
        var sv = [Float](repeating: 0, count: n * d)
        for (v, row) in sparse.enumerated() { for (j, x) in row { sv[v * d + j] = x } }
        let probA = header["probA"]?.compactMap { Double($0) }, probB = header["probB"]?.compactMap { Double($0) }
        let params = KernelSVM.Parameters(kernel: kt, gamma: kt.usesGamma ? .value(gamma) : .scale, degree: degree, coef0: coef0,
                                          probability: probA != nil)
        do {
            let m = try KernelSVM(parameters: params, kernelFunction: KernelFunction(type: kt, gamma: gamma, degree: degree, coef0: coef0),
                                  classCount: k, featureCount: d, supportCounts: nr, supportVectors: sv, supportIndices: Array(0..<n),
                                  dualCoefficients: coefRows.flatMap { $0 }, rho: rho, plattA: probA, plattB: probB)
            return (m, labels)
        } catch let e as LearnError { throw e.relabeled(source) }
    }
}
