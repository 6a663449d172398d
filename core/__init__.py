"""The bottom layer: records, creator identity, the one text cleaner, the error root.

It imports nothing of ours, so every other package may import it.
"""
