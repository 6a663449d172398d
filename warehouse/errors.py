"""The warehouse's one exception type, in its own module so every warehouse module can raise it."""


class WarehouseError(Exception):
    """A warehouse problem a CLI user can act on; the message is one plain sentence."""
