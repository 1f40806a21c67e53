import CVCore

/// Placeholder until the constant-time path lands.
func bilateralFast<P: PixelScalar>(_ image: Image<P>, _ p: BilateralParameters) throws -> Image<P> {
    throw CVError.unsupported(source: "image", reason: "fast bilateral not built yet")
}
