NOALL_FROM = "noall from"
_NOALL_HIDDEN = "hidden"
