PKG_CONST = "const"
