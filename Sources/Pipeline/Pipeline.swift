// Pipeline — placeholder until implemented.
