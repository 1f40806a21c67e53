// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for every parser of ClassicCV, kept out of the root manifest so that its
// products never carry unsafe flags. Build and run them with Tools/fuzz.sh; the coverage and
// address sanitizer instrumentation (`--sanitize=fuzzer --sanitize=address`) is applied to the
// whole graph by that script, so the library's parsers are what libFuzzer sees.
let package = Package(
    name: "ClassicCVFuzzing",
    dependencies: [.package(name: "ClassicCV", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "ClassicCV", package: "ClassicCV")]),
    ] + ["PNG", "JPEG", "PNM", "NPY", "IDX", "CSV", "LIBSVM", "ModelJSON"].map { name in
        // libFuzzer supplies `main`; the target file only exports LLVMFuzzerTestOneInput.
        .executableTarget(
            name: "Fuzz\(name)",
            dependencies: ["FuzzSupport", .product(name: "ClassicCV", package: "ClassicCV")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    },
    swiftLanguageModes: [.v5]
)
