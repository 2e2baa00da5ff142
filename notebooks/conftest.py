# The notebooks' kernels inherit this environment: caches go to a temporary folder, as in tests/.
from ganlib.data.testing import isolate_caches

isolate_caches()
