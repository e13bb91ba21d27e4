"""The quality gate's corpus and its publishable-draft detectors (see tests/eval_gate.py)."""
