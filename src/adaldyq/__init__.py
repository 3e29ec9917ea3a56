"""adaldyq: tamper-evident personal files, the penal law as code, oversight of departures from it."""

__version__ = "0.1.0"
