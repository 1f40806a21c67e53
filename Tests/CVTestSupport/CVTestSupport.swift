// CVTestSupport: what the test targets share — fixture paths, seeded random inputs and the
// slow, readable reference implementations that the fast kernels are compared against.
// It is a package target used only by tests; no product ships it.
