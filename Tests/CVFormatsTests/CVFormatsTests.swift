import XCTest
import CVFormats
