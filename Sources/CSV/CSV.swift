// CSV — placeholder until implemented.
