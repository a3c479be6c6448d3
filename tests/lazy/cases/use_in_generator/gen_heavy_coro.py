VALUE = "coro"
