"""The synthetic national population for the demo and the benchmarks.

Everything here is synthetic: institutions, officers, prisoners, visitors and their names are
generated from small built-in lists and a seed. No real personal data is used or produced.
The public surface is `adaldyq.demo.synth`.
"""
