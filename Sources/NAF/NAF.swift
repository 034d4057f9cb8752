// NAF — placeholder until implemented.
