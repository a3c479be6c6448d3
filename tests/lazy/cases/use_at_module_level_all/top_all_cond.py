FLAG = True
