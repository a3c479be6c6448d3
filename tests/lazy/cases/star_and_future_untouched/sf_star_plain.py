PLAIN_A = "plain a"
_plain_private = "private"
