"""trede's tests (a package, so that pytest puts the repository root first on sys.path)."""
from engine.storage import state

# Every state trede serialises in the suite is also serialised by SpiffWorkflow's own registry and
# the two compared (engine/storage/direct_dump.py); the engine itself reads no environment.
state.CHECK_DIRECT = True
