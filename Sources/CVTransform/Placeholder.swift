import CFFTW
import CVCore
