"""Reference data shipped with adaldyq (read with importlib.resources; see README.md here)."""
