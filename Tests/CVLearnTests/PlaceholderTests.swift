import XCTest
@testable import CVLearn
final class CVLearnPlaceholderTests: XCTestCase { func testBuilds() {} }
