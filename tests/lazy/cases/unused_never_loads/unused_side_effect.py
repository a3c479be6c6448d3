"""Registers itself on import: the import exists only for this side effect."""
import unused_registry

unused_registry.ITEMS.append("unused_side_effect registered")
