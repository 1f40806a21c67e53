import CLAPACK
