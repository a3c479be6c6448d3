WITH_FROM = "with from"
