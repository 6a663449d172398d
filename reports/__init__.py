"""The HTML report a marketer opens: one self-contained file per candidate list.

Above the warehouse, beside ``flows``: it reads the warehouse and the avatar cache, renders
charts and cards, and writes through the export's atomic write. It fetches nothing: every
image is inlined, and the page's Content-Security-Policy allows no remote load at all.
"""
