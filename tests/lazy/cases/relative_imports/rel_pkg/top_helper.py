HELPER = "helper"
