"""The niche model's training: data, fit and nested CV (fit.py), report (report.py), main."""
