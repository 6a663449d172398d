"""``scout``: the command line, the layer above ``flows/``; one module per command group."""
