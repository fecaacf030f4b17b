"""Demo data: a realistic, deterministic CRM population for ``make run`` and the benchmark.

Outside the kernel on purpose: it writes every domain app's tables, and ``core`` imports none.
"""
