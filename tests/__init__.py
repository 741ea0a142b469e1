"""trede's tests (a package, so that pytest puts the repository root first on sys.path)."""
import os

# Every state trede serialises in the suite is also serialised by SpiffWorkflow's own registry and
# the two compared (engine/storage/direct_dump.py); set before any engine module is imported.
os.environ.setdefault("TREDE_STATE_DUMP_CHECK", "1")
