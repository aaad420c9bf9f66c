"""The portal's date formats where Django's differ from how its users write (FORMAT_MODULE_PATH)."""
