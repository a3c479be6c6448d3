UF = "uf"
