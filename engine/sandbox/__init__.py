"""Running model code safely: RestrictedPython compilation, guards, helpers, CPU and memory
budgets, and the determinism that makes replay exact."""
