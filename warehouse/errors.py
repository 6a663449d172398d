"""The warehouse's one exception type, in its own module so every warehouse module can raise it."""


class WarehouseError(Exception):
    """A warehouse problem a CLI user can act on; the message is one plain sentence."""


class WarehouseInputError(WarehouseError):
    """Bad input the user gave the warehouse (a path, a setting): the CLI exits 2, as for any
    bad input, not 1 as for a warehouse that failed."""
